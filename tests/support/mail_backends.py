"""E-mail backends for the worker tests, used by real worker processes started by the tests.

Each writes every message it sends as one line (its Message-ID) to ``EMAIL_FILE_PATH``'s
``sent.log``, so the test can count deliveries across processes. The crashing variants kill the
process the way a power cut or an OOM kill would: no exception handlers, no clean-up.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


def _log() -> Path:
    folder = Path(settings.EMAIL_FILE_PATH)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "sent.log"


def _record(message: EmailMessage) -> None:
    with _log().open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(f"{message.extra_headers['Message-ID']} {os.getpid()}\n")


def _sent_so_far() -> int:
    path = _log()
    return len(path.read_text().splitlines()) if path.exists() else 0


_waited = False


def _wait_for_peers() -> None:
    """With ``TEST_WORKER_GATE=n``, hold the first send until ``n`` workers have reached it.

    Starting a worker takes longer on a busy machine than sending a few dozen messages, so
    without the gate one worker could finish before the other starts, and the test of two
    workers sharing the work would prove nothing.
    """
    global _waited
    expected = int(os.environ.get("TEST_WORKER_GATE", "0"))
    if _waited or not expected:
        return
    _waited = True
    folder = _log().parent
    (folder / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 120
    while len(list(folder.glob("ready-*"))) < expected and time.monotonic() < deadline:
        time.sleep(0.05)


class SlowBackend(BaseEmailBackend):
    """Takes a little time over each message, as a real mail server does."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        _wait_for_peers()
        for message in email_messages:
            time.sleep(float(os.environ.get("TEST_MAIL_DELAY", "0.02")))
            _record(message)
        return len(email_messages)


class CrashBeforeSendBackend(BaseEmailBackend):
    """Dies while sending the n-th message overall, before the mail server has it."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            if _sent_so_far() + 1 == int(os.environ["TEST_CRASH_AT"]):
                os._exit(137)
            _record(message)
        return len(email_messages)


class CrashAfterSendBackend(BaseEmailBackend):
    """Dies right after the mail server accepted the n-th message, before it is marked sent."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            _record(message)
            if _sent_so_far() == int(os.environ["TEST_CRASH_AT"]):
                os._exit(137)
        return len(email_messages)


def sent_message_ids(folder: Path) -> list[str]:
    path = folder / "sent.log"
    return [line.split()[0] for line in path.read_text().splitlines()] if path.exists() else []
