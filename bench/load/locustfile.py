"""The simulated users of ``make bench-load``: coordinators, agency representatives, referrers.

Run by bench/load/run.py, which prepares the partnership, signs the users in and writes the
plan this file reads (``LOAD_PLAN``): each simulated user takes the next unused account of its
kind, with its own share of the work (referrals to decide, research to write, actions to update,
drafts to submit), so two users never race for the same record. Every write the application
acknowledges (the redirect it sends after saving) is appended to the ledger (``LOAD_LEDGER``),
which run.py checks against the database afterwards. Responses of 500 and over are sorted by
what the user saw (``LOAD_SEEN``): a page asking them to try again, a traceback, or other.

Needs only Locust (its own environment: requirements-bench.txt), not Django.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

PLAN: dict[str, list[dict[str, Any]]] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
# Open for the whole run, a line written as each write is acknowledged.
LEDGER = open(os.environ["LOAD_LEDGER"], "a", buffering=1)  # noqa: SIM115
SEEN: Counter[str] = Counter()
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next = {kind: itertools.count() for kind in PLAN}
_lock = threading.Lock()


def claim(kind: str) -> dict[str, Any]:
    with _lock:
        accounts = PLAN[kind]
        return accounts[next(_next[kind]) % len(accounts)]


def acknowledged(kind: str, **fields: Any) -> None:
    LEDGER.write(json.dumps({"kind": kind, **fields}) + "\n")


@events.request.add_listener
def _seen(response: Any = None, exception: Any = None, **_kw: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    if status and status < 500:
        return
    text = (getattr(response, "text", "") or "").lower()
    if "traceback" in text:
        SEEN["traceback"] += 1
    elif "try again" in text:
        SEEN[f"try_again_{status}"] += 1
    elif status == 0:
        SEEN["no_response"] += 1
    else:
        SEEN[f"other_{status}"] += 1


@events.quitting.add_listener
def _report(**_kw: Any) -> None:
    Path(os.environ["LOAD_SEEN"]).write_text(json.dumps(dict(SEEN)))


class Staff(HttpUser):
    abstract = True
    wait_time = between(2, 8)  # reading and typing between clicks
    kind = ""

    def on_start(self) -> None:
        self.account = claim(self.kind)
        self.client.cookies.set("sessionid", self.account["cookie"])

    def post_form(self, path: str, data: dict[str, str], name: str) -> Any:
        """GET the form (for its CSRF token, as a browser would), then POST it; the response
        to the POST is returned unfollowed, so the caller sees the acknowledgement."""
        page = self.client.get(path, name=f"{name} (form)")
        found = TOKEN.search(page.text or "")
        if not found:
            return None
        return self.client.post(
            path,
            {"csrfmiddlewaretoken": found.group(1), **data},
            name=name,
            allow_redirects=False,
            headers={"Referer": self.host + path},
        )


class Coordinator(Staff):
    weight = 3
    kind = "coordinators"

    @task(4)
    def queue(self) -> None:
        self.client.get("/hub/triage/", name="triage queue")

    @task(2)
    def decide(self) -> None:
        if not self.account["referrals"]:
            return
        public_id = self.account["referrals"].pop()
        self.client.get(f"/hub/triage/{public_id}/", name="triage referral")
        token = uuid.uuid4().hex[:12]
        response = self.post_form(
            f"/hub/triage/{public_id}/decline/",
            {
                "decline_reason": "threshold",
                "explanation": f"Below the threshold; local support offered. {token}",
            },
            name="triage decline",
        )
        if response is not None and response.status_code == 302:
            acknowledged("decline", referral=public_id)

    @task(3)
    def pages(self) -> None:
        self.client.get(random.choice(["/cases/", "/meetings/", "/actions/", "/"]), name="page")


class Representative(Staff):
    weight = 6
    kind = "representatives"

    @task(3)
    def research(self) -> None:
        self.client.get("/research/", name="research mine")
        if not self.account["entries"]:
            return
        request_id, participant_id, listing_id = random.choice(self.account["entries"])
        self.client.get(f"/research/cases/{listing_id}/", name="research case")
        token = uuid.uuid4().hex[:12]
        response = self.post_form(
            f"/research/requests/{request_id}/people/{participant_id}/",
            {"finding": "information", "information": f"Known since 2024 {token}", "basis": "fact"},
            name="research entry",
        )
        if response is not None and response.status_code == 302:
            acknowledged("research", request=request_id, participant=participant_id, token=token)

    @task(2)
    def action_update(self) -> None:
        if not self.account["actions"]:
            return
        public_id = random.choice(self.account["actions"])
        token = uuid.uuid4().hex[:12]
        response = self.post_form(
            f"/actions/{public_id}/update/",
            {"text": f"Visit made, safety plan reviewed {token}"},
            name="action update",
        )
        if response is not None and response.status_code == 302:
            acknowledged("action_update", action=public_id, token=token)

    @task(3)
    def pages(self) -> None:
        path = random.choice(["/actions/", "/cases/", "/", "/meetings/"])
        self.client.get(path, name="page")


class Referrer(HttpUser):
    weight = 1
    wait_time = between(5, 20)

    def on_start(self) -> None:
        self.account = claim("referrers")
        self.client.cookies.set("sessionid", self.account["cookie"])

    @task
    def submit(self) -> None:
        self.client.get("/refer/referrals/", name="referrer referrals")
        if not self.account["drafts"]:
            return
        public_id = self.account["drafts"].pop()
        path = f"/refer/r/{public_id}/check/"
        page = self.client.get(path, name="referral check")
        found = TOKEN.search(page.text or "")
        if not found:
            return
        response = self.client.post(
            path,
            {"csrfmiddlewaretoken": found.group(1)},
            name="referral submit",
            allow_redirects=False,
            headers={"Referer": self.host + path},
        )
        if response.status_code == 302 and "/sent/" in response.headers.get("Location", ""):
            acknowledged("referral", referral=public_id)
