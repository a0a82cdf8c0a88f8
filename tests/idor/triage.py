"""Triage of referrals, known people (linking, merging, unmerging) and weekly updates."""

from __future__ import annotations

from typing import Any

from openmarac.cases.models import CaseParticipant, ParticipantRole
from openmarac.people.services import person_confirm_new, person_merge
from openmarac.referrals.models import LinkStatus, ReferralStatus
from tests.triage_helpers import person, submit_referral

from .common import Row, World, by_case, same_for_all


def _setup(world: World) -> dict[str, Any]:
    """A North Kent referral waiting for triage, with one person still to decide and one already
    confirmed as new; two known people on the ordinary case; and a merge of two others there.

    Triage and people pages are the hub's alone: every attacker tries the same objects.
    """
    if "triage" in world.extra:
        return world.extra["triage"]
    cast = world.cast
    area = cast.area_a
    referral = submit_referral(
        area,
        victim=("Idorvictim", "Triagetest"),
        perpetrators=(("Idorperp", "Triagetest"),),
        agency=cast.police_rep.agency,
    )
    assert referral.status == ReferralStatus.SUBMITTED
    pending, decided = list(referral.participants.order_by("pk"))[:2]
    person_confirm_new(participant=decided, actor=cast.coordinator)
    decided.refresh_from_db()
    assert pending.link_status == LinkStatus.PENDING
    assert decided.link_status == LinkStatus.NEW

    people = [person(area, forenames, "Idortest") for forenames in ("Kept", "Other", "A", "B")]
    for known in people:
        CaseParticipant.objects.create(
            case=world.ordinary_case, person=known, role=ParticipantRole.VICTIM
        )
    kept, other, merge_kept, merge_merged = people
    merge = person_merge(
        kept=merge_kept, merged=merge_merged, actor=cast.coordinator, reason="The same person"
    )
    world.extra["triage"] = {
        "referral": str(referral.public_id),
        "pending": pending.pk,
        "decided": decided.pk,
        "kept": kept.pk,
        "other": other.pk,
        "merge": merge.pk,
    }
    return world.extra["triage"]


def _referral(world: World) -> dict[str, Any]:
    return {"public_id": _setup(world)["referral"]}


def _participant(which: str) -> Any:
    return same_for_all(
        lambda w: {"public_id": _setup(w)["referral"], "participant_id": _setup(w)[which]}
    )


CASE = by_case(lambda w, case: {"reference": case.reference})

ROWS = {
    "triage:referral": Row(same_for_all(_referral)),
    "triage:accept": Row(same_for_all(_referral)),
    "triage:return": Row(same_for_all(_referral)),
    "triage:decline": Row(same_for_all(_referral)),
    # A change if let through: the person would be confirmed as new.
    "triage:participant_decide": Row(
        _participant("pending"), method="post", data={"decision": "new"}
    ),
    "triage:participant_unlink": Row(_participant("decided")),
    "triage:person": Row(same_for_all(lambda w: {"person_id": _setup(w)["kept"]})),
    "triage:person_merge": Row(
        same_for_all(lambda w: {"person_id": _setup(w)["kept"], "other_id": _setup(w)["other"]})
    ),
    "triage:person_unmerge": Row(same_for_all(lambda w: {"merge_id": _setup(w)["merge"]})),
    # Weekly updates belong to the case: everyone who may see the case may read and add them.
    "triage:weekly_updates": Row(CASE),
    "triage:weekly_update_new": Row(CASE),
}
