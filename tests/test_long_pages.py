"""Long pages read in sections: check-your-answers and the triage referral page show each
section of the referral as a GOV.UK summary card, listed first with links to each, and check-
your-answers gives each card a "Change" link named for its section."""

from __future__ import annotations

import re

import pytest

from .conftest import client_for
from .referral_helpers import complete_referral, start_referral, verified_referrer
from .triage_helpers import submit_referral

pytestmark = pytest.mark.django_db


def _cards(page: str) -> list[str]:
    return re.findall(r'<h2 class="govuk-summary-card__title" id="answers-([a-z-]+)-title">', page)


def test_check_your_answers_is_in_sections_each_with_a_change_link(cast):
    client = verified_referrer()
    base = start_referral(client)
    complete_referral(client, base, cast.area_a)
    page = client.get(f"{base}check/").content.decode()
    cards = _cards(page)
    assert {"victim", "checklist-answers", "incidents", "consent"} <= set(cards)
    # The list of sections links to each card.
    for slug in cards:
        assert f'href="#answers-{slug}"' in page
    # One "Change" a card, named for its section for screen readers, to that section's page.
    change = re.search(
        r'<a class="govuk-link" href="([^"]+)">Change<span class="govuk-visually-hidden"> '
        r"victim</span></a>",
        page,
    )
    assert change
    assert change.group(1) == f"{base}s/victim/"
    # Every card has its own link (Change, or Complete for a section not filled in), and the
    # rows none: the card's link replaces one on every row.
    assert page.count('class="govuk-summary-card__action"') >= len(cards)
    assert page.count('class="govuk-summary-list__actions"') == 0


def test_the_triage_referral_page_is_in_sections_without_change_links(cast):
    referral = submit_referral(cast.area_a)
    page = client_for(cast.coordinator).get(f"/hub/triage/{referral.public_id}/").content.decode()
    assert 'aria-labelledby="on-this-page"' in page
    for anchor in ("people", "answers"):
        assert f'href="#{anchor}"' in page
        assert f'id="{anchor}"' in page
    assert {"victim", "checklist-answers"} <= set(_cards(page))
    assert ">Change<" not in page
