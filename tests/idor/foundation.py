"""Cases, referrals, areas and accounts."""

from __future__ import annotations

from typing import Any

from openmarac.accounts.models import Passkey, TotpDevice, UserSession
from openmarac.referrals.models import Referral

from .common import Row, World, by_area, by_case, partnership_wide, same_for_all


def _draft(world: World) -> dict[str, Any]:
    return {"public_id": str(Referral.objects.filter(status="draft").first().public_id)}


def _submitted_in(area: Any) -> dict[str, Any]:
    """A referral of ``area`` waiting for triage."""
    from tests.triage_helpers import submit_referral

    referral = Referral.objects.filter(status="submitted", area=area).first() or submit_referral(
        area, victim=("Idorhub", "Detailtest")
    )
    return {"public_id": str(referral.public_id)}


SUBMITTED = by_area(lambda w: _submitted_in(w.cast.area_a), lambda w: _submitted_in(w.cast.area_b))


def _victim(world: World) -> Any:
    """A user who is none of the attackers, whose own records (second factors, sessions) they try."""
    return world.cast.lead


def _device(world: World) -> dict[str, Any]:
    device = TotpDevice.objects.filter(user=_victim(world)).first()
    if device is None:
        device = TotpDevice.objects.create(user=_victim(world), secret="A" * 32)
    return {"device_id": device.pk}


def _passkey(world: World) -> dict[str, Any]:
    passkey, _ = Passkey.objects.get_or_create(
        user=_victim(world),
        credential_id=b"idor-matrix",
        defaults={"credential_data": b"not-a-real-key"},
    )
    return {"passkey_id": passkey.pk}


def _session(world: World) -> dict[str, Any]:
    record, _ = UserSession.objects.get_or_create(
        user=_victim(world), session_key="idor-matrix-victim-session"
    )
    return {"session_id": record.pk}


def _referrer_row(**extra: Any) -> Row:
    return Row(same_for_all(lambda w: {**_draft(w), **extra}))


ROWS = {
    "caserecord:record": Row(by_case(lambda w, case: {"reference": case.reference})),
    "cases:death": Row(by_case(lambda w, case: {"reference": case.reference})),
    "referrals:hub_detail": Row(SUBMITTED),
    "referrals:approval_detail": Row(SUBMITTED),
    "referrals:task_list": _referrer_row(),
    "referrals:check": _referrer_row(),
    "referrals:submitted": _referrer_row(),
    "referrals:section": _referrer_row(slug="victim"),
    "referrals:list_section": _referrer_row(slug="children"),
    "referrals:add_item": _referrer_row(slug="children"),
    "referrals:item": _referrer_row(slug="children", index=0),
    "referrals:remove_item": _referrer_row(slug="children", index=0),
    "partnerships:policy_edit": Row(
        by_area(lambda w: {"area_id": w.cast.area_a.pk}, lambda w: {"area_id": w.cast.area_b.pk})
    ),
    "accounts:totp_remove": Row(same_for_all(_device), method="post"),
    "accounts:passkey_remove": Row(same_for_all(_passkey), method="post"),
    "accounts:session_end": Row(same_for_all(_session), method="post"),
    # The partnership's accounts: its own coordinators manage them, whatever their licence.
    "accounts:hub_account": Row(partnership_wide(lambda w: {"user_id": _victim(w).pk})),
    "accounts:hub_account_action": Row(
        partnership_wide(lambda w: {"user_id": _victim(w).pk, "action": "unlock"}), method="post"
    ),
    "accounts:hub_session_end": Row(partnership_wide(_session), method="post"),
}
