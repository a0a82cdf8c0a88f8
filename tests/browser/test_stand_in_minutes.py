"""A stand-in chair approves the minutes of the case they chaired; the conflicted chair cannot
open that case's minutes. Every page is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from openmarac.proceedings.models import SectionApproval
from tests.matrix.proceedings import stood_in_args

from .conftest import navigate, open_url, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_stand_in_approves_their_case_and_the_conflicted_chair_cannot_open_it(
    live_server: Any, page: Page, cast: Any
) -> None:
    args = stood_in_args(cast)
    url = live_server.url + reverse("proceedings:minutes_section", kwargs=args)

    sign_in(page, live_server.url, "police")
    open_url(page, url)
    navigate(page, page.get_by_role("button", name="Approve the minutes of this case").click)
    assert SectionApproval.objects.filter(approved_by=cast.police_rep).count() == 1
    expect(page.get_by_role("button", name="Approve the minutes of this case")).to_have_count(0)
    sign_out(page)

    sign_in(page, live_server.url, "chair")
    open_url(page, url)
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
