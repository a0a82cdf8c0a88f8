"""E-mail through GOV.UK Notify: the official client against a local stand-in for Notify's API."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

import jwt
import pytest
import requests
import time_machine
from django.core import mail
from django.core.mail import EmailMessage

from openmarac.demo.partnership import demo_names, load_demo
from openmarac.notifications.models import Notice
from openmarac.notifications.services import notice_record, notices_deliver

from .conftest import TEST_NOW
from .support.fake_notify import FakeNotify, Template
from .test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def notify(settings) -> Iterator[FakeNotify]:
    fake = FakeNotify().start()
    settings.EMAIL_BACKEND = "openmarac.notifications.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = fake.api_key()
    settings.NOTIFY_BASE_URL = fake.base_url
    settings.NOTIFY_TEMPLATE_ID = fake.add_template()
    settings.NOTIFY_TEMPLATES = {}
    settings.NOTIFY_REPLY_TO_ID = ""
    settings.NOTIFY_TIMEOUT_SECONDS = 5
    yield fake
    fake.stop()


def record(event: str = "research.requested", recipient: str = "rep@example.org") -> Notice:
    notice = notice_record(
        event=event,
        instance="meeting:1",
        recipient_email=recipient,
        subject="MARAC agenda published: research for the North Kent meeting",
        body="Your agency has research to complete.\n\nSign in: https://marac.example.org/research/",
    )
    assert notice is not None
    return notice


def test_a_notice_is_sent_as_the_template_with_its_subject_and_body_only(notify, settings):
    notice = record()
    assert notices_deliver() == 1
    [sent] = notify.received
    assert sent == {
        "email_address": "rep@example.org",
        "template_id": settings.NOTIFY_TEMPLATE_ID,
        "personalisation": {
            "subject": "MARAC agenda published: research for the North Kent meeting",
            "body": "Your agency has research to complete.\n\n"
            "Sign in: https://marac.example.org/research/",
        },
        "reference": f"notice-{notice.key}",
    }
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert notice.last_error == ""
    assert mail.outbox == []  # nothing went any other way


def test_notices_map_to_templates_by_event_then_by_prefix_then_the_default(notify, settings):
    deaths, sign_in, research = notify.add_template(), notify.add_template(), notify.add_template()
    settings.NOTIFY_TEMPLATES = {"case.death": deaths, "auth.*": sign_in, "research.*": research}
    settings.NOTIFY_TEMPLATES["research.late"] = deaths  # an exact entry beats a prefix
    for event in ["case.death", "auth.password_changed", "research.reminder", "research.late"]:
        record(event=event)
    record(event="licence.approved")
    assert notices_deliver() == 5
    assert [sent["template_id"] for sent in notify.received] == [
        deaths,
        sign_in,
        research,
        deaths,
        settings.NOTIFY_TEMPLATE_ID,
    ]


def test_a_reply_to_address_is_named_when_configured(notify, settings):
    settings.NOTIFY_REPLY_TO_ID = "6d1d3ca4-5f86-4c3b-9f7e-0a4c9a2d1b11"
    record()
    notices_deliver()
    assert notify.received[0]["email_reply_to_id"] == "6d1d3ca4-5f86-4c3b-9f7e-0a4c9a2d1b11"


def test_a_wrong_api_key_is_refused_recorded_and_retried_once_put_right(notify, settings):
    settings.NOTIFY_API_KEY = FakeNotify(service_id=notify.service_id).api_key()  # other secret
    notice = record()
    with time_machine.travel(START, tick=False):
        assert notices_deliver() == 0
    assert notify.refused == [(403, "AuthError")]
    notice.refresh_from_db()
    assert (notice.sent_at, notice.attempts, notice.last_error) == (
        None,
        1,
        "NotifyRefused 403",
    )
    settings.NOTIFY_API_KEY = notify.api_key()
    with time_machine.travel(START + datetime.timedelta(seconds=30), tick=False):
        assert notices_deliver() == 0  # not before its back-off
    with time_machine.travel(START + datetime.timedelta(minutes=2), tick=False):
        assert notices_deliver() == 1
        assert notices_deliver() == 0
    assert len(notify.received) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert notice.last_error == ""


def test_an_outage_then_the_rate_limit_are_waited_out(notify):
    notify.fail_next = [500, 429]
    notice = record()
    errors = []
    for minutes in (0, 2, 5):
        with time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False):
            notices_deliver()
        notice.refresh_from_db()
        errors.append(notice.last_error)
    assert errors == ["NotifyRefused 500", "NotifyRefused 429", ""]
    assert notice.attempts == 3
    assert len(notify.received) == 1


def test_notify_out_of_reach_is_a_failure_like_any_other(notify):
    notify.stop()
    notice = record()
    assert notices_deliver() == 0
    notice.refresh_from_db()
    assert notice.sent_at is None
    assert notice.last_error == "NotifyRefused 503"  # the client's word for no answer
    notify.start()  # for the fixture's stop


def test_a_template_with_a_placeholder_the_service_does_not_fill_is_refused(notify, settings):
    settings.NOTIFY_TEMPLATE_ID = notify.add_template(Template(body="((body))\n\n((case_name))"))
    notice = record()
    assert notices_deliver() == 0
    notice.refresh_from_db()
    assert notice.last_error == "NotifyRefused 400"
    assert notify.refused == [(400, "BadRequestError")]


def test_a_message_sent_at_once_goes_through_notify_too(notify, settings):
    # Sign-in codes, set-up links and referrers' codes are sent at once, not through the outbox.
    assert mail.send_mail("Your code", "Your code is 123456", None, ["user@example.org"]) == 1
    [sent] = notify.received
    assert sent["template_id"] == settings.NOTIFY_TEMPLATE_ID
    assert sent["personalisation"] == {"subject": "Your code", "body": "Your code is 123456"}
    assert "reference" not in sent


def test_failing_silently_is_honoured_and_attachments_are_refused(notify):
    notify.fail_next = [500]
    assert mail.send_mail("s", "b", None, ["a@example.org"], fail_silently=True) == 0
    message = EmailMessage("s", "b", None, ["a@example.org"])
    message.attach("minutes.pdf", b"%PDF-1.7", "application/pdf")
    with pytest.raises(ValueError, match="plain template text"):
        message.send()
    assert notify.received == []


def test_the_demos_notices_reach_notify_with_references_and_links_only(notify):
    load_demo(now=TEST_NOW)
    assert notices_deliver() >= 10
    assert len(notify.received) >= 10
    assert all(set(sent["personalisation"]) == {"subject", "body"} for sent in notify.received)
    assert all(sent["reference"].startswith("notice-") for sent in notify.received)
    sent_text = json.dumps(notify.received).lower()
    assert "/hub/triage/" in sent_text  # links are there
    for name in demo_names():
        assert name.lower() not in sent_text, f"{name} was sent to Notify"


# --- The stand-in checks what Notify checks -----------------------------------------------------


def post(notify: FakeNotify, token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(
        notify.base_url + "/v2/notifications/email",
        json={
            "email_address": "a@example.org",
            "template_id": notify.add_template(),
            "personalisation": {"subject": "s", "body": "b"},
        },
        headers=headers,
        timeout=5,
    ).status_code


def token(notify: FakeNotify, *, secret: str | None = None, iss: str | None = None, age=0) -> str:
    import time

    return jwt.encode(
        {"iss": iss or notify.service_id, "iat": int(time.time()) - age},
        secret or notify.secret,
        algorithm="HS256",
        headers={"typ": "JWT"},
    )


def test_the_stand_in_refuses_tokens_notify_would_refuse(notify):
    assert post(notify, token(notify)) == 201
    assert post(notify, None) == 403
    assert post(notify, token(notify, secret="a-secret-that-is-not-the-services-own-secret")) == 403
    assert post(notify, token(notify, iss="6d1d3ca4-5f86-4c3b-9f7e-0a4c9a2d1b11")) == 403
    assert post(notify, token(notify, age=31)) == 403  # issued too long ago
    assert post(notify, token(notify, age=-31)) == 403  # issued in the future
    assert len(notify.received) == 1


# --- Configuration ------------------------------------------------------------------------------

NOTIFY = {
    **PRODUCTION,
    "EMAIL_BACKEND": "notify",
    "NOTIFY_API_KEY": "openmarac-live-6d1d3ca4-5f86-4c3b-9f7e-0a4c9a2d1b11-"
    "0f0e7b1c-3a56-4f7e-9c2b-5d6e7f8a9b0c",
    "NOTIFY_TEMPLATE_ID": "1b2c3d4e-5f60-4718-829a-3b4c5d6e7f80",
}


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"NOTIFY_API_KEY": ""}, "NOTIFY_API_KEY must be a GOV.UK Notify API key"),
        ({"NOTIFY_API_KEY": "not-a-key"}, "NOTIFY_API_KEY must be a GOV.UK Notify API key"),
        ({"NOTIFY_TEMPLATE_ID": ""}, "NOTIFY_TEMPLATE_ID must be the ID of a Notify template"),
        ({"NOTIFY_TEMPLATES": "case.death"}, "NOTIFY_TEMPLATES must be event=template-id pairs"),
        ({"NOTIFY_REPLY_TO_ID": "me@example.org"}, "NOTIFY_REPLY_TO_ID must be the ID"),
    ],
    ids=["no key", "bad key", "no template", "bad mapping", "bad reply-to"],
)
def test_notify_misconfigured_stops_the_start(change, complaint):
    result = manage("check", env={**NOTIFY, **change})
    assert result.returncode != 0
    assert complaint in result.stderr


def test_notify_configured_passes_the_deployment_check():
    env = {**NOTIFY, "NOTIFY_TEMPLATES": "case.death=2b2c3d4e-5f60-4718-829a-3b4c5d6e7f80"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    shown = manage(
        "shell", "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)", env=env
    )
    assert shown.stdout.splitlines()[-1] == "openmarac.notifications.notify.NotifyEmailBackend"
