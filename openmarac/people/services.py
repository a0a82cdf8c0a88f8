"""Creating people and keeping their search keys in step with their encrypted details."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.audit.services import audit_record
from openmarac.partnerships.models import Partnership

from .keys import key_for
from .models import Gender, Person, PersonAddress, PersonKey
from .normalise import family_name

if TYPE_CHECKING:
    from openmarac.accounts.models import User
    from openmarac.referrals.models import ReferralParticipant

    from .models import PersonMerge


@dataclass
class PersonDetails:
    forenames: str = ""
    surname: str = ""
    aliases: list[str] = field(default_factory=list)
    date_of_birth: datetime.date | None = None
    birth_year: str = ""
    gender: str = Gender.NOT_KNOWN
    phone: str = ""
    email: str = ""
    contact_safety_notes: str = ""
    address_lines: str = ""
    postcode: str = ""
    equality: dict[str, str] = field(default_factory=dict)


@transaction.atomic
def person_create(*, partnership: Partnership, details: PersonDetails) -> Person:
    """Create a person with their current address and search keys, all encrypted or hashed."""
    person = Person.objects.create(
        partnership=partnership,
        forenames=details.forenames,
        surname=details.surname,
        aliases=details.aliases,
        date_of_birth=details.date_of_birth,
        birth_year=details.birth_year,
        gender=details.gender,
        phone=details.phone,
        email=details.email,
        contact_safety_notes=details.contact_safety_notes,
        equality=details.equality,
    )
    if details.address_lines or details.postcode:
        PersonAddress.objects.create(
            person=person, lines=details.address_lines, postcode=details.postcode
        )
    # Blocking keys are kept in step by the save signals (openmarac.people.signals).
    return person


def people_matching_exactly(
    *, partnership: Partnership, surname: str, dob: datetime.date
) -> list[int]:
    """Ids of people whose surname and date of birth match exactly, found through blind indexes."""
    key = key_for("sd", f"{family_name(surname)}|{dob.isoformat()}")
    return sorted(
        PersonKey.objects.filter(key=key, person__partnership=partnership).values_list(
            "person_id", flat=True
        )
    )


# Linking people at triage, and merging records later found to be one person.
#
# The caller checks the actor's role and that ``to``/``kept``/``merged`` are people the actor may
# see (``openmarac.people.selectors.people_visible_to``); these check the state of the records.


class PersonLinkError(Exception):
    """A link or merge the rules do not allow; the message is safe to show."""


def _undecided(participant: ReferralParticipant) -> None:
    from openmarac.referrals.models import ReferralStatus

    if participant.referral.status != ReferralStatus.SUBMITTED:
        raise PersonLinkError("People can only be linked while the referral waits for triage")


@transaction.atomic
def person_link(
    *,
    participant: ReferralParticipant,
    to: Person,
    actor: User,
    request: HttpRequest | None = None,
) -> ReferralParticipant:
    """Attach a person named on a referral to an existing person (the same human being)."""
    from openmarac.referrals.models import LinkStatus, ReferralParticipant

    participant = (
        ReferralParticipant.objects.select_for_update(of=("self",))
        .select_related("referral")
        .get(pk=participant.pk)
    )
    _undecided(participant)
    if to.merged_into_id is not None:
        raise PersonLinkError("That record was merged into another: link to that one instead")
    if to.partnership_id != participant.referral.partnership_id:
        raise PersonLinkError("That person is not known to this partnership")
    if to.pk == participant.as_submitted.pk:
        raise PersonLinkError("Choose a known person to link to")
    participant.submitted_person = participant.as_submitted
    participant.person = to
    participant.link_status = LinkStatus.LINKED
    participant.save(update_fields=["submitted_person", "person", "link_status"])
    audit_record(
        action="person.link",
        request=request,
        actor=actor,
        obj=participant,
        detail={
            "referral": participant.referral_id,
            "person": to.pk,
            "submitted_person": participant.submitted_person_id,
        },
    )
    return participant


@transaction.atomic
def person_confirm_new(
    *, participant: ReferralParticipant, actor: User, request: HttpRequest | None = None
) -> ReferralParticipant:
    """Confirm that a person named on a referral is nobody the MARAC already knows."""
    from openmarac.referrals.models import LinkStatus, ReferralParticipant

    participant = (
        ReferralParticipant.objects.select_for_update(of=("self",))
        .select_related("referral")
        .get(pk=participant.pk)
    )
    _undecided(participant)
    participant.submitted_person = participant.as_submitted
    participant.person = participant.submitted_person
    participant.link_status = LinkStatus.NEW
    participant.save(update_fields=["submitted_person", "person", "link_status"])
    audit_record(
        action="person.confirm_new",
        request=request,
        actor=actor,
        obj=participant,
        detail={"referral": participant.referral_id, "person": participant.person_id},
    )
    return participant


@transaction.atomic
def person_unlink(
    *,
    participant: ReferralParticipant,
    actor: User,
    reason: str,
    request: HttpRequest | None = None,
) -> ReferralParticipant:
    """Undo a link (or a confirmation): the referral's person is their own record again.

    If the referral was already accepted onto a case, the case's role for the wrongly linked
    person moves back to the referral's own person, unless another referral on the case names
    that person in that role, in which case the referral's person is added alongside.
    """
    from openmarac.cases.models import CaseParticipant
    from openmarac.referrals.models import LinkStatus, ReferralParticipant

    participant = (
        ReferralParticipant.objects.select_for_update(of=("self",))
        .select_related("referral")
        .get(pk=participant.pk)
    )
    if participant.link_status == LinkStatus.PENDING:
        raise PersonLinkError("This person is not linked")
    if not reason.strip():
        raise PersonLinkError("Enter why the link was wrong")
    wrong = participant.person
    own = participant.as_submitted
    case_id = participant.referral.case_id
    moved_role = None
    if case_id is not None and wrong.pk != own.pk:
        others = (
            ReferralParticipant.objects.filter(
                referral__case_id=case_id, person=wrong, role=participant.role
            )
            .exclude(pk=participant.pk)
            .exists()
        )
        row = CaseParticipant.objects.filter(
            case_id=case_id, person=wrong, role=participant.role
        ).first()
        if row is not None and not others:
            row.person = own
            row.save(update_fields=["person"])
            moved_role = row.pk
        else:
            CaseParticipant.objects.get_or_create(
                case_id=case_id, person=own, role=participant.role
            )
    participant.person = own
    participant.submitted_person = own
    participant.link_status = LinkStatus.PENDING
    participant.save(update_fields=["person", "submitted_person", "link_status"])
    audit_record(
        action="person.unlink",
        request=request,
        actor=actor,
        obj=participant,
        detail={
            "referral": participant.referral_id,
            "was_person": wrong.pk,
            "person": own.pk,
            "case_role_moved": moved_role,
        },
    )
    return participant


@transaction.atomic
def person_merge(
    *,
    kept: Person,
    merged: Person,
    actor: User,
    reason: str,
    request: HttpRequest | None = None,
) -> PersonMerge:
    """Fold ``merged`` into ``kept``: every case and referral role of ``merged`` moves to ``kept``.

    What moved is recorded on the ``PersonMerge`` so that ``person_unmerge`` restores it exactly.
    """
    from openmarac.cases.models import CaseParticipant
    from openmarac.referrals.models import ReferralParticipant

    from .models import PersonMerge

    kept = Person.objects.select_for_update(of=("self",)).get(pk=kept.pk)
    merged = Person.objects.select_for_update(of=("self",)).get(pk=merged.pk)
    if kept.pk == merged.pk:
        raise PersonLinkError("Choose two different people to merge")
    if kept.partnership_id != merged.partnership_id:
        raise PersonLinkError("People of different partnerships cannot be merged")
    if kept.merged_into_id is not None or merged.merged_into_id is not None:
        raise PersonLinkError("One of these records has already been merged into another")
    if not reason.strip():
        raise PersonLinkError("Enter why these records are the same person")
    repointed: list[int] = []
    removed: list[list[int | str]] = []
    for row in CaseParticipant.objects.filter(person=merged).order_by("pk"):
        if CaseParticipant.objects.filter(case_id=row.case_id, person=kept, role=row.role).exists():
            removed.append([row.case_id, row.role])
            row.delete()
        else:
            row.person = kept
            row.save(update_fields=["person"])
            repointed.append(row.pk)
    referral_roles = list(
        ReferralParticipant.objects.filter(person=merged).values_list("pk", flat=True)
    )
    ReferralParticipant.objects.filter(pk__in=referral_roles).update(person=kept)
    merged.merged_into = kept
    merged.save(update_fields=["merged_into"])
    record = PersonMerge.objects.create(
        kept=kept,
        merged=merged,
        reason=reason.strip(),
        moved={
            "case_roles": repointed,
            "case_roles_removed": removed,
            "referral_roles": sorted(referral_roles),
        },
        merged_by=actor,
        merged_at=timezone.now(),
    )
    audit_record(
        action="person.merge",
        request=request,
        actor=actor,
        obj=record,
        detail={"kept": kept.pk, "merged": merged.pk, "moved": record.moved},
    )
    return record


@transaction.atomic
def person_unmerge(
    *, merge: PersonMerge, actor: User, reason: str, request: HttpRequest | None = None
) -> PersonMerge:
    """Reverse a merge exactly, from what its record says moved."""
    from openmarac.cases.models import CaseParticipant
    from openmarac.referrals.models import ReferralParticipant

    from .models import PersonMerge

    merge = PersonMerge.objects.select_for_update(of=("self",)).get(pk=merge.pk)
    if merge.undone_at is not None:
        raise PersonLinkError("This merge has already been undone")
    if not reason.strip():
        raise PersonLinkError("Enter why the merge was wrong")
    later = PersonMerge.objects.filter(pk__gt=merge.pk, undone_at__isnull=True).filter(
        models.Q(kept_id=merge.kept_id) | models.Q(merged_id=merge.kept_id)
    )
    if later.exists():
        raise PersonLinkError("Undo the later merge of this record first")
    moved = merge.moved
    CaseParticipant.objects.filter(
        pk__in=moved.get("case_roles", []), person_id=merge.kept_id
    ).update(person_id=merge.merged_id)
    for case_id, role in moved.get("case_roles_removed", []):
        CaseParticipant.objects.get_or_create(case_id=case_id, person_id=merge.merged_id, role=role)
    ReferralParticipant.objects.filter(
        pk__in=moved.get("referral_roles", []), person_id=merge.kept_id
    ).update(person_id=merge.merged_id)
    Person.objects.filter(pk=merge.merged_id).update(merged_into=None)
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.undo_reason = reason.strip()
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    audit_record(
        action="person.unmerge",
        request=request,
        actor=actor,
        obj=merge,
        detail={"kept": merge.kept_id, "merged": merge.merged_id},
    )
    return merge
