"""The smoke test ``make prod-check`` sends through the proxy, and its reading of the logs after.

Each check prints ``ok`` or ``FAIL`` with why; all run even after one fails.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyotp
import requests

if TYPE_CHECKING:
    from prod_check import Services, Stand

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 15
HASHED_CSS = re.compile(r'href="(/static/build/openmarac\.[0-9a-f]{12}\.css)"')
CASE_LINK = re.compile(r'href="/cases/([A-Z0-9-]+)/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Failed(AssertionError):
    pass


def expect(condition: bool, why: str) -> None:
    if not condition:
        raise Failed(why)


def _demo_facts(stand: Stand) -> dict[str, Any]:
    """The demo's names and the coordinator's authenticator secret, from the demo's own code."""
    script = (
        "import json, django; django.setup()\n"
        "from openmarac.demo.accounts import demo_totp_secret\n"
        "from openmarac.demo.partnership import DEMO_USERS, demo_names\n"
        "print(json.dumps({'names': demo_names() + [f'{u[1]} {u[2]}' for u in DEMO_USERS],"
        " 'totp': demo_totp_secret('coordinator')}))\n"
    )
    env = {**stand.environment(production=False), "DJANGO_SETTINGS_MODULE": "openmarac.settings"}
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(result.stdout))


class Browser:
    """A client of the proxy: trusts only this run's certificate, follows no redirects."""

    def __init__(self, stand: Stand) -> None:
        self.stand = stand
        self.session = requests.Session()
        # This run's certificate alone, whatever CA bundle or proxy the environment names.
        self.session.trust_env = False
        self.session.verify = str(stand.certificate)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(
            self.stand.origin + path, allow_redirects=False, timeout=TIMEOUT, **kwargs
        )

    def post_form(self, path: str, data: dict[str, str]) -> requests.Response:
        page = self.get(path)
        token = CSRF_FIELD.search(page.text)
        expect(token is not None, f"no CSRF token on {path}")
        assert token is not None
        return self.session.post(
            self.stand.origin + path,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            headers={"Origin": self.stand.origin, "Referer": self.stand.origin + path},
            allow_redirects=False,
            timeout=TIMEOUT,
        )


def wait_until_ready(stand: Stand, services: Services, *, seconds: float = 90) -> dict[str, Any]:
    """Wait for /healthz through the proxy to report the worker's first sweep."""
    browser = Browser(stand)
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        dead = services.dead()
        expect(not dead, f"stopped before it was ready: {dead}; see {stand.logs}")
        try:
            response = browser.get("/healthz")
            last = f"{response.status_code} {response.text[:300]}"
            body = response.json() if response.status_code == 200 else {}
            if body.get("worker", {}).get("status") == "ok":
                return dict(body)
        except (requests.ConnectionError, ValueError) as error:
            last = f"{type(error).__name__}: {error}"
        time.sleep(0.5)
    raise Failed(f"not ready after {seconds:.0f} s: {last}")


SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class Smoke:
    def __init__(self, stand: Stand, services: Services) -> None:
        self.stand = stand
        self.services = services
        self.browser = Browser(stand)
        self.facts = _demo_facts(stand)
        self.request_ids: list[str] = []

    def plain_http_goes_to_https(self) -> None:
        response = self.browser.session.get(
            f"http://127.0.0.1:{self.stand.http_port}/accounts/sign-in/",
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        expect(response.status_code == 301, f"plain HTTP answered {response.status_code}")
        location = response.headers.get("Location")
        expect(location == f"{self.stand.origin}/accounts/sign-in/", f"redirected to {location}")

    def sign_in_page_with_security_headers(self) -> None:
        response = self.browser.get("/accounts/sign-in/")
        expect(response.status_code == 200, f"sign-in page answered {response.status_code}")
        expect('name="password"' in response.text, "the sign-in page has no password field")
        for header, value in SECURITY_HEADERS.items():
            expect(
                response.headers.get(header) == value, f"{header}: {response.headers.get(header)}"
            )
        policy = response.headers.get("Content-Security-Policy", "")
        expect("default-src 'self'" in policy and "'nonce-" in policy, f"CSP: {policy!r}")
        expect(
            re.fullmatch(r"[0-9a-f]{32}", response.headers.get("X-Request-ID", "")) is not None,
            "no request id from the proxy",
        )
        cookie = response.headers.get("Set-Cookie", "")
        expect(cookie.startswith("__Host-csrftoken="), f"cookie {cookie[:40]!r}")
        expect("Secure" in cookie and "SameSite=Lax" in cookie, f"cookie flags: {cookie!r}")
        expect(response.headers.get("Server") == "nginx", "the proxy tells its version")

    def referral_start_page(self) -> None:
        response = self.browser.get("/refer/")
        expect(response.status_code == 200, f"referral start page answered {response.status_code}")
        expect("<form" in response.text or "govuk-button" in response.text, "no way to start")

    def static_files_hashed_and_compressed(self) -> None:
        page = self.browser.get("/accounts/sign-in/").text
        found = HASHED_CSS.search(page)
        expect(found is not None, "the stylesheet's name carries no hash")
        assert found is not None
        css = self.browser.get(found.group(1), headers={"Accept-Encoding": "gzip"}, stream=True)
        expect(css.status_code == 200, f"stylesheet answered {css.status_code}")
        expect(css.headers.get("Content-Encoding") == "gzip", "the stylesheet is not compressed")
        cache = css.headers.get("Cache-Control", "")
        expect("immutable" in cache and "max-age=315360000" in cache, f"Cache-Control: {cache}")
        plain = self.browser.get(found.group(1), headers={"Accept-Encoding": "identity"})
        expect("Content-Encoding" not in plain.headers, "compressed for a client that said no")
        expect(
            plain.text.lstrip().startswith(("@", ":", "/*", "html", "*")) or len(plain.text) > 1000,
            "the stylesheet is empty",
        )

    def healthz_reports_database_cache_and_worker(self) -> None:
        body = self.browser.get("/healthz").json()
        expect(body["status"] == "ok", f"healthz: {body}")
        expect(body["database"] == "ok" and body["cache"] == "ok", f"healthz: {body}")
        expect(body["worker"]["last_sweep_at"] is not None, f"healthz: {body}")
        expect(body["worker"]["seconds_since_last_sweep"] < 60, f"healthz: {body}")

    def hub_signs_in_and_reads_cases(self) -> None:
        response = self.browser.post_form(
            "/accounts/sign-in/",
            {"username": "coordinator", "password": "demo-password-not-for-real-use"},
        )
        expect(response.status_code == 302, f"password step answered {response.status_code}")
        code = pyotp.TOTP(self.facts["totp"]).now()
        response = self.browser.post_form("/accounts/sign-in/code/", {"code": code})
        expect(response.status_code == 302, f"code step answered {response.status_code}")
        session = [c for c in self.browser.session.cookies if c.name == "__Host-sessionid"]
        expect(bool(session) and all(c.secure for c in session), "no secure session cookie")
        cases = self.browser.get("/cases/")
        expect(cases.status_code == 200, f"case list answered {cases.status_code}")
        self.request_ids.append(cases.headers["X-Request-ID"])
        references = CASE_LINK.findall(cases.text)
        expect(bool(references), "the demo's cases are not listed")
        case = self.browser.get(f"/cases/{references[0]}/")
        expect(case.status_code == 200, f"a case page answered {case.status_code}")
        self.request_ids.append(case.headers["X-Request-ID"])
        # A name read back in clear proves the generated keys decrypt what the demo stored.
        named = [name for name in self.facts["names"] if name in case.text]
        expect(bool(named), "the case page names no one: the data did not decrypt")

    def names_typed_into_urls_and_forms(self) -> None:
        """What people type: searches, mistyped addresses, a name in the username box."""
        self.browser.get("/audit/cases/", params={"reference": "Victimone", "q": "Demoname"})
        missing = self.browser.get("/cases/Victimone-Demoname/")
        expect(missing.status_code == 404, f"a mistyped case answered {missing.status_code}")
        expect("Traceback" not in missing.text, "the 404 page shows a traceback")
        stranger = Browser(self.stand)
        wrong = stranger.post_form(
            "/accounts/sign-in/", {"username": "Demoname Victimone", "password": "Perpone"}
        )
        expect(wrong.status_code == 200, f"a wrong password answered {wrong.status_code}")
        expect("not correct" in wrong.text, "no error for a wrong password")
        # Refused by nginx itself, which would quote the request line in its error log.
        huge = self.browser.session.post(
            f"{self.stand.origin}/accounts/sign-in/?username=Victimone",
            data=b"x" * 2_000_000,
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        expect(huge.status_code == 413, f"a 2 MB form answered {huge.status_code}")


@dataclass
class Outcome:
    passed: bool
    names: list[str] = field(default_factory=list)  # everyone the demo names
    request_ids: list[str] = field(default_factory=list)  # to follow from proxy to application


def run(stand: Stand, services: Services) -> Outcome:
    try:
        wait_until_ready(stand, services)
    except Failed as failure:
        print(f"  FAIL ready: {failure}", flush=True)
        return Outcome(passed=False)
    smoke = Smoke(stand, services)
    checks: list[Callable[[], None]] = [
        smoke.plain_http_goes_to_https,
        smoke.sign_in_page_with_security_headers,
        smoke.referral_start_page,
        smoke.static_files_hashed_and_compressed,
        smoke.healthz_reports_database_cache_and_worker,
        smoke.hub_signs_in_and_reads_cases,
        smoke.names_typed_into_urls_and_forms,
    ]
    failures = 0
    for check in checks:
        try:
            check()
            print(f"  ok   {check.__name__}", flush=True)
        except (Failed, requests.RequestException, KeyError, ValueError) as failure:
            failures += 1
            print(f"  FAIL {check.__name__}: {failure}", flush=True)
    time.sleep(3)  # let the worker finish a sweep of what the requests changed
    return Outcome(failures == 0, list(smoke.facts["names"]), smoke.request_ids)


def logs_clean(stand: Stand, outcome: Outcome) -> bool:
    """After the stop: the application's logs are JSON with request ids, and name no one."""
    failures = 0

    def check(condition: bool, name: str, why: str) -> None:
        nonlocal failures
        print(f"  {'ok  ' if condition else 'FAIL'} {name}{'' if condition else ': ' + why}")
        failures += 0 if condition else 1

    application = [
        (stand.logs / f"{name}.log").read_text(encoding="utf-8") for name in ("gunicorn", "worker")
    ]
    not_json = []
    logged: list[dict[str, Any]] = []
    for text in application:
        for line in text.splitlines():
            try:
                logged.append(json.loads(line))
            except ValueError:
                not_json.append(line)
    check(not not_json, "application_logs_are_json_lines", f"{len(not_json)}: {not_json[:3]}")
    requests_logged = [line for line in logged if line.get("logger") == "openmarac.request"]
    check(len(requests_logged) >= 10, "each_request_logged", f"{len(requests_logged)} lines")
    sweeps = [line for line in logged if str(line.get("message", "")).startswith("sweep done")]
    check(bool(sweeps), "worker_logged_its_sweeps", "no sweep in the worker's log")
    access = (stand.logs / "nginx-access.log").read_text(encoding="utf-8")
    ids = outcome.request_ids
    followed = bool(ids) and all(
        i in access and any(line.get("request_id") == i for line in requests_logged) for i in ids
    )
    check(followed, "request_id_runs_from_proxy_to_application", f"ids {ids}")
    everything = "\n".join(
        path.read_text(encoding="utf-8", errors="replace").lower()
        for path in sorted(stand.logs.glob("*.log"))
        if path.name != "release.log"  # load_demo's own output, under the development settings
    )
    names = outcome.names
    found = sorted({name for name in names if name.lower() in everything})
    check(bool(names) and not found, "no_one_named_in_any_log", f"found {found}")
    mail = "\n".join(
        path.read_text(encoding="utf-8", errors="replace").lower()
        for path in stand.mail.glob("*.log")
    )
    found = sorted({name for name in names if name.lower() in mail})
    check(bool(mail) and not found, "no_one_named_in_any_email", f"found {found}")
    return failures == 0
