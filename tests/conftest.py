"""The standing cast every test can call on, built on the fictional demo partnership.

* ``coordinator``: the hub coordinator (sees the partnership's cases and the referral queue)
* ``chair``: a police chair, standing member of every area
* ``police_rep``: police representative, standing in every area including North Kent (area A)
* ``housing_rep``: housing representative, standing only in West Kent (area B)
* ``invited_rep``: a by-invite agency's representative, invited to one North Kent case
* ``lead``: partnership lead: reports only, no case data
* ``revoked``: a deactivated police representative

Every test runs on a clock set to ``TEST_NOW``, a working Monday, and ticking from there: no
test reads the machine's date. A test that needs another moment travels there itself.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from openmarac.accounts import mfa
from openmarac.accounts.models import TotpDevice, User, UserSession
from openmarac.accounts.services import MFA_AT, SIGNED_IN_AT
from openmarac.agencies.models import Agency
from openmarac.cases.models import Case
from openmarac.demo.partnership import DEMO_PASSWORD, load_demo
from openmarac.partnerships.models import Area, Partnership


@dataclass
class Cast:
    partnership: Partnership
    coordinator: User
    chair: User
    police_rep: User
    housing_rep: User
    invited_rep: User
    lead: User
    revoked: User
    case_a: Case  # North Kent, with an invitation for the by-invite agency
    case_b: Case  # West Kent
    area_a: Area
    area_b: Area

    def user(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


# Monday 23 November 2026, 10:00 in London (GMT): a working day with no bank holiday near, the
# day the suite's own dated scenarios start from.
TEST_NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[time_machine.Traveller]:
    """Every test, and every fixture it uses, runs on a clock that starts at ``TEST_NOW``.

    The clock ticks, so code that waits or measures time still sees it pass; what it never sees
    is the machine's date. Autouse fixtures are set up first, so ``cast`` loads the demo on it.
    """
    with time_machine.travel(TEST_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _own_disposal_register(settings: Any, tmp_path: Any) -> None:
    """Each test writes disposals to a register of its own (docs/retention.md), never to the
    development one under ``var/``, and starts with none."""
    settings.DISPOSAL_REGISTER = tmp_path / "disposal-register.jsonl"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(db: Any) -> Cast:
    partnership = load_demo(now=TEST_NOW)
    delivered_mail()  # send the demo's own referral notices, then forget them
    mail.outbox.clear()
    police = User.objects.get(username="police")
    revoked = make_user("revoked", agency=police.agency, active=False, is_agency_rep=True)
    return Cast(
        partnership=partnership,
        coordinator=User.objects.get(username="coordinator"),
        chair=User.objects.get(username="chair"),
        police_rep=police,
        housing_rep=User.objects.get(username="housing"),
        invited_rep=User.objects.get(username="invited"),
        lead=User.objects.get(username="lead"),
        revoked=revoked,
        case_a=Case.objects.get(area__code="NK"),
        case_b=Case.objects.get(area__code="WK"),
        area_a=Area.objects.get(code="NK"),
        area_b=Area.objects.get(code="WK"),
    )


def make_user(
    username: str,
    *,
    agency: Agency,
    active: bool = True,
    email: str | None = None,
    totp: bool = True,
    **roles: bool,
) -> User:
    """A user of ``agency`` with the demo password and the given role flags.

    Every test that needs a user beyond the standing cast makes it here, so that what a working
    account needs (a licence, a second factor) is set up in one place. Each user gets an
    authenticator app (``totp=False`` for none): ``next_totp_code(user)`` gives its next code.
    """
    user = User(
        username=username,
        agency=agency,
        is_active=active,
        email=email or f"{username}@example.org",
        first_name=username.capitalize(),
        last_name="Example",
        **roles,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    if totp:
        TotpDevice.objects.create(
            user=user, secret=mfa.totp_secret_new(), confirmed_at=timezone.now()
        )
    _licence_for(user)
    return user


def other_partnership_coordinator(
    username: str = "stranger", *, domain: str = "example.net"
) -> User:
    """A hub coordinator of a second partnership (Gwent preset, official domain ``domain``):
    someone who must never see anything of the demo partnership."""
    from openmarac.partnerships.services import partnership_create_from_preset

    other = partnership_create_from_preset(
        preset="gwent",
        name="Second partnership",
        official_email_domains=[domain],
        hub_email=f"second-hub@{domain}",
    )
    hub = Agency.objects.create(partnership=other, name="Second hub", sector="other", is_hub=True)
    return make_user(username, agency=hub, email=f"{username}@{domain}", is_hub_coordinator=True)


def _licence_for(user: User) -> None:
    """What a working account needs: its agency signed up, and a licence for its agency's areas.

    An inactive user's licence is deactivated. A user whose address is not on the partnership's
    official domains gets no licence, as in real life.
    """
    from openmarac.agencies.models import Agreement, AgreementSignature
    from openmarac.agencies.services import signature_record
    from openmarac.licences.models import Licence, LicenceStatus
    from openmarac.licences.services import email_domain_allowed, licence_default_issue

    agency = user.agency
    if agency.withdrawn_on is not None or not email_domain_allowed(agency.partnership, user.email):
        return
    for agreement in Agreement.values:
        if not AgreementSignature.objects.filter(
            agency=agency, agreement=agreement, withdrawn_on__isnull=True
        ).exists():
            signature_record(
                agency=agency,
                agreement=agreement,
                signed_on=datetime.date(2025, 1, 6),
                signed_by="Test Signatory, Director",
            )
    licence = licence_default_issue(user=user)
    if not user.is_active:
        Licence.objects.filter(pk=licence.pk).update(status=LicenceStatus.DEACTIVATED)


def next_totp_code(user: User) -> str:
    """A code the user's authenticator app would show that has not been used yet.

    Codes are accepted once per 30-second step, from the step before now to the step after; a
    user who has already used this step's code gets the next step's.
    """
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    assert device is not None, f"{user.username} has no authenticator app"
    step = max(mfa.current_step(), device.last_used_step + 1)
    assert step <= mfa.current_step() + mfa.TOTP_DRIFT_STEPS, "no unused code until the next step"
    return mfa.totp_for(device.secret).at(step * mfa.TOTP_STEP_SECONDS)


def delivered_mail() -> list[Any]:
    """Deliver every notice waiting in the outbox and return all mail sent so far.

    Notices are delivered when their transaction commits, which never happens inside a test
    that runs in one transaction; this does what the worker would do.
    """
    from openmarac.notifications.services import notices_deliver

    notices_deliver()
    return list(mail.outbox)


def client_for(user: User | None) -> Client:
    """A test client signed in as ``user`` (anonymous for None), past every sign-in step.

    The session is as after a real sign-in with both factors: a fresh second factor (so views
    that need a recent one, ``recent_mfa_required``, let it through), and a session record.
    """
    client = Client()
    if user is not None:
        client.force_login(user)
        session = client.session
        now = int(time.time())
        session[MFA_AT] = now
        session[SIGNED_IN_AT] = now
        session.save()
        UserSession.objects.create(
            user=user, session_key=session.session_key, ip_address="127.0.0.1", device="Test client"
        )
    return client
