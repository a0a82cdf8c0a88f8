"""Every change to a referral, each one transaction with its audit event.

Referrers are not users: they act through a session that proved their work address, and their
audit events carry a keyed hash of that address instead of an account.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.models import ParticipantRole
from openmarac.notifications.services import notice_record
from openmarac.partnerships.models import Area, Partnership
from openmarac.people.services import PersonDetails, person_create

from . import sections as s
from .criteria import CriterionResult, checklist_result, criteria_met, evaluate
from .models import LinkStatus, Referral, ReferralParticipant, ReferralStatus
from .selectors import email_index
from .verification import referrer_label

EDITABLE = (
    ReferralStatus.DRAFT,
    ReferralStatus.RETURNED_BY_APPROVER,
    ReferralStatus.RETURNED_BY_HUB,
)


class ItemList(TypedDict):
    """A repeatable section as stored in the answers: its entries and whether it is finished."""

    items: list[Mapping[str, object]]
    done: bool


class ReferralError(Exception):
    """A referral action that the rules do not allow; the message is safe to show."""


def _jsonable(data: Mapping[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, datetime.date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


@transaction.atomic
def referral_start(
    *, partnership: Partnership, email: str, request: HttpRequest | None
) -> Referral:
    referral = Referral.objects.create(
        partnership=partnership,
        referrer_email=email,
        referrer_email_index=email_index(email),
        answers={},
    )
    audit_record(
        action="referral.start", request=request, actor_label=referrer_label(email), obj=referral
    )
    return referral


def _require_editable(referral: Referral) -> None:
    if referral.status not in EDITABLE:
        raise ReferralError("This referral has been sent and can no longer be changed")


@transaction.atomic
def referral_save_section(
    *,
    referral: Referral,
    section: s.Section,
    data: Mapping[str, object],
    request: HttpRequest | None,
) -> Referral:
    """Store one completed section. Changing the area or checklist re-opens what depends on it."""
    _require_editable(referral)
    answers = dict(referral.answers)
    answers[section.slug] = _jsonable(data)
    completed = [slug for slug in referral.completed_sections if slug != section.slug]
    completed.append(section.slug)
    if section.slug == "area":
        area = Area.objects.get(pk=int(str(data["area"])), partnership=referral.partnership)
        if referral.area_id != area.pk:
            referral.area = area
            # A new area may accept other checklists and ask other questions.
            completed = [
                c
                for c in completed
                if c not in ("checklist", "checklist-answers", "stalking", "incidents", "reasons")
            ]
    if section.slug == "referrer":
        agency = data.get("agency")
        referral.referrer_agency_id = int(str(agency)) if agency and agency != "other" else None
    if section.slug == "checklist" and referral.answers.get("checklist") != answers["checklist"]:
        completed = [c for c in completed if c != "checklist-answers"]
        answers.pop("checklist-answers", None)
    referral.answers = answers
    referral.completed_sections = completed
    referral.save()
    audit_record(
        action="referral.section_saved",
        request=request,
        actor_label=referrer_label(referral.referrer_email),
        obj=referral,
        detail={"section": section.slug},
    )
    return referral


def _list_of(referral: Referral, section: s.Section) -> ItemList:
    stored = referral.answers.get(section.slug) or {}
    return {"items": list(stored.get("items", [])), "done": bool(stored.get("done", False))}


def _store_list(
    referral: Referral,
    section: s.Section,
    stored: ItemList,
    *,
    action: str,
    request: HttpRequest | None,
) -> Referral:
    """Save a repeatable section's entries, audited as ``action``."""
    referral.answers = {**referral.answers, section.slug: stored}
    referral.save()
    audit_record(
        action=action,
        request=request,
        actor_label=referrer_label(referral.referrer_email),
        obj=referral,
        detail={"section": section.slug},
    )
    return referral


@transaction.atomic
def referral_save_item(
    *,
    referral: Referral,
    section: s.Section,
    index: int | None,
    data: Mapping[str, object],
    request: HttpRequest | None,
) -> Referral:
    """Add (index None) or replace one entry of a repeatable section such as a perpetrator."""
    _require_editable(referral)
    stored = _list_of(referral, section)
    items = stored["items"]
    if index is None:
        if len(items) >= section.max_items:
            raise ReferralError(f"You can add up to {section.max_items} {section.item_name}s")
        items.append(_jsonable(data))
    else:
        if not 0 <= index < len(items):
            raise ReferralError("That entry does not exist")
        items[index] = _jsonable(data)
    return _store_list(referral, section, stored, action="referral.item_saved", request=request)


@transaction.atomic
def referral_remove_item(
    *, referral: Referral, section: s.Section, index: int, request: HttpRequest | None
) -> Referral:
    _require_editable(referral)
    stored = _list_of(referral, section)
    if not 0 <= index < len(stored["items"]):
        raise ReferralError("That entry does not exist")
    stored["items"].pop(index)
    if len(stored["items"]) < section.min_items:
        stored["done"] = False
    return _store_list(referral, section, stored, action="referral.item_removed", request=request)


@transaction.atomic
def referral_finish_list(
    *, referral: Referral, section: s.Section, request: HttpRequest | None
) -> Referral:
    """Mark a repeatable section as complete: the referrer has added everyone they know of."""
    _require_editable(referral)
    stored = _list_of(referral, section)
    if len(stored["items"]) < section.min_items:
        raise ReferralError(f"Add at least {section.min_items} {section.item_name}")
    stored["done"] = True
    return _store_list(referral, section, stored, action="referral.section_saved", request=request)


def referral_evaluation(referral: Referral) -> list[CriterionResult]:
    if referral.area is None:
        return []
    return evaluate(
        policy=referral.area.policy,
        definition=s.chosen_checklist(referral),
        answers=referral.answers,
    )


def _approvers(referral: Referral) -> list[User]:
    if referral.referrer_agency_id is None:
        return []
    return list(
        User.objects.filter(
            agency_id=referral.referrer_agency_id, is_referral_approver=True, is_active=True
        )
    )


def _notify(
    *,
    event: str,
    referral: Referral,
    subject: str,
    body: str,
    recipients: list[str],
    occasion: str = "",
) -> None:
    """Record one notice per recipient in the outbox; it is sent once this transaction commits.

    E-mails carry a reference and a link, never a name, address or narrative. ``occasion``
    tells apart repeated events on one referral (a second return, say).
    """
    instance = f"referral:{referral.pk}" + (f":{occasion}" if occasion else "")
    for address in recipients:
        notice_record(
            event=event,
            instance=instance,
            recipient_email=address,
            subject=subject,
            body=body,
            obj=referral,
        )


@transaction.atomic
def referral_submit(*, referral: Referral, request: HttpRequest | None) -> Referral:
    """Send a complete, eligible referral on: to the agency approver if the area requires it,
    otherwise straight to the hub."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_editable(referral)
    missing = s.incomplete_sections(referral)
    if missing:
        raise ReferralError("Complete every section before you send the referral")
    assert referral.area is not None
    results = referral_evaluation(referral)
    met = criteria_met(results)
    if not met:
        raise ReferralError("This referral does not meet any of the MARAC criteria")
    definition = s.chosen_checklist(referral)
    score, level = checklist_result(definition, referral.answers.get("checklist-answers", {}))
    referral.checklist = definition
    referral.checklist_score = score
    referral.checklist_level = level
    referral.criteria_met = met
    handling = referral.answers.get("handling", {}).get("restricted_handling", "none")
    referral.restriction_requested = "" if handling == "none" else handling
    referral.emergency_requested = referral.answers.get("handling", {}).get("emergency") == "yes"
    referral.victim_declined_idva = (
        referral.answers.get("consent", {}).get("idva_support") == "declined"
    )
    if referral.reference is None:
        referral.save()
        referral.reference = f"{referral.area.code}-{timezone.localdate():%Y}-{referral.pk:06d}"
    if referral.area.policy.approval_before_submission:
        approvers = _approvers(referral)
        if not approvers:
            raise ReferralError(
                "Your organisation has no MARAC approver. Contact the MARAC hub before you send "
                "this referral"
            )
        referral.status = ReferralStatus.AWAITING_APPROVAL
        referral.sent_for_approval_at = timezone.now()
        referral.save()
        audit_record(
            action="referral.sent_for_approval",
            request=request,
            actor_label=referrer_label(referral.referrer_email),
            obj=referral,
            detail={"criteria": met},
        )
        occasion = referral.sent_for_approval_at.isoformat()
        _notify(
            event="referral.approval_needed",
            referral=referral,
            occasion=occasion,
            subject=f"MARAC referral {referral.reference} needs your approval",
            body="A MARAC referral from your organisation is waiting for your approval.\n\n"
            f"Reference: {referral.reference}\n"
            f"Sign in to review it: {settings.SITE_URL}{reverse('referrals:approval_list')}\n",
            recipients=[u.email for u in approvers if u.email],
        )
        _notify(
            event="referral.sent_for_approval",
            referral=referral,
            occasion=occasion,
            subject=f"MARAC referral {referral.reference} sent for approval",
            body=f"Your MARAC referral {referral.reference} has been sent to your organisation's "
            "MARAC approver. You will get another email when it reaches the MARAC hub.\n",
            recipients=[referral.referrer_email],
        )
        return referral
    audit_record(
        action="referral.submit",
        request=request,
        actor_label=referrer_label(referral.referrer_email),
        obj=referral,
        detail={"criteria": met},
    )
    return _deliver_to_hub(referral, request=request)


def _person_details(
    data: Mapping[str, object], *, with_contact: Mapping[str, object] | None = None
) -> PersonDetails:
    dob = str(data.get("date_of_birth") or "")
    return PersonDetails(
        forenames=str(data.get("forenames") or ""),
        surname=str(data.get("surname") or ""),
        aliases=[a for a in str(data.get("aliases") or "").splitlines() if a.strip()],
        date_of_birth=datetime.date.fromisoformat(dob) if len(dob) == 10 else None,
        birth_year=dob if len(dob) == 4 else "",
        gender=str(data.get("gender") or "not_known"),
        phone=str((with_contact or {}).get("safe_phone") or ""),
        email=str((with_contact or {}).get("safe_email") or ""),
        contact_safety_notes=str((with_contact or {}).get("safety_notes") or ""),
        address_lines=str(data.get("address") or ""),
        postcode=str(data.get("postcode") or ""),
        equality={k: str(v) for k, v in _mapping(data.get("_equality")).items()},
    )


def _mapping(value: object) -> Mapping[str, object]:
    """A stored answer that should be a JSON object, or an empty one."""
    return value if isinstance(value, Mapping) else {}


def _forget_earlier_people(referral: Referral) -> None:
    """Before a returned referral is delivered again, drop the people its first delivery made.

    The completed referral is the record now; a person created only for the earlier delivery
    (on no case and no other referral) goes with it, and triage links the new ones afresh.
    """
    for participant in list(referral.participants.select_related("person", "submitted_person")):
        submitted = participant.as_submitted
        participant.delete()
        if (
            not submitted.case_roles.exists()
            and not submitted.referral_roles.exists()
            and not ReferralParticipant.objects.filter(submitted_person=submitted).exists()
            and not submitted.merged_from.exists()
        ):
            # Addresses and blocking keys go with the person.
            submitted.delete()


def _deliver_to_hub(referral: Referral, *, request: HttpRequest | None) -> Referral:
    """Record the referral's people for triage to link, and tell the hub and the referrer."""
    redelivery = referral.returned_at is not None
    if redelivery:
        _forget_earlier_people(referral)
    answers = referral.answers
    victim = dict(answers.get("victim", {}))
    victim["_equality"] = answers.get("equality", {})
    people: list[tuple[str, Mapping[str, object], Mapping[str, object] | None]] = [
        (ParticipantRole.VICTIM, victim, answers.get("safe-contact", {}))
    ]
    listed: list[tuple[str, str]] = [
        ("perpetrators", ParticipantRole.PERPETRATOR),
        ("children", ParticipantRole.CHILD),
        ("household", ParticipantRole.HOUSEHOLD),
    ]
    for key, listed_role in listed:
        people.extend((listed_role, item, None) for item in answers.get(key, {}).get("items", []))
    positions: dict[str, int] = {}
    for role, data, contact in people:
        person = person_create(
            partnership=referral.partnership, details=_person_details(data, with_contact=contact)
        )
        ReferralParticipant.objects.create(
            referral=referral,
            person=person,
            submitted_person=person,
            link_status=LinkStatus.PENDING,
            role=role,
            position=positions.get(role, 0),
        )
        positions[role] = positions.get(role, 0) + 1
    referral.status = ReferralStatus.SUBMITTED
    referral.submitted_at = timezone.now()
    referral.save()
    audit_record(
        action="referral.delivered_to_hub",
        request=request,
        obj=referral,
        detail={"again": redelivery},
    )
    link = f"{settings.SITE_URL}{reverse('triage:referral', args=[referral.public_id])}"
    # A referral completed after a return is a new event for everyone told of it.
    occasion = referral.submitted_at.isoformat() if redelivery else ""
    _notify(
        event="referral.new_for_hub",
        occasion=occasion,
        referral=referral,
        subject=f"New MARAC referral {referral.reference}",
        body="A new MARAC referral has arrived in the triage queue.\n\n"
        f"Reference: {referral.reference}\nSign in to see it: {link}\n",
        recipients=[referral.partnership.hub_email],
    )
    _notify(
        event="referral.received",
        occasion=occasion,
        referral=referral,
        subject=f"MARAC referral {referral.reference} received",
        body=f"Thank you. Your MARAC referral {referral.reference} has reached the MARAC hub.\n\n"
        "The hub will check it and tell you the outcome. Keep the reference for any "
        "questions.\n",
        recipients=[referral.referrer_email],
    )
    return referral


@transaction.atomic
def referral_approve(
    *, referral: Referral, approver: User, note: str, request: HttpRequest | None
) -> Referral:
    """An agency approver (Lincolnshire DMR) authorises their own agency's referral to the hub."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.AWAITING_APPROVAL:
        raise ReferralError("This referral is not waiting for approval")
    if not approver.is_referral_approver or approver.agency_id != referral.referrer_agency_id:
        raise ReferralError("Only an approver from the referring organisation can approve it")
    referral.approved_by = approver
    referral.approval_note = note
    referral.save()
    audit_record(action="referral.approve", request=request, actor=approver, obj=referral)
    return _deliver_to_hub(referral, request=request)


@transaction.atomic
def referral_return_to_referrer(
    *, referral: Referral, approver: User, reason: str, request: HttpRequest | None
) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.AWAITING_APPROVAL:
        raise ReferralError("This referral is not waiting for approval")
    if not approver.is_referral_approver or approver.agency_id != referral.referrer_agency_id:
        raise ReferralError("Only an approver from the referring organisation can return it")
    if not reason.strip():
        raise ReferralError("Enter what the referrer needs to change")
    referral.status = ReferralStatus.RETURNED_BY_APPROVER
    referral.approval_note = reason.strip()
    referral.save()
    audit_record(
        action="referral.return_by_approver", request=request, actor=approver, obj=referral
    )
    _notify(
        event="referral.returned_by_approver",
        referral=referral,
        occasion=timezone.now().isoformat(),
        subject=f"MARAC referral {referral.reference} returned by your approver",
        body="Your organisation's MARAC approver has returned referral "
        f"{referral.reference} with comments.\n\n"
        f"Sign in to see what to change: {settings.SITE_URL}{reverse('referrals:start')}\n",
        recipients=[referral.referrer_email],
    )
    return referral
