"""The worker: a periodic, idempotent sweep that survives crashes and runs safely twice over.

Most tests here start real worker processes (``manage.py run_sweep`` / ``run_worker``) against
the test database, because the properties that matter (a crash, two workers) are about processes.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from openmarac.jobs import registry
from openmarac.jobs import services as jobs_services
from openmarac.jobs.locks import step_lock
from openmarac.jobs.models import SweepStepState, WorkerHeartbeat
from openmarac.jobs.services import run_sweep
from openmarac.notifications.models import Notice
from openmarac.notifications.services import notice_record

from .support.mail_backends import sent_message_ids

REPO = Path(__file__).resolve().parents[1]
BACKENDS = "tests.support.mail_backends."


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


def worker_env(mail_dir: Path, backend: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "OPENMARAC_ENV": "test",
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": BACKENDS + backend,
        "EMAIL_FILE_PATH": str(mail_dir),
        "NOTICE_CLAIM_SECONDS": "1",
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """Start ``manage.py command`` in a child process on this test's clock, not the machine's."""
    moment = timezone.now().isoformat()
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.on_test_clock", moment, *command],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str], timeout: float = 90) -> int:
    process.communicate(timeout=timeout)
    return process.returncode


def make_notices(count: int) -> list[Notice]:
    made = []
    for index in range(count):
        with transaction.atomic():
            notice = notice_record(
                event="test.reminder",
                instance=f"case:{index}",
                recipient_email=f"rep{index}@example.org",
                subject=f"Reminder for case {index}",
                body="Reference only.",
            )
        assert notice is not None
        made.append(notice)
    # Nothing has been sent: the test database's commits run no delivery hooks in this process
    # because the test e-mail backend is in-memory; mark them unclaimed to be sure.
    Notice.objects.update(sent_at=None, claimed_until=None, attempts=0)
    return made


def expected_ids(notices: list[Notice]) -> set[str]:
    return {f"<notice-{n.key}@openmarac.invalid>" for n in notices}


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_every_notice_exactly_once(tmp_path):
    notices = make_notices(40)
    # Claims outlive the gate's wait, so holding a claimed notice there never frees it to the other.
    env = worker_env(
        tmp_path,
        "SlowBackend",
        TEST_MAIL_DELAY="0.05",
        TEST_WORKER_GATE="2",
        NOTICE_CLAIM_SECONDS="300",
    )
    first, second = start(["run_sweep"], env), start(["run_sweep"], env)
    assert finish(first) == 0
    assert finish(second) == 0
    sent = sent_message_ids(tmp_path)
    assert Counter(sent).most_common(1)[0][1] == 1, "a notice was sent twice"
    assert set(sent) == expected_ids(notices)
    senders = {line.split()[1] for line in (tmp_path / "sent.log").read_text().splitlines()}
    assert len(senders) == 2, "both workers should have shared the sending"
    assert not Notice.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_dies_while_sending_loses_nothing_and_repeats_nothing(tmp_path):
    notices = make_notices(5)
    crashed = start(
        ["run_sweep"], worker_env(tmp_path, "CrashBeforeSendBackend", TEST_CRASH_AT="3")
    )
    assert finish(crashed) == 137
    assert len(sent_message_ids(tmp_path)) == 2
    assert Notice.objects.filter(sent_at__isnull=True).count() == 3
    time.sleep(1.2)  # the dead worker's claim on the third notice expires
    assert finish(start(["run_sweep"], worker_env(tmp_path, "SlowBackend"))) == 0
    sent = sent_message_ids(tmp_path)
    assert sorted(sent) == sorted(expected_ids(notices))
    assert not Notice.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_crash_after_the_mail_server_accepted_a_message_repeats_it_with_the_same_message_id(
    tmp_path,
):
    """The one place delivery is at least once (ADR 0003): the repeat is recognisable."""
    notices = make_notices(5)
    crashed = start(["run_sweep"], worker_env(tmp_path, "CrashAfterSendBackend", TEST_CRASH_AT="3"))
    assert finish(crashed) == 137
    time.sleep(1.2)
    assert finish(start(["run_sweep"], worker_env(tmp_path, "SlowBackend"))) == 0
    sent = Counter(sent_message_ids(tmp_path))
    assert set(sent) == expected_ids(notices)
    repeated = [message_id for message_id, times in sent.items() if times > 1]
    assert len(repeated) == 1
    assert sent[repeated[0]] == 2


@pytest.mark.django_db(transaction=True)
def test_the_worker_loop_records_its_heartbeat_and_stops_cleanly_on_sigterm(tmp_path):
    worker = start(["run_worker", "--interval", "30"], worker_env(tmp_path, "SlowBackend"))
    deadline = time.monotonic() + 60
    while not WorkerHeartbeat.objects.exists():
        assert worker.poll() is None, worker.communicate()[1]
        assert time.monotonic() < deadline, "the worker never completed a sweep"
        time.sleep(0.2)
    worker.send_signal(signal.SIGTERM)
    assert finish(worker, timeout=20) == 0
    beat = WorkerHeartbeat.objects.get()
    assert beat.sweeps == 1


def _steps(monkeypatch: Any, **steps: Any) -> None:
    monkeypatch.setattr(
        jobs_services,
        "registered_steps",
        lambda: [registry.SweepStep(name=n, function=f) for n, f in sorted(steps.items())],
    )


@pytest.mark.django_db(transaction=True)
def test_a_step_that_crashes_half_way_is_finished_by_the_next_sweep_without_repeats(monkeypatch):
    from django.core import mail

    crash = {"armed": True}

    def remind(now: datetime.datetime) -> int:
        done = 0
        for index in range(10):
            with transaction.atomic():
                if notice_record(
                    event="test.reminder",
                    instance=f"action:{index}",
                    recipient_email=f"owner{index}@example.org",
                    subject="Action reminder",
                    body="Reference only.",
                ):
                    done += 1
            if index == 4 and crash["armed"]:
                crash["armed"] = False
                raise RuntimeError("the worker fell over")
        return done

    _steps(monkeypatch, **{"test.remind": remind})
    first = run_sweep()
    assert first.failed == ["test.remind"]
    assert Notice.objects.count() == 5
    second = run_sweep()
    assert second.counts == {"test.remind": 5}
    third = run_sweep()
    assert third.counts == {"test.remind": 0}
    assert Notice.objects.count() == 10
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"owner{i}@example.org" for i in range(10)
    )
    state = SweepStepState.objects.get(name="test.remind")
    assert (state.runs, state.failures, state.last_error) == (3, 1, "")


@pytest.mark.django_db
def test_a_failing_step_does_not_stop_the_others(monkeypatch):
    def broken(now: datetime.datetime) -> int:
        raise ValueError("bad data")

    def fine(now: datetime.datetime) -> int:
        return 3

    _steps(monkeypatch, **{"test.broken": broken, "test.fine": fine})
    report = run_sweep()
    assert report.failed == ["test.broken"]
    assert report.counts == {"test.fine": 3}
    assert SweepStepState.objects.get(name="test.broken").last_error == "ValueError"


def test_two_steps_cannot_share_a_name():
    def one(now: datetime.datetime) -> int:
        return 0

    def two(now: datetime.datetime) -> int:
        return 0

    registry.sweep_step("test.same_name")(one)
    try:
        with pytest.raises(ValueError, match="two sweep steps"):
            registry.sweep_step("test.same_name")(two)
    finally:
        registry._STEPS.pop("test.same_name", None)


def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(redis_url(), socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(
    not redis_available() and not os.environ.get("OPENMARAC_REQUIRE_REDIS"),
    reason="no Redis on this machine (CI sets OPENMARAC_REQUIRE_REDIS and runs it)",
)
def test_with_redis_only_one_worker_runs_a_step_at_a_time():
    from openmarac.jobs import locks

    locks._redis.cache_clear()
    try:
        with override_settings(REDIS_URL=redis_url()):
            with step_lock("test.redis") as first, step_lock("test.redis") as second:
                assert (first, second) == (True, False)
            with step_lock("test.redis") as again:
                assert again is True
    finally:
        locks._redis.cache_clear()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres") is False,
    reason="advisory locks are PostgreSQL's",
)
def test_on_postgresql_only_one_worker_runs_a_step_at_a_time():
    import psycopg

    with step_lock("test.pg") as acquired:
        assert acquired is True
        with psycopg.connect(database_url(), autocommit=True) as other:
            from openmarac.jobs.locks import _advisory_id, _scope

            taken = other.execute(
                "SELECT pg_try_advisory_lock(%s)", [_advisory_id(f"{_scope()}:test.pg")]
            ).fetchone()
            assert taken == (False,)
    with step_lock("test.pg") as again:
        assert again is True
