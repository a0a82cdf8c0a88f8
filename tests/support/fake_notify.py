"""A stand-in for GOV.UK Notify's API, as much of it as the official client calls here.

It serves ``POST /v2/notifications/email`` on 127.0.0.1 from a thread of the test process, and
does what Notify does with such a request: checks the bearer token (an HS256 JWT whose ``iss`` is
the service's id, signed with the API key's secret, issued within 30 seconds of now), checks the
body (an address, a known template, every placeholder of that template filled in), and answers
201 with the rendered message, or the status and error body Notify would send. Its clock is the
test's (time-machine moves both), as Notify's and a sender's are in step in real life.

Tests can make it fail the next requests (``fail_next``) to see the outbox retry.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt

EMAIL_PATH = "/v2/notifications/email"
PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")
ERRORS = {
    400: "BadRequestError",
    403: "AuthError",
    429: "RateLimitError",
    500: "Exception",
}


@dataclass
class Template:
    subject: str = "((subject))"
    body: str = "((body))"

    def placeholders(self) -> set[str]:
        return set(PLACEHOLDER.findall(self.subject + self.body))

    def render(self, values: dict[str, Any]) -> tuple[str, str]:
        fill = lambda text: PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)  # noqa: E731
        return fill(self.subject), fill(self.body)


@dataclass
class FakeNotify:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    templates: dict[str, Template] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)  # accepted request bodies
    refused: list[tuple[int, str]] = field(default_factory=list)  # (status, error) answered
    fail_next: list[int] = field(default_factory=list)  # statuses to answer before working

    def api_key(self, name: str = "openmarac-test") -> str:
        return f"{name}-{self.service_id}-{self.secret}"

    def add_template(self, template: Template | None = None) -> str:
        template_id = str(uuid.uuid4())
        self.templates[template_id] = template or Template()
        return template_id

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeNotify:
        notify = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, body = notify.answer(self.path, self.headers.get("Authorization"), raw)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the tests read ``received`` and ``refused``

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _refuse(self, status: int, message: str) -> tuple[int, dict[str, Any]]:
        error = ERRORS.get(status, "Exception")
        self.refused.append((status, error))
        return status, {"status_code": status, "errors": [{"error": error, "message": message}]}

    def _token_problem(self, authorization: str | None) -> str | None:
        if not authorization or not authorization.startswith("Bearer "):
            return "Unauthorized: authentication token must be provided"
        token = authorization.removeprefix("Bearer ")
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(
                token,
                key=self.secret,
                algorithms=["HS256"],
                options={"verify_iat": False, "require": ["iss", "iat"]},
            )
        except jwt.InvalidTokenError:
            return "Invalid token: signature, api token not found"
        if header.get("typ") != "JWT" or claims["iss"] != self.service_id:
            return "Invalid token: service not found"
        if abs(time.time() - int(claims["iat"])) > 30:
            return "Error: Your system clock must be accurate to within 30 seconds"
        return None

    def answer(
        self, path: str, authorization: str | None, raw: bytes
    ) -> tuple[int, dict[str, Any]]:
        if path != EMAIL_PATH:
            return self._refuse(404, "Not found")
        problem = self._token_problem(authorization)
        if problem:
            return self._refuse(403, problem)
        if self.fail_next:
            status = self.fail_next.pop(0)
            return self._refuse(status, "Failed as the test asked")
        try:
            body = json.loads(raw)
        except ValueError:
            return self._refuse(400, "Invalid JSON supplied in POST data")
        template = self.templates.get(str(body.get("template_id")))
        if not body.get("email_address") or "@" not in str(body["email_address"]):
            return self._refuse(400, "email_address Not a valid email address")
        if template is None:
            return self._refuse(400, "Template not found")
        values = body.get("personalisation") or {}
        missing = sorted(template.placeholders() - set(values))
        if missing:
            return self._refuse(400, f"Missing personalisation: {', '.join(missing)}")
        subject, text = template.render(values)
        self.received.append(body)
        notification_id = str(uuid.uuid4())
        return 201, {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": {"subject": subject, "body": text, "from_email": "marac@notify.example"},
            "uri": f"{self.base_url}/v2/notifications/{notification_id}",
            "template": {"id": body["template_id"], "version": 1, "uri": ""},
        }
