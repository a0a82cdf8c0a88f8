"""A hub coordinator reaches only the areas their licence covers, and only while it is active.

The same rule as for cases (``areas_followed_by``) holds for referrals and the triage queue,
the restricted-case access pages, break-glass, the audit of a case, the areas' policies and the
meetings' minutes, as it already did for weekly updates, people and running meetings. Two coordinators of the demo hub try them:

* ``north_only``: a working coordinator whose licence covers North Kent only;
* ``lapsed``: a working coordinator whose licence expired (or, in one test, was suspended).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.models import AuditEvent, Outcome
from openmarac.caseaccess.models import ConflictDeclaration
from openmarac.cases.models import CaseParticipant, ParticipantRole, Restriction
from openmarac.cases.selectors import active_licence_for
from openmarac.licences.models import Licence, LicenceStatus
from openmarac.meetings.models import Meeting
from openmarac.meetings.services import meetings_generate
from openmarac.proceedings.services.guards import record_for
from openmarac.referrals.models import LinkStatus, Referral, ReferralStatus
from openmarac.referrals.selectors import referrals_visible_to
from openmarac.triage.services.decisions import referral_decline, referral_return

from .conftest import Cast, client_for, make_user
from .triage_helpers import person, submit_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_only(cast: Cast) -> User:
    coordinator = make_user(
        "north_only_hub", agency=cast.coordinator.agency, is_hub_coordinator=True
    )
    Licence.objects.get(user=coordinator).areas.set([cast.area_a])
    assert active_licence_for(coordinator) is not None
    return coordinator


def _lapsed(cast: Cast, how: str = "expired") -> User:
    coordinator = make_user("lapsed_hub", agency=cast.coordinator.agency, is_hub_coordinator=True)
    licences = Licence.objects.filter(user=coordinator)
    if how == "expired":
        # Relative to whatever today is: the licence ended a month ago.
        licences.update(expires_on=timezone.localdate() - datetime.timedelta(days=30))
    else:
        licences.update(status=LicenceStatus.SUSPENDED)
    assert active_licence_for(coordinator) is None
    return coordinator


@pytest.fixture
def lapsed(cast: Cast) -> User:
    return _lapsed(cast)


@pytest.fixture
def referrals(cast: Cast) -> dict[str, Referral]:
    """A referral waiting for triage in each area."""
    return {
        "north": submit_referral(cast.area_a, victim=("Northvictim", "Scopetest")),
        "west": submit_referral(cast.area_b, victim=("Westvictim", "Scopetest")),
    }


def _refused(response, user: User, before: int) -> bool:
    """404, and the refusal audited against ``user``."""
    denials = AuditEvent.objects.filter(outcome=Outcome.DENIED)
    last = denials.order_by("-id").first()
    return (
        response.status_code == 404
        and denials.count() > before
        and last is not None
        and last.actor_id == user.pk
    )


def _denials() -> int:
    return AuditEvent.objects.filter(outcome=Outcome.DENIED).count()


REFERRAL_PAGES = [
    "referrals:hub_detail",
    "triage:referral",
    "triage:accept",
    "triage:return",
    "triage:decline",
]


# Referrals and the triage queue.


def test_a_north_kent_coordinator_is_given_north_kent_referrals_only(cast, north_only, referrals):
    visible = set(referrals_visible_to(north_only))
    assert referrals["north"] in visible
    assert referrals["west"] not in visible
    # The partnership's own coordinator, licensed for every area, is given both.
    assert {referrals["north"], referrals["west"]} <= set(referrals_visible_to(cast.coordinator))


def test_the_triage_queue_of_a_north_kent_coordinator_leaves_out_west_kent(
    cast, north_only, referrals
):
    returned = submit_referral(cast.area_b, victim=("Returnedwest", "Scopetest"))
    referral_return(referral=returned, actor=cast.coordinator, missing="The risk checklist")
    declined = submit_referral(cast.area_b, victim=("Declinedwest", "Scopetest"))
    referral_decline(
        referral=declined, actor=cast.coordinator, decline_reason="out_of_area", explanation="x"
    )
    page = client_for(north_only).get(reverse("triage:queue"))
    assert page.status_code == 200
    text = page.content.decode()
    assert referrals["north"].reference in text
    for west in (referrals["west"], returned, declined):
        assert west.reference not in text
    everything = client_for(cast.coordinator).get(reverse("triage:queue")).content.decode()
    for west in (referrals["west"], returned, declined):
        assert west.reference in everything


@pytest.mark.parametrize("name", REFERRAL_PAGES)
def test_a_north_kent_coordinator_cannot_open_a_west_kent_referral(
    cast, north_only, referrals, name
):
    client = client_for(north_only)
    west = reverse(name, kwargs={"public_id": referrals["west"].public_id})
    before = _denials()
    assert _refused(client.get(west), north_only, before)
    # The same page opens (or leads on) for their own area's referral.
    north = reverse(name, kwargs={"public_id": referrals["north"].public_id})
    assert client.get(north).status_code in (200, 302)


def test_a_north_kent_coordinator_cannot_accept_decline_return_or_link_a_west_kent_referral(
    cast, north_only, referrals
):
    west = referrals["west"]
    client = client_for(north_only)
    kwargs = {"public_id": west.public_id}
    tries = [
        (reverse("triage:accept", kwargs=kwargs), {"reason": "Met", "information_only": "no"}),
        (
            reverse("triage:decline", kwargs=kwargs),
            {"decline_reason": "out_of_area", "explanation": "Not ours"},
        ),
        (reverse("triage:return", kwargs=kwargs), {"missing": "Everything"}),
    ]
    participant = west.participants.filter(link_status=LinkStatus.PENDING).first()
    tries.append(
        (
            reverse(
                "triage:participant_decide",
                kwargs={**kwargs, "participant_id": participant.pk},
            ),
            {"decision": "new"},
        )
    )
    for url, data in tries:
        before = _denials()
        assert _refused(client.post(url, data), north_only, before), url
    west.refresh_from_db()
    participant.refresh_from_db()
    assert west.status == ReferralStatus.SUBMITTED
    assert west.case is None
    assert participant.link_status == LinkStatus.PENDING


@pytest.mark.parametrize("how", ["expired", "suspended"])
def test_a_coordinator_whose_licence_lapsed_is_given_no_referral(cast, referrals, how):
    coordinator = _lapsed(cast, how)
    assert not referrals_visible_to(coordinator).exists()
    client = client_for(coordinator)
    page = client.get(reverse("triage:queue")).content.decode()
    for referral in referrals.values():
        assert referral.reference not in page
    for name in REFERRAL_PAGES:
        url = reverse(name, kwargs={"public_id": referrals["north"].public_id})
        before = _denials()
        assert _refused(client.get(url), coordinator, before), name
    decline = reverse("triage:decline", kwargs={"public_id": referrals["north"].public_id})
    before = _denials()
    assert _refused(
        client.post(decline, {"decline_reason": "out_of_area", "explanation": "x"}),
        coordinator,
        before,
    )
    referrals["north"].refresh_from_db()
    assert referrals["north"].status == ReferralStatus.SUBMITTED


def test_a_referral_without_an_area_reaches_only_coordinators_of_every_area(
    cast, north_only, lapsed, referrals
):
    """A referral reaches the hub only with the victim's area; one without it all the same is
    not lost (every-area coordinators see it) and not shown to a coordinator of one area."""
    stray = referrals["west"]
    Referral.objects.filter(pk=stray.pk).update(area=None)
    assert stray in set(referrals_visible_to(cast.coordinator))
    assert stray not in set(referrals_visible_to(north_only))
    assert stray not in set(referrals_visible_to(lapsed))


# Every other hub page that lists or opens the partnership's data by area.


def _west_kent_people(cast: Cast) -> tuple[int, int]:
    kept = person(cast.area_b, "Westkept", "Scopetest")
    other = person(cast.area_b, "Westother", "Scopetest")
    for known in (kept, other):
        CaseParticipant.objects.create(case=cast.case_b, person=known, role=ParticipantRole.VICTIM)
    return kept.pk, other.pk


def test_a_north_kent_coordinator_reaches_no_west_kent_item_on_the_other_hub_pages(
    cast, north_only
):
    kept, other = _west_kent_people(cast)
    ConflictDeclaration.objects.create(case=cast.case_b, user=cast.housing_rep)
    west, north = cast.case_b.reference, cast.case_a.reference
    client = client_for(north_only)
    refused = [
        reverse("caseaccess:manage", kwargs={"reference": west}),
        reverse("audit:case") + f"?reference={west}",
        reverse("partnerships:policy_edit", kwargs={"area_id": cast.area_b.pk}),
        reverse("triage:weekly_updates", kwargs={"reference": west}),
        reverse("triage:weekly_update_new", kwargs={"reference": west}),
        reverse("triage:person", kwargs={"person_id": kept}),
        reverse("triage:person_merge", kwargs={"person_id": kept, "other_id": other}),
        reverse("meetings:add", kwargs={"area_id": cast.area_b.pk}),
    ]
    for url in refused:
        before = _denials()
        assert _refused(client.get(url), north_only, before), url
    # The lists leave West Kent out.
    index = client.get(reverse("caseaccess:index")).content.decode()
    assert west not in index
    areas = client.get(reverse("partnerships:area_list")).content.decode()
    assert cast.area_b.name not in areas
    assert cast.area_a.name in areas
    # North Kent's pages open: the refusals are the licence's doing.
    for url in (
        reverse("caseaccess:manage", kwargs={"reference": north}),
        reverse("audit:case") + f"?reference={north}",
        reverse("partnerships:policy_edit", kwargs={"area_id": cast.area_a.pk}),
        reverse("triage:weekly_updates", kwargs={"reference": north}),
    ):
        assert client.get(url).status_code == 200, url


def test_a_north_kent_hub_manager_cannot_break_glass_on_a_west_kent_case(cast, north_only):
    cast.case_b.restriction = Restriction.HBA
    cast.case_b.save()
    User.objects.filter(pk=north_only.pk).update(is_hub_manager=True)
    north_only.refresh_from_db()
    response = client_for(north_only).post(
        reverse("caseaccess:break_glass"),
        {"reference": cast.case_b.reference, "reason": "A call from the police at night"},
    )
    assert "There is no restricted case with that reference" in response.content.decode()
    assert not cast.case_b.break_glass_uses.exists()


def test_a_coordinator_whose_licence_expired_reaches_no_area_bound_hub_page(cast, lapsed):
    north = cast.case_a.reference
    client = client_for(lapsed)
    for url in (
        reverse("caseaccess:manage", kwargs={"reference": north}),
        reverse("audit:case") + f"?reference={north}",
        reverse("partnerships:policy_edit", kwargs={"area_id": cast.area_a.pk}),
        reverse("triage:weekly_updates", kwargs={"reference": north}),
        reverse("meetings:add", kwargs={"area_id": cast.area_a.pk}),
    ):
        before = _denials()
        assert _refused(client.get(url), lapsed, before), url
    areas = client.get(reverse("partnerships:area_list")).content.decode()
    assert cast.area_a.name not in areas


def test_the_minutes_of_a_meeting_are_for_coordinators_licensed_for_its_area(
    cast, north_only, lapsed
):
    meetings = {}
    for area in (cast.area_a, cast.area_b):
        if not Meeting.objects.filter(area=area).exists():
            meetings_generate(area=area)
        meeting = Meeting.objects.filter(area=area).order_by("starts_on").first()
        record_for(meeting)
        meetings[area.code] = reverse("proceedings:minutes", kwargs={"meeting_id": meeting.pk})
    before = _denials()
    assert _refused(client_for(north_only).get(meetings["WK"]), north_only, before)
    before = _denials()
    assert _refused(client_for(lapsed).get(meetings["NK"]), lapsed, before)
    assert client_for(north_only).get(meetings["NK"]).status_code == 200
    assert client_for(cast.coordinator).get(meetings["WK"]).status_code == 200
