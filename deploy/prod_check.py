"""``make prod-check``: stand the production configuration up on 127.0.0.1, smoke-test it, stop it.

What runs is what a real installation runs (docs/operations.md): gunicorn with
``deploy/gunicorn.conf.py``, the worker (``manage.py run_worker``) and nginx with
``deploy/nginx/openmarac.conf.template`` terminating TLS in front, against the PostgreSQL and
Redis servers on this machine, with ``OPENMARAC_ENV=production``, keys generated for this run and
handed over as files (``*_FILE``), and the release steps of the systemd release unit (migrate,
checklists, collectstatic, ``check --deploy``). Only three things differ from a real server: the
addresses are 127.0.0.1 on free ports, the TLS certificate is self-signed for 127.0.0.1, and the
fictional demo partnership is loaded (under the development settings, since the production
settings refuse it) so that the smoke test has people's names to look for in the logs.

Everything it starts is stopped when it ends, passed or failed. The logs stay in
``var/prod-check/`` for reading; the database is dropped after a pass.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import smoke  # beside this file
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
# Variables of the environment that must not leak from the caller into the check.
_INHERITED_OUT = (
    "OPENMARAC",
    "SECRET_KEY",
    "DATABASE",
    "CACHE_URL",
    "REDIS_URL",
    "DEBUG",
    "LOG_",
    "GUNICORN",
    "ALLOWED_HOSTS",
    "CSRF_",
    "SITE_URL",
    "TRUSTED_PROXIES",
    "SECURE_",
    "EMAIL_",
    "NOTIFY_",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def say(message: str, *, check: str = "prod-check") -> None:
    print(f"{check}: {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def write_secret(path: Path, value: str) -> Path:
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, valid for a day: the smoke test trusts it and nothing else."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OpenMARAC prod-check")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = folder / "tls-certificate.pem"
    key_path = folder / "tls-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass
class Stand:
    """One run's folders, ports, keys and environments."""

    work: Path
    database: str
    postgres: str
    redis: str
    web_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    @property
    def mail(self) -> Path:
        return self.work / "mail"

    def prepare(self) -> None:
        """Empty folders, and keys and a certificate made for this run alone."""
        if self.work.exists():
            shutil.rmtree(self.work)
        for folder in (self.work / "credentials", self.logs, self.mail, self.work / "var"):
            folder.mkdir(parents=True)
        credentials = self.work / "credentials"
        credentials.chmod(0o700)
        self.secret_key = write_secret(credentials / "secret_key", new_key() + new_key())
        self.data_keys = write_secret(credentials / "data_keys", f"k1:{new_key()}")
        self.index_key = write_secret(credentials / "index_key", new_key())
        self.certificate, self.certificate_key = _self_signed_certificate(credentials)

    def environment(self, *, production: bool = True, database: str = "") -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED_OUT)}
        return {
            **base,
            "OPENMARAC_ENV": "production" if production else "development",
            "SECRET_KEY_FILE": str(self.secret_key),
            "OPENMARAC_DATA_KEYS_FILE": str(self.data_keys),
            "OPENMARAC_INDEX_KEY_FILE": str(self.index_key),
            "DATABASE_URL": f"{self.postgres}/{database or self.database}",
            "CACHE_URL": self.redis,
            "REDIS_URL": self.redis,
            "OPENMARAC_VAR_DIR": str(self.work / "var"),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": self.origin,
            "SITE_URL": self.origin,
            "WEBAUTHN_RP_ID": "127.0.0.1",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail),
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "GUNICORN_WORKERS": "2",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }


def _admin_connection(stand: Stand) -> psycopg.Connection:
    return psycopg.connect(f"{stand.postgres}/postgres", autocommit=True, connect_timeout=5)


def _checked_name(name: str) -> str:
    if not name or not all(c in string.ascii_lowercase + string.digits + "_" for c in name):
        raise SystemExit("a database name may hold only lower-case letters, digits and _")
    return name


def database_create(stand: Stand, database: str = "") -> None:
    """A new, empty database (an old one of the same name is dropped first)."""
    name = _checked_name(database or stand.database)
    with _admin_connection(stand) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def database_drop(stand: Stand, database: str = "") -> None:
    name = _checked_name(database or stand.database)
    with _admin_connection(stand) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage_run(
    stand: Stand, *args: str, production: bool = True, database: str = "", key_file: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run a management command to completion, its output copied to the run's log folder.

    ``key_file`` puts another file in place of the run's ``SECRET_KEY``."""
    log = stand.logs / "release.log"
    env = stand.environment(production=production, database=database)
    if key_file:
        env["SECRET_KEY_FILE"] = key_file
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ manage.py {' '.join(args)}\n")
        out.flush()
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=out,
            text=True,
            timeout=300,
            check=False,
        )
        out.write(result.stdout)
    return result


def manage(stand: Stand, *args: str, production: bool = True, database: str = "") -> str:
    """Run a management command that must succeed; return what it printed."""
    result = manage_run(stand, *args, production=production, database=database)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed; see {stand.logs / 'release.log'}")
    return result.stdout


def nginx_config(stand: Stand) -> Path:
    """The shipped template, rendered for this run, inside a minimal main configuration."""
    template = (ROOT / "deploy" / "nginx" / "openmarac.conf.template").read_text(encoding="utf-8")
    values = {
        "OPENMARAC_HOST": "127.0.0.1",
        "PUBLIC_ORIGIN": stand.origin,
        "HTTP_LISTEN": f"127.0.0.1:{stand.http_port}",
        "HTTPS_LISTEN": f"127.0.0.1:{stand.https_port}",
        "UPSTREAM": f"127.0.0.1:{stand.web_port}",
        "TLS_CERTIFICATE": str(stand.certificate),
        "TLS_CERTIFICATE_KEY": str(stand.certificate_key),
        "ACCESS_LOG": str(stand.logs / "nginx-access.log"),
        "ERROR_LOG": str(stand.logs / "nginx-error.log"),
    }
    site = template
    for name, value in values.items():
        site = site.replace("${" + name + "}", value)
    leftover = [name for name in values if "${" + name + "}" in site]
    if "${" in site or leftover:
        raise SystemExit("the nginx template has a variable make prod-check does not fill in")
    folder = stand.work / "nginx"
    temp = folder / "temp"
    temp.mkdir(parents=True)
    (folder / "openmarac.conf").write_text(site, encoding="utf-8")
    user = ""
    if os.geteuid() == 0:  # nginx's workers drop to nobody; give them their scratch folder
        shutil.chown(temp, user="nobody")
        user = "user nobody nogroup;"
    main = folder / "nginx.conf"
    main.write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {stand.logs}/nginx-error.log warn;
events {{ worker_connections 128; }}
http {{
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/openmarac.conf;
}}
""",
        encoding="utf-8",
    )
    return main


@dataclass
class Services:
    """The processes this run started, each in its own process group."""

    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, stand: Stand, name: str, command: list[str]) -> None:
        log = (stand.logs / f"{name}.log").open("ab")
        self.running[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=stand.environment(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def dead(self) -> list[str]:
        return [name for name, process in self.running.items() if process.poll() is not None]

    def stop(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                with suppress(ProcessLookupError):  # already gone
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):  # already gone
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _stop_requested(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="openmarac_prodcheck")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    options = parser.parse_args()
    stand = Stand(
        work=ROOT / "var" / "prod-check",
        database=options.database,
        postgres=options.postgres,
        redis=options.redis,
    )
    started = time.monotonic()
    stand.prepare()
    services = Services()
    outcome = None
    # Stopped from outside (a CI time-out, a closed terminal): still stop what was started.
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _stop_requested)
    try:
        say(f"database {stand.database}, keys and a TLS certificate made for this run")
        database_create(stand)
        say("release steps: migrate, load_checklists, collectstatic, check --deploy")
        manage(stand, "migrate", "--noinput")
        manage(stand, "load_checklists")
        manage(stand, "collectstatic", "--noinput")
        manage(stand, "check", "--deploy", "--fail-level", "WARNING")
        say("the fictional demo partnership, loaded under the development settings")
        manage(stand, "load_demo", production=False)
        services.start(stand, "gunicorn", [str(GUNICORN), "--config", "deploy/gunicorn.conf.py"])
        services.start(stand, "worker", [str(PYTHON), "manage.py", "run_worker", "--interval", "2"])
        services.start(
            stand,
            "nginx",
            ["nginx", "-c", str(nginx_config(stand)), "-e", str(stand.logs / "nginx-error.log")],
        )
        say(f"gunicorn, the worker and nginx started; {stand.origin}/")
        outcome = smoke.run(stand, services)
    finally:
        services.stop()
        say("gunicorn, the worker and nginx stopped")
    passed = outcome is not None and outcome.passed and smoke.logs_clean(stand, outcome)
    if passed:
        database_drop(stand)
    say(f"{'passed' if passed else 'FAILED'} in {time.monotonic() - started:.0f} s")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
