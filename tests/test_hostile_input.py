"""Random and hostile values posted to every referral form: never a server error, never a lost draft."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmarac.referrals import sections as s
from openmarac.referrals.models import Referral

from .referral_helpers import complete_referral, start_referral, verified_referrer

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "<script>alert(1)</script>",
            "'; DROP TABLE people_person; --",
            "9" * 400,
            "-1",
            "1e309",
            "NaN",
            "../../etc/passwd",
            "{{ 7*7 }}",
            "%s%n",
            "\u202e",
            "😀" * 50,
            "31",
            "2",
            "1900",
            "0",
            "yes",
            "no",
            "not_known",
            "other",
        ]
    ),
)


def field_names(referral: Referral, section: s.Section) -> list[str]:
    names = []
    for name, field in s.build_form(referral, section).fields.items():
        if field.widget.__class__.__name__ == "GovukDateInput":
            names += [f"{name}_day", f"{name}_month", f"{name}_year"]
        else:
            names.append(name)
    return names


@pytest.fixture
def journey(cast):
    client = verified_referrer()
    base = start_referral(client)
    complete_referral(client, base, cast.area_a)
    referral = Referral.objects.get(public_id=base.split("/")[3])
    return client, base, referral


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [sec.slug for sec in s.SECTIONS])
def test_hostile_values_never_break_a_section_or_lose_the_draft(journey, slug):
    client, base, referral = journey
    section = s.BY_SLUG[slug]
    if section.slug == "stalking" and s.stalking_checklist(referral) is None:
        pytest.skip("this area does not use S-DASH")
    url = f"{base}list/{slug}/add/" if section.repeatable else f"{base}s/{slug}/"
    names = field_names(referral, section)
    before = Referral.objects.get(pk=referral.pk).answers

    @settings(
        max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(st.fixed_dictionaries(dict.fromkeys(names, HOSTILE)), st.lists(HOSTILE, max_size=3))
    def post(values: dict[str, str], extra: list[str]) -> None:
        data: dict[str, object] = dict(values)
        data["legal_basis"] = extra  # multi-value fields get lists
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            page = response.content.decode()
            assert "govuk-error-summary" in page
            assert "<script>alert(1)</script>" not in page
        current = Referral.objects.get(pk=referral.pk)
        # Other sections' answers are never lost.
        for other, value in before.items():
            if other not in (slug, "checklist-answers", "area"):
                assert current.answers.get(other) == value
        assert current.status == "draft"

    post()
