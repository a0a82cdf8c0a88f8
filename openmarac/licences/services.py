"""Licence lifecycle: request, approve, move, suspend, resume, deactivate (000 §6.1-6.2)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.accounts.models import SetupLinkPurpose, User
from openmarac.accounts.sessions import end_all_sessions
from openmarac.accounts.setup_links import SetupLinkNotSent, setup_link_issue
from openmarac.agencies.models import Agency
from openmarac.agencies.selectors import agency_is_signatory
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case
from openmarac.notifications.services import notice_record
from openmarac.partnerships.models import Area, Partnership

from .models import EndReason, Licence, LicenceKind, LicenceStatus


def email_domain_allowed(partnership: Partnership, email: str) -> bool:
    """Only the partnership's official domains (or their subdomains) may hold a licence."""
    domain = email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""
    if not domain:
        return False
    for allowed in partnership.official_email_domains:
        allowed = str(allowed).strip().lower().lstrip("@")
        if allowed and (domain == allowed or domain.endswith(f".{allowed}")):
            return True
    return False


def licence_check_holder(*, user: User, agency: Agency) -> None:
    """Raise ValidationError if ``user`` of ``agency`` may not hold a licence now."""
    if agency.withdrawn_on is not None:
        raise ValidationError("The agency has withdrawn from the agreements.")
    if not agency_is_signatory(agency):
        raise ValidationError(
            "The agency must have signed the information sharing agreement and the operating "
            "protocol before its staff can hold licences."
        )
    if not email_domain_allowed(agency.partnership, user.email):
        raise ValidationError("The e-mail address must be on one of the partnership's domains.")
    if user.agency_id != agency.pk:
        raise ValidationError("The holder must belong to the agency.")
    if user.has_privileged_role and not agency.is_hub:
        raise ValidationError("Only members of the hub team can hold hub roles.")


def _check_cover(
    *,
    agency: Agency,
    kind: str,
    areas: Iterable[Area],
    cases: Iterable[Case],
    expires_on: datetime.date | None,
) -> None:
    partnership_id = agency.partnership_id
    if any(a.partnership_id != partnership_id for a in areas):
        raise ValidationError("An area is not one of the partnership's.")
    if any(c.partnership_id != partnership_id for c in cases):
        raise ValidationError("A case is not one of the partnership's.")
    if kind == LicenceKind.BY_INVITE and expires_on is None:
        raise ValidationError("A by-invite licence needs an end date.")
    if kind == LicenceKind.STANDING and not list(areas):
        raise ValidationError("A standing licence covers at least one area MARAC.")


def _user_for_request(
    *, agency: Agency, email: str, first_name: str, last_name: str, job_title: str
) -> User:
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if user.agency_id != agency.pk:
            raise ValidationError("That e-mail address belongs to another agency's account.")
        return user
    user = User(
        username=email,
        email=email,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        agency=agency,
        is_active=False,
        is_agency_rep=not agency.is_hub,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def licence_request(
    *,
    agency: Agency,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str,
    kind: str,
    areas: Iterable[Area],
    cases: Iterable[Case] = (),
    expires_on: datetime.date | None = None,
    delegate_name: str,
    delegate_email: str,
    escalation_name: str,
    escalation_email: str,
    requested_by: User,
    request: HttpRequest | None = None,
) -> Licence:
    """A key contact (or the hub) asks for a licence for someone in their agency."""
    if not (requested_by.is_key_contact and requested_by.agency_id == agency.pk) and not (
        requested_by.is_hub_coordinator and requested_by.agency and requested_by.agency.is_hub
    ):
        raise ValidationError("Only the agency's key contact or the hub can request a licence.")
    if not email_domain_allowed(agency.partnership, email):
        raise ValidationError("The e-mail address must be on one of the partnership's domains.")
    areas, cases = list(areas), list(cases)
    _check_cover(agency=agency, kind=kind, areas=areas, cases=cases, expires_on=expires_on)
    user = _user_for_request(
        agency=agency, email=email, first_name=first_name, last_name=last_name, job_title=job_title
    )
    licence_check_holder(user=user, agency=agency)
    if Licence.objects.filter(user=user).exclude(status=LicenceStatus.DEACTIVATED).exists():
        raise ValidationError("This person already holds or has requested a licence.")
    licence = Licence.objects.create(
        user=user,
        agency=agency,
        kind=kind,
        expires_on=expires_on if kind == LicenceKind.BY_INVITE else None,
        delegate_name=delegate_name,
        delegate_email=delegate_email,
        escalation_name=escalation_name,
        escalation_email=escalation_email,
        requested_by=requested_by,
        status=LicenceStatus.REQUESTED,
        status_changed_at=timezone.now(),
    )
    licence.areas.set(areas)
    licence.cases.set(cases)
    audit_record(
        action="licence.request",
        request=request,
        actor=requested_by,
        obj=licence,
        detail={"kind": kind, "areas": sorted(a.pk for a in areas)},
    )
    notice_record(
        event="licence.requested",
        instance=str(licence.public_id),
        recipient_email=agency.partnership.hub_email,
        subject="A licence request is waiting for the hub",
        body=(
            "A licence request is waiting for your decision.\n\n"
            f"Sign in to see it: {settings.SITE_URL}/hub/licences/\n"
        ),
        obj=licence,
    )
    return licence


def _set_status(licence: Licence, status: str, reason: str = "") -> None:
    licence.status = status
    licence.status_changed_at = timezone.now()
    licence.end_reason = reason
    licence.save(update_fields=["status", "status_changed_at", "end_reason"])


def _require_hub(actor: User) -> None:
    if not (actor.is_hub_coordinator and actor.agency is not None and actor.agency.is_hub):
        raise PermissionError("Only the hub manages licences.")


@transaction.atomic
def licence_approve(
    *, licence: Licence, actor: User, request: HttpRequest | None = None
) -> Licence:
    _require_hub(actor)
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status != LicenceStatus.REQUESTED:
        raise ValidationError("Only a requested licence can be approved.")
    licence_check_holder(user=licence.user, agency=licence.agency)
    licence.approved_by = actor
    licence.activated_at = timezone.now()
    licence.save(update_fields=["approved_by", "activated_at"])
    _set_status(licence, LicenceStatus.ACTIVE)
    User.objects.filter(pk=licence.user_id).update(is_active=True)
    audit_record(action="licence.approve", request=request, actor=actor, obj=licence)
    link_sent = False
    if not licence.user.has_usable_password():
        # A new account: its holder alone is e-mailed a single-use link to set up their sign-in.
        try:
            with transaction.atomic():
                setup_link_issue(
                    user=licence.user,
                    purpose=SetupLinkPurpose.NEW_ACCOUNT,
                    actor=actor,
                    request=request,
                )
            link_sent = True
        except SetupLinkNotSent:
            link_sent = False  # the hub sends it again from the account page
    notice_record(
        event="licence.approved",
        instance=str(licence.public_id),
        recipient_email=licence.user.email,
        recipient_user=licence.user,
        subject="Your MARAC licence is active",
        body=(
            "Your MARAC licence is active.\n\n"
            + (
                "We have e-mailed you a separate single-use link to set up your sign-in.\n"
                if link_sent
                else f"Sign in to start: {settings.SITE_URL}/accounts/sign-in/\n"
                "If you have not set up your sign-in yet, ask the hub team for a set-up link.\n"
            )
        ),
        obj=licence,
    )
    return licence


@transaction.atomic
def licence_refuse(*, licence: Licence, actor: User, request: HttpRequest | None = None) -> Licence:
    _require_hub(actor)
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status != LicenceStatus.REQUESTED:
        raise ValidationError("Only a requested licence can be refused.")
    _set_status(licence, LicenceStatus.DEACTIVATED, EndReason.REFUSED)
    audit_record(action="licence.refuse", request=request, actor=actor, obj=licence)
    return licence


@transaction.atomic
def licence_move(
    *,
    licence: Licence,
    areas: Iterable[Area],
    cases: Iterable[Case] = (),
    expires_on: datetime.date | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> Licence:
    """A mover: the licence covers other area MARACs (or other invited cases) from now on."""
    _require_hub(actor)
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status == LicenceStatus.DEACTIVATED:
        raise ValidationError("A deactivated licence cannot be changed.")
    areas, cases = list(areas), list(cases)
    _check_cover(
        agency=licence.agency,
        kind=licence.kind,
        areas=areas,
        cases=cases,
        expires_on=expires_on if licence.kind == LicenceKind.BY_INVITE else None,
    )
    before = sorted(licence.areas.values_list("pk", flat=True))
    licence.areas.set(areas)
    licence.cases.set(cases)
    if licence.kind == LicenceKind.BY_INVITE:
        licence.expires_on = expires_on
        licence.save(update_fields=["expires_on"])
    audit_record(
        action="licence.move",
        request=request,
        actor=actor,
        obj=licence,
        detail={
            "areas_before": before,
            "areas_after": sorted(a.pk for a in areas),
            "cases": sorted(c.pk for c in cases),
        },
    )
    return licence


def _close_access(
    licence: Licence, *, actor: User | None, reason: str, request: HttpRequest | None
) -> None:
    User.objects.filter(pk=licence.user_id).update(is_active=False)
    end_all_sessions(user=licence.user, actor=actor, reason=reason, request=request)


@transaction.atomic
def licence_suspend(
    *, licence: Licence, actor: User, request: HttpRequest | None = None
) -> Licence:
    """Suspend for a rota: the holder cannot sign in until the hub resumes the licence."""
    _require_hub(actor)
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status != LicenceStatus.ACTIVE:
        raise ValidationError("Only an active licence can be suspended.")
    _set_status(licence, LicenceStatus.SUSPENDED, EndReason.ROTA)
    _close_access(licence, actor=actor, reason="licence_suspended", request=request)
    audit_record(action="licence.suspend", request=request, actor=actor, obj=licence)
    return licence


@transaction.atomic
def licence_resume(*, licence: Licence, actor: User, request: HttpRequest | None = None) -> Licence:
    _require_hub(actor)
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status != LicenceStatus.SUSPENDED:
        raise ValidationError("Only a suspended licence can be resumed.")
    licence_check_holder(user=licence.user, agency=licence.agency)
    _set_status(licence, LicenceStatus.ACTIVE)
    User.objects.filter(pk=licence.user_id).update(is_active=True)
    audit_record(action="licence.resume", request=request, actor=actor, obj=licence)
    return licence


@transaction.atomic
def licence_deactivate(
    *,
    licence: Licence,
    reason: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Licence:
    """A leaver, an unused licence or a withdrawn agency: access ends at once, everywhere."""
    if actor is not None:
        _require_hub(actor)
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status == LicenceStatus.DEACTIVATED:
        return licence
    _set_status(licence, LicenceStatus.DEACTIVATED, reason)
    _close_access(licence, actor=actor, reason="licence_deactivated", request=request)
    audit_record(
        action="licence.deactivate",
        request=request,
        actor=actor,
        obj=licence,
        detail={"reason": reason},
    )
    return licence


@transaction.atomic
def licence_issue(
    *,
    user: User,
    kind: str,
    areas: Iterable[Area],
    cases: Iterable[Case] = (),
    expires_on: datetime.date | None = None,
    actor: User | None = None,
) -> Licence:
    """Create an active licence directly: for installing a partnership and for its demo.

    Checks the holder exactly as approval does; in production the hub uses request and approve.
    """
    assert user.agency is not None
    licence_check_holder(user=user, agency=user.agency)
    contact = user.agency.partnership.hub_email
    licence = Licence.objects.create(
        user=user,
        agency=user.agency,
        kind=kind,
        expires_on=expires_on,
        delegate_name="Hub team",
        delegate_email=contact,
        escalation_name="Hub team",
        escalation_email=contact,
        status=LicenceStatus.ACTIVE,
        activated_at=timezone.now(),
        status_changed_at=timezone.now(),
        approved_by=actor,
    )
    licence.areas.set(list(areas))
    licence.cases.set(list(cases))
    audit_record(action="licence.issue", actor=actor, obj=licence)
    return licence


def licence_default_issue(*, user: User, actor: User | None = None) -> Licence:
    """The licence an agency's member usually holds: every area the agency takes part in.

    The hub covers every area; an agency with a standing membership anywhere holds a standing
    licence for all its areas (standing and by invite, where it sees only invited cases); an
    agency that is only ever invited holds a by-invite licence for a year.
    """
    from openmarac.agencies.models import AreaMembership, MembershipKind

    assert user.agency is not None
    agency = user.agency
    if agency.is_hub:
        areas = list(Area.objects.filter(partnership_id=agency.partnership_id))
        kind, expires_on = LicenceKind.STANDING, None
    else:
        memberships = AreaMembership.objects.filter(agency=agency).select_related("area")
        areas = [m.area for m in memberships]
        if any(m.kind == MembershipKind.STANDING for m in memberships):
            kind, expires_on = LicenceKind.STANDING, None
        else:
            kind = LicenceKind.BY_INVITE
            expires_on = timezone.localdate() + datetime.timedelta(days=365)
    return licence_issue(user=user, kind=kind, areas=areas, expires_on=expires_on, actor=actor)
