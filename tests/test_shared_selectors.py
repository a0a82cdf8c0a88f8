"""The shared selectors agendas, research and actions build on."""

from __future__ import annotations

import pytest

from openmarac.agencies.models import AreaMembership, MembershipKind
from openmarac.agencies.selectors import agencies_active_in
from openmarac.cases.models import Restriction
from openmarac.cases.selectors import case_label_for


@pytest.mark.django_db
def test_only_standing_member_agencies_are_active_in_an_area(cast):
    active = set(agencies_active_in(cast.area_a))
    standing = {
        m.agency
        for m in AreaMembership.objects.filter(area=cast.area_a, kind=MembershipKind.STANDING)
        if not m.agency.is_hub
    }
    assert active == standing
    assert cast.police_rep.agency in active
    assert cast.housing_rep.agency not in active  # housing is by invite in North Kent


@pytest.mark.django_db
def test_a_visible_case_is_named_by_its_reference(cast):
    label = case_label_for(cast.police_rep, cast.case_a)
    assert (label.shown, label.text, label.opens) == (True, cast.case_a.reference, True)


@pytest.mark.django_db
def test_an_hba_case_shows_only_as_a_masked_slot_to_the_uninvited(cast):
    cast.case_a.restriction = Restriction.HBA
    cast.case_a.save()
    label = case_label_for(cast.police_rep, cast.case_a)
    assert label.shown
    assert not label.opens
    assert label.text == f"HBA {cast.case_a.reference[-4:]}"


@pytest.mark.django_db
@pytest.mark.parametrize("restriction", [Restriction.CLOSED, Restriction.EMPLOYEE])
def test_other_restricted_cases_do_not_exist_for_the_uninvited(cast, restriction):
    cast.case_a.restriction = restriction
    cast.case_a.save()
    label = case_label_for(cast.police_rep, cast.case_a)
    assert (label.shown, label.text, label.opens) == (False, "", False)
