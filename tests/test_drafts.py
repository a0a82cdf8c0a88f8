"""Nothing typed is lost: a long form posted after the session ended is kept as a draft, and
after signing in again the person lands back on the form with their text put back. Drafts
belong to their owner alone, are encrypted, and are purged after a short time."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client

from openmarac.actions.models import Action
from openmarac.audit.models import AuditEvent
from openmarac.demo.partnership import DEMO_PASSWORD
from openmarac.drafts.models import FormDraft
from openmarac.drafts.services import form_drafts_purge
from openmarac.retention.sweeps import purge_expired

from .auth_helpers import CODE, sign_in
from .conftest import client_for, next_totp_code
from .referral_helpers import start_referral, verified_referrer

pytestmark = pytest.mark.django_db

TEXT = "Spoke to the victim's GP on Friday; the surgery will flag the record."


def _visible_action(client: Client) -> Action:
    for action in Action.objects.order_by("pk"):
        if client.get(f"/actions/{action.public_id}/comment/").status_code == 200:
            return action
    raise AssertionError("the demo has no action this user may comment on")


def _sign_in_from(client: Client, location: str, user) -> str:  # type: ignore[no-untyped-def]
    """Sign in on the page the expired post was sent to; where the person lands at the end."""
    response = client.post(location, {"username": user.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[-1500:]
    response = client.post(CODE, {"code": next_totp_code(user)})
    assert response.status_code == 302
    return response["Location"]


def test_a_comment_posted_after_the_session_expired_is_restored_after_sign_in(cast):
    policy = cast.partnership.security_policy
    policy.idle_timeout_minutes = 15
    policy.save()
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        client = sign_in(cast.chair)
        action = _visible_action(client)
        url = f"/actions/{action.public_id}/comment/"
    with time_machine.travel("2026-11-23 09:20:00+00:00", tick=False):
        response = client.post(url, {"text": TEXT})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")
        draft = FormDraft.objects.get()
        assert draft.user == cast.chair
        assert draft.path == url
        with connection.cursor() as cursor:
            cursor.execute("SELECT fields FROM drafts_formdraft")
            stored = cursor.fetchone()[0]
        assert "GP" not in stored
        assert "csrf" not in stored
        landed = _sign_in_from(client, response["Location"], cast.chair)
        assert landed == url
        page = client.get(landed).content.decode()
    assert TEXT.replace("'", "&#x27;") in page
    assert "what you typed was kept" in page
    assert not FormDraft.objects.exists()  # handed back once
    assert AuditEvent.objects.filter(action="draft.kept", actor=cast.chair).exists()
    assert AuditEvent.objects.filter(action="draft.restored", actor=cast.chair).exists()


def test_a_draft_is_never_shown_to_anyone_else(cast):
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        client = sign_in(cast.chair)
        action = _visible_action(client)
        url = f"/actions/{action.public_id}/comment/"
    with time_machine.travel("2026-11-23 09:20:00+00:00", tick=False):
        client.post(url, {"text": TEXT})
        assert FormDraft.objects.count() == 1
        other = client_for(cast.coordinator)
        page = other.get(url)
        assert TEXT not in page.content.decode()
    assert FormDraft.objects.count() == 1


def test_a_post_within_the_session_keeps_no_draft(cast):
    client = client_for(cast.chair)
    action = _visible_action(client)
    client.post(f"/actions/{action.public_id}/comment/", {"text": TEXT})
    assert not FormDraft.objects.exists()


def test_a_referrers_page_posted_after_their_session_ended_comes_back_after_verifying(cast):
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        client = verified_referrer()
        base = start_referral(client)
        url = f"{base}s/referrer/"
        assert client.get(url).status_code == 200
    with time_machine.travel("2026-11-23 09:30:00+00:00", tick=False):
        response = client.post(url, {"name": "Referrer Person", "job_title": "Health visitor"})
        assert response["Location"] == "/refer/email/"
        draft = FormDraft.objects.get()
        assert draft.user is None
        assert draft.referrer_key
        assert draft.path == url
        # Someone else verifying another address does not get it.
        stranger = verified_referrer("someone@example.org")
        assert "Health visitor" not in stranger.get(url).content.decode()
        assert FormDraft.objects.count() == 1
        client.post("/refer/email/", {"email": "worker@example.org"})
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
        response = client.post("/refer/email/code/", {"code": code})
        assert response["Location"] == url
        page = client.get(url).content.decode()
    assert "Health visitor" in page
    assert "Referrer Person" in page
    assert not FormDraft.objects.exists()


def test_the_retention_sweep_purges_drafts_nobody_came_back_for(cast, settings):
    settings.PURGE_FORM_DRAFT_HOURS = 72
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        client = sign_in(cast.chair)
        action = _visible_action(client)
    with time_machine.travel("2026-11-23 09:20:00+00:00", tick=False):
        client.post(f"/actions/{action.public_id}/comment/", {"text": TEXT})
    assert FormDraft.objects.count() == 1
    assert purge_expired(datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)) == 0
    assert FormDraft.objects.count() == 1
    assert purge_expired(datetime.datetime(2026, 11, 26, 9, 21, tzinfo=datetime.UTC)) == 1
    assert not FormDraft.objects.exists()
    assert form_drafts_purge(now=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)) == 0


def test_a_refused_post_keeps_its_text_for_the_page(cast):
    """A post refused for its CSRF token (a page left open over a sign-in elsewhere) keeps the
    text, and going back to the page puts it back."""
    client = client_for(cast.chair)
    action = _visible_action(client)
    url = f"/actions/{action.public_id}/comment/"
    client.handler.enforce_csrf_checks = True
    response = client.post(url, {"text": TEXT, "csrfmiddlewaretoken": "stale"})
    assert response.status_code == 403
    assert FormDraft.objects.get().user == cast.chair
    client.handler.enforce_csrf_checks = False
    assert TEXT.replace("'", "&#x27;") in client.get(url).content.decode()
    assert not FormDraft.objects.exists()


def test_minutes_review_notes_posted_after_expiry_come_back_on_the_minutes_page(cast):
    """The review notes are posted to their own address from the minutes page: the draft is
    kept for the minutes page, and signing in again leads there, not to the post's address."""
    from openmarac.meetings.models import Meeting
    from openmarac.proceedings.models import MeetingRecord

    notes = "Reviewed the outstanding actions with each agency; two carried to next month."
    meeting = Meeting.objects.get(area__code="MK")
    MeetingRecord.objects.create(meeting=meeting)  # its record is open, its minutes a draft
    page_url = f"/meetings/{meeting.pk}/minutes/"
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        client = sign_in(cast.coordinator)
        assert "Save the review notes" in client.get(page_url).content.decode()
    with time_machine.travel("2026-11-23 09:20:00+00:00", tick=False):
        response = client.post(f"{page_url}outstanding/", {"notes": notes})
        assert response["Location"] == f"/accounts/sign-in/?next={page_url}"
        assert FormDraft.objects.get().path == page_url
        landed = _sign_in_from(client, response["Location"], cast.coordinator)
        assert landed == page_url
        page = client.get(landed).content.decode()
    assert notes in page
    assert not FormDraft.objects.exists()


@pytest.mark.parametrize("which", ["case record", "information shared"])
def test_what_is_typed_at_a_hearing_comes_back_after_the_session_ended(cast, which):
    """The case record typed during the meeting, and the information an agency shares (a form on
    the same page posting to its own address), both come back on the hearing page."""
    from django.urls import reverse

    from .test_proceedings import Room

    policy = cast.partnership.security_policy
    policy.idle_timeout_minutes = 15
    policy.save()
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        room = Room(cast)
        room.open()
        room.hear()
        page_url = reverse("proceedings:hearing", args=[room.meeting.pk, room.listing.pk])
        client = sign_in(cast.coordinator)
        assert client.get(page_url).status_code == 200
    if which == "case record":
        post_url, data = page_url, {"risks": TEXT, "victim_voice": "", "discussion": ""}
    else:
        post_url = reverse("proceedings:information_add", args=[room.meeting.pk, room.listing.pk])
        data = {
            "info-agency": cast.police_rep.agency_id,
            "info-text": TEXT,
            "info-in_writing": "no",
        }
    with time_machine.travel("2026-11-23 09:20:00+00:00", tick=False):
        response = client.post(post_url, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")
        assert FormDraft.objects.get().path == page_url
        landed = _sign_in_from(client, response["Location"], cast.coordinator)
        assert landed == page_url
        page = client.get(landed).content.decode()
    assert TEXT.replace("'", "&#x27;") in page
    assert "what you typed was kept" in page
    assert not FormDraft.objects.exists()
