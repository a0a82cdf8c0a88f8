"""Permission-matrix rows for triage, linking and merging people, complex cases and updates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .common import NO_ARGS, SIGN_IN, Args, everyone, hub_only

if TYPE_CHECKING:
    from tests.conftest import Cast


def _waiting(cast: Cast) -> Any:
    from openmarac.referrals.models import Referral

    return Referral.objects.filter(status="submitted").order_by("pk").first()


def _referral(cast: Cast) -> dict[str, Any]:
    return {"public_id": str(_waiting(cast).public_id)}


def _participant(cast: Cast) -> dict[str, Any]:
    referral = _waiting(cast)
    return {
        "public_id": str(referral.public_id),
        "participant_id": referral.participants.first().pk,
    }


def _confirmed_participant(cast: Cast) -> dict[str, Any]:
    from openmarac.people.services import person_confirm_new

    kwargs = _participant(cast)
    referral = _waiting(cast)
    person_confirm_new(participant=referral.participants.first(), actor=cast.coordinator)
    return kwargs


def _victim(case: Any) -> Any:
    return case.participants.get(role="victim").person


def _person(cast: Cast) -> dict[str, Any]:
    return {"person_id": _victim(cast.case_a).pk}


def _two_people(cast: Cast) -> dict[str, Any]:
    return {"person_id": _victim(cast.case_a).pk, "other_id": _victim(cast.case_b).pk}


def _merge(cast: Cast) -> dict[str, Any]:
    from openmarac.people.services import person_merge

    merge = person_merge(
        kept=_victim(cast.case_a),
        merged=_victim(cast.case_b),
        actor=cast.coordinator,
        reason="Matrix",
    )
    return {"merge_id": merge.pk}


CASE_A: Args = lambda cast: {"reference": cast.case_a.reference}  # noqa: E731
CASE_A_MEMBERS = {
    "coordinator": 200,
    "chair": 200,
    "police_rep": 200,
    "housing_rep": 404,  # by invite in North Kent, and not invited to this case
    "invited_rep": 200,
    "lead": 404,
    "revoked": SIGN_IN,
    "anonymous": SIGN_IN,
}

ROWS: dict[str, tuple[Args, dict[str, Any]]] = {
    "triage:queue": (NO_ARGS, hub_only()),
    "triage:referral": (_referral, hub_only()),
    "triage:accept": (_referral, hub_only()),
    "triage:return": (_referral, hub_only()),
    "triage:decline": (_referral, hub_only()),
    "triage:participant_decide": (_participant, everyone(405)),
    "triage:participant_unlink": (_confirmed_participant, hub_only()),
    "triage:person": (_person, hub_only()),
    "triage:person_merge": (_two_people, hub_only()),
    "triage:person_unmerge": (_merge, hub_only()),
    "triage:complex_cases": (
        NO_ARGS,
        {
            **everyone(404),
            "coordinator": 200,
            "chair": 200,
            "revoked": SIGN_IN,
            "anonymous": SIGN_IN,
        },
    ),
    "triage:weekly_updates": (CASE_A, CASE_A_MEMBERS),
    "triage:weekly_update_new": (CASE_A, CASE_A_MEMBERS),
}
