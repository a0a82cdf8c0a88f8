"""Triage of referrals, known people (linking, merging, unmerging) and weekly updates."""

from __future__ import annotations

from typing import Any

from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.partnerships.models import Area
from openmarac.people.services import person_confirm_new, person_merge
from openmarac.referrals.models import LinkStatus, ReferralStatus
from tests.triage_helpers import person, submit_referral

from .common import Row, World, by_area, by_case


def _area_setup(world: World, area: Area, case: Case, name: str) -> dict[str, Any]:
    """In ``area``: a referral waiting for triage, with one person still to decide and one
    already confirmed as new; two known people on ``case``; and a merge of two others there."""
    cast = world.cast
    referral = submit_referral(
        area,
        victim=(f"Idor{name}victim", "Triagetest"),
        perpetrators=((f"Idor{name}perp", "Triagetest"),),
        agency=cast.police_rep.agency,
    )
    assert referral.status == ReferralStatus.SUBMITTED
    pending, decided = list(referral.participants.order_by("pk"))[:2]
    person_confirm_new(participant=decided, actor=cast.coordinator)
    decided.refresh_from_db()
    assert pending.link_status == LinkStatus.PENDING
    assert decided.link_status == LinkStatus.NEW

    people = [person(area, f"{name}{which}", "Idortest") for which in ("kept", "other", "a", "b")]
    for known in people:
        CaseParticipant.objects.create(case=case, person=known, role=ParticipantRole.VICTIM)
    kept, other, merge_kept, merge_merged = people
    merge = person_merge(
        kept=merge_kept, merged=merge_merged, actor=cast.coordinator, reason="The same person"
    )
    return {
        "referral": str(referral.public_id),
        "pending": pending.pk,
        "decided": decided.pk,
        "kept": kept.pk,
        "other": other.pk,
        "merge": merge.pk,
    }


def _setup(world: World) -> dict[str, Any]:
    """The same objects in North Kent (on the ordinary case) and in West Kent (on the West Kent
    case), for the area-limited coordinator.

    Triage and people pages are the hub's alone: every attacker tries North Kent's objects but
    the area-limited coordinator, who tries West Kent's.
    """
    if "triage" in world.extra:
        return world.extra["triage"]
    cast = world.cast
    world.extra["triage"] = {
        "north": _area_setup(world, cast.area_a, world.ordinary_case, "North"),
        "west": _area_setup(world, cast.area_b, world.west_case, "West"),
    }
    return world.extra["triage"]


def _each(**names: str) -> Any:
    """URL kwargs (``kwarg=key``) from the set-up of North Kent, or of West Kent for the
    area-limited coordinator."""

    def kwargs(which: str) -> Any:
        def build(world: World) -> dict[str, Any]:
            objects = _setup(world)[which]
            return {kwarg: objects[key] for kwarg, key in names.items()}

        return build

    return by_area(kwargs("north"), kwargs("west"))


REFERRAL = _each(public_id="referral")
CASE = by_case(lambda w, case: {"reference": case.reference})

ROWS = {
    "triage:referral": Row(REFERRAL),
    "triage:accept": Row(REFERRAL),
    "triage:return": Row(REFERRAL),
    "triage:decline": Row(REFERRAL),
    # A change if let through: the person would be confirmed as new.
    "triage:participant_decide": Row(
        _each(public_id="referral", participant_id="pending"),
        method="post",
        data={"decision": "new"},
    ),
    "triage:participant_unlink": Row(_each(public_id="referral", participant_id="decided")),
    "triage:person": Row(_each(person_id="kept")),
    "triage:person_merge": Row(_each(person_id="kept", other_id="other")),
    "triage:person_unmerge": Row(_each(merge_id="merge")),
    # Weekly updates belong to the case: everyone who may see the case may read and add them.
    "triage:weekly_updates": Row(CASE),
    "triage:weekly_update_new": Row(CASE),
}
