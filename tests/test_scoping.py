"""The scoping layer: who sees which cases and referrals."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from openmarac.audit.models import AuditEvent
from openmarac.cases.models import Case, CaseAccessGrant, CaseInvitation, Restriction
from openmarac.cases.selectors import cases_visible_to
from openmarac.referrals.models import Referral
from openmarac.referrals.selectors import referrals_visible_to

from .conftest import client_for

pytestmark = pytest.mark.django_db


def refs(user):
    return sorted(cases_visible_to(user).values_list("reference", flat=True))


def test_a_standing_member_sees_every_case_of_its_areas(cast):
    # Police are standing members of every demo area, so they see every unrestricted case.
    everything = Case.objects.filter(partnership=cast.partnership, restriction="")
    assert refs(cast.police_rep) == sorted(everything.values_list("reference", flat=True))
    assert {cast.case_a.reference, cast.case_b.reference} <= set(refs(cast.police_rep))


def test_a_member_of_one_area_sees_nothing_of_another(cast):
    assert refs(cast.housing_rep) == [cast.case_b.reference]


def test_a_by_invite_agency_sees_only_the_cases_it_is_invited_to(cast):
    assert refs(cast.invited_rep) == [cast.case_a.reference]


def test_an_expired_invitation_gives_no_access(cast):
    CaseInvitation.objects.filter(case=cast.case_a).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert refs(cast.invited_rep) == []


def test_the_partnership_lead_and_inactive_users_see_no_case(cast):
    assert refs(cast.lead) == []
    assert refs(cast.revoked) == []


def test_a_restricted_case_is_seen_only_by_named_users(cast):
    cast.case_a.restriction = Restriction.HBA
    cast.case_a.save()
    for user in (cast.coordinator, cast.chair, cast.police_rep, cast.invited_rep):
        assert cast.case_a.reference not in refs(user)
    CaseAccessGrant.objects.create(case=cast.case_a, user=cast.chair, granted_by=cast.coordinator)
    assert cast.case_a.reference in refs(cast.chair)
    assert cast.case_a.reference not in refs(cast.police_rep)


def test_only_the_hub_sees_referrals_waiting_for_triage(cast):
    waiting = Referral.objects.filter(status="submitted").count()
    assert waiting >= 1
    assert referrals_visible_to(cast.coordinator).count() == waiting
    for user in (cast.chair, cast.police_rep, cast.housing_rep, cast.invited_rep, cast.lead):
        assert referrals_visible_to(user).count() == 0


def test_an_out_of_scope_case_answers_404_and_the_attempt_is_audited(cast):
    response = client_for(cast.housing_rep).get(f"/cases/{cast.case_a.reference}/")
    assert response.status_code == 404
    denied = AuditEvent.objects.get(action="case.view.denied")
    assert denied.actor == cast.housing_rep
    assert denied.outcome == "denied"


def test_viewing_a_case_is_audited_without_personal_data(cast):
    client_for(cast.police_rep).get(f"/cases/{cast.case_a.reference}/")
    event = AuditEvent.objects.get(action="case.view")
    assert event.actor == cast.police_rep
    assert event.object_id == str(cast.case_a.pk)
    assert event.ip_address == "127.0.0.1"
    assert "Victimone" not in str(event.detail)
