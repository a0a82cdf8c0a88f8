"""gunicorn's settings for OpenMARAC in production.

Used by the systemd unit (deploy/systemd/openmarac-web.service) and by ``make prod-check``:
``gunicorn --config deploy/gunicorn.conf.py openmarac.wsgi``. Each value can be changed from
the environment without editing this file.

gunicorn listens only where the TLS-terminating proxy can reach it (loopback by default, or a
Unix socket) and trusts ``X-Forwarded-Proto`` only from the addresses in
``GUNICORN_FORWARDED_ALLOW_IPS``. It writes no access log: the application logs each request
once, as JSON, with the proxy's request id (openmarac/core/logs.py).
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


wsgi_app = "openmarac.wsgi:application"
# "127.0.0.1:8000", or "unix:/run/openmarac/gunicorn.sock"; several separated by commas.
bind = (os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000").split(",")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

# Synchronous workers behind a buffering proxy: the proxy absorbs slow clients, so a worker is
# busy only while Django works. Two per core plus one, at most nine, unless told otherwise.
worker_class = "sync"
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so slow growth in memory never accumulates.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10

# Load Django once in the master: a configuration error stops the start at once, with its
# message, rather than each worker failing in turn.
preload_app = True
# Where workers keep their heartbeat files: best in memory (the systemd unit gives /run/openmarac),
# never on a disk that may stall.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
umask = 0o077
proc_name = "openmarac"
# No runtime control socket: nothing needs one, and it would be one more way in.
control_socket_disable = True

accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "openmarac.core.logs.JsonFormatter"}},
    "filters": {
        "request_id": {"()": "openmarac.core.logs.RequestIdFilter"},
        "server_error": {"()": "openmarac.core.logs.ServerErrorFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "server_error"],
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
    "root": {"level": "INFO", "handlers": ["console"]},
}
