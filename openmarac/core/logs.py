"""Structured logs: one JSON object a line, each carrying the request it belongs to.

Log lines say what the service did, never about whom (docs/adr/0012-structured-json-logs.md):

* A request is logged once, by ``RequestIdMiddleware``, with its URL *pattern* and view name, never
  its path or query string: paths carry set-up tokens and references, and query strings carry
  what people type into search boxes.
* Django's own request warnings ("Not Found: /path") have the path swapped for the URL pattern by
  ``PathFreeFilter``.
* An exception is logged with its type and stack frames but not its message: a database error's
  message quotes the values it refused.
* Only plain values given in ``extra`` are kept; objects such as the request Django attaches are
  dropped rather than turned into text.

This module is imported by gunicorn's master before Django is set up, so it reads no settings.
"""

from __future__ import annotations

import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from pythonjsonlogger.json import JsonFormatter as LibraryJsonFormatter

if TYPE_CHECKING:
    from types import TracebackType

    from django.http import HttpRequest, HttpResponse

    ExcInfo = (
        tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
    )

REQUEST_ID_HEADER = "X-Request-ID"
# What an id from the proxy may look like (nginx's $request_id is 32 hex digits). Anything else
# is replaced, so a client cannot write arbitrary text into the logs through the header.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

_request_id: ContextVar[str | None] = ContextVar("openmarac_request_id", default=None)

request_logger = logging.getLogger("openmarac.request")

_PLAIN = (str, int, float, bool, type(None))


def current_request_id() -> str | None:
    return _request_id.get()


def request_id_from(header: str | None) -> str:
    """The proxy's id if it is well formed, else a new one."""
    if header and _VALID_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the request being served, if there is one."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _request_id.get()
        if request_id is not None:
            record.request_id = request_id
        return True


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None else "(no matching URL)"


class PathFreeFilter(logging.Filter):
    """Replace the request path in Django's request warnings with the URL pattern it matched."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if request is None or not isinstance(path, str):
            return True
        message = record.getMessage()
        escaped = path.encode("unicode_escape").decode("ascii")
        for form in (escaped, path):  # Django ends these messages with the (escaped) path
            if message.endswith(form):
                record.msg, record.args = message[: -len(form)] + _route(request), ()
                break
        return True


# Exceptions whose messages are the service's own words about its configuration, never data: an
# operator must be able to read why the service refused to start.
_MESSAGES_KEPT = {"django.core.exceptions.ImproperlyConfigured"}


def exception_without_message(ei: ExcInfo) -> str:
    """The exception's type and where it was raised, without its message."""
    kind, value, tb = ei
    frames = "".join(traceback.format_tb(tb)) if tb is not None else ""
    if kind is None:
        return f"Traceback (most recent call last):\n{frames}Exception"
    name = f"{kind.__module__}.{kind.__qualname__}"
    said = f": {value}" if name in _MESSAGES_KEPT else " (message withheld)"
    return f"Traceback (most recent call last):\n{frames}{kind.__qualname__}{said}"


class ServerErrorFilter(logging.Filter):
    """gunicorn names the URL, query string and all, of a request whose error escaped Django."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("Error handling request"):
            record.msg, record.args = "Error handling request (URL withheld)", ()
        return True


def _plain(value: Any) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


class JsonFormatter(LibraryJsonFormatter):
    """python-json-logger's formatter with the fields named and the unsafe parts withheld."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__(["levelname", "name", "message", "request_id"], **kwargs)

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        for key in [k for k, v in log_data.items() if k != "time" and not _plain(v)]:
            del log_data[key]

    def formatException(self, ei: ExcInfo) -> str:
        return exception_without_message(ei)


class PlainFormatter(logging.Formatter):
    """Development's one-line format, with the request id, and exceptions withheld as above."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            defaults={"request_id": "-"},
        )

    def formatException(self, ei: ExcInfo) -> str:
        return exception_without_message(ei)


class RequestIdMiddleware:
    """Give each request an id (the proxy's, or a new one), log the request once, echo the id.

    Outermost in ``MIDDLEWARE``, so redirects and refusals by later middleware are logged too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            match = getattr(request, "resolver_match", None)
            request_logger.info(
                "%s %s %s",
                request.method,
                _route(request),
                response.status_code,
                extra={
                    "method": request.method,
                    "route": _route(request),
                    "view": match.view_name if match is not None else None,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)
