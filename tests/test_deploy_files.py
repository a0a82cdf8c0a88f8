"""The deployment files are read the way the server reads them. (``make prod-check`` runs them.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_reads_every_unit_without_a_complaint(tmp_path):
    # The units name /opt/openmarac; here the programs they start are in this checkout.
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace("/opt/openmarac", str(ROOT))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(map(str, tmp_path.glob("*")))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout + result.stderr == ""


def test_the_services_run_as_their_own_user_with_secrets_as_credentials():
    assert {u.name for u in UNITS} == {
        "openmarac-web.service",
        "openmarac-worker.service",
        "openmarac-release.service",
    }
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8")
        assert "User=openmarac" in text
        assert "NoNewPrivileges=yes" in text
        assert "CapabilityBoundingSet=\n" in text
        for secret in ("SECRET_KEY", "OPENMARAC_DATA_KEYS", "OPENMARAC_INDEX_KEY", "DATABASE_URL"):
            assert re.search(rf"^Environment={secret}_FILE=%d/\w+$", text, re.M), secret
            assert not re.search(rf"^Environment={secret}=", text, re.M), secret
    example = (DEPLOY / "systemd" / "openmarac.env.example").read_text(encoding="utf-8")
    assert not re.search(
        r"^(SECRET_KEY|OPENMARAC_DATA_KEYS|OPENMARAC_INDEX_KEY|NOTIFY_API_KEY)=", example, re.M
    )


def gunicorn_config(**env: str) -> dict[str, str]:
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "deploy/gunicorn.conf.py",
            "--print-config",
        ],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("GUNICORN")}, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }


def test_gunicorn_listens_on_loopback_trusts_only_the_local_proxy_and_logs_no_access_lines():
    config = gunicorn_config()
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["forwarded_allow_ips"] == "['127.0.0.1', '::1']"
    assert config["accesslog"] == "None"
    assert config["control_socket_disable"] == "True"
    assert config["wsgi_app"] == "openmarac.wsgi:application"
    assert config["umask"] == str(0o077)


def test_gunicorn_takes_its_address_and_size_from_the_environment():
    config = gunicorn_config(
        GUNICORN_BIND="unix:/run/openmarac/gunicorn.sock", GUNICORN_WORKERS="5"
    )
    assert config["bind"] == "['unix:/run/openmarac/gunicorn.sock']"
    assert config["workers"] == "5"


def test_the_proxy_template_says_how_to_fill_in_every_variable_it_has():
    template = (DEPLOY / "nginx" / "openmarac.conf.template").read_text(encoding="utf-8")
    body = "\n".join(line for line in template.splitlines() if not line.startswith("#"))
    used = set(re.findall(r"\$\{(\w+)\}", body))
    documented = set(re.findall(r"\$\{(\w+)\}", template.split("envsubst", 1)[1].split("<", 1)[0]))
    assert used == documented
    prod_check = (DEPLOY / "prod_check.py").read_text(encoding="utf-8")
    assert all(f'"{name}":' in prod_check for name in used)  # make prod-check fills in each one
    assert "X-Forwarded-Proto https;" in body  # set, never passed on from the client
    assert "X-Real-IP $remote_addr;" in body
    assert "X-Request-ID $request_id;" in body
    assert "$request_uri" not in body.split("log_format", 1)[1].split(";", 1)[0]


@pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed (make proxy)",
)
def test_nginx_accepts_the_rendered_template(tmp_path):
    sys.path.insert(0, str(DEPLOY))
    try:
        import prod_check
    finally:
        sys.path.remove(str(DEPLOY))
    stand = prod_check.Stand(work=tmp_path / "stand", database="unused", postgres="", redis="")
    stand.prepare()
    config = prod_check.nginx_config(stand)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run(
        [nginx, "-t", "-c", str(config), "-e", str(stand.logs / "nginx-error.log")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_management_commands_run_with_the_installations_settings_and_key_files(tmp_path):
    """deploy/openmarac-manage reads the settings file and the key files as the units do."""
    import base64

    etc = tmp_path / "etc"
    (etc / "credentials").mkdir(parents=True)
    example = (DEPLOY / "systemd" / "openmarac.env.example").read_text(encoding="utf-8")
    settings_file = example.replace("/var/lib/openmarac", str(tmp_path / "var")).replace(
        "EMAIL_BACKEND=notify", "EMAIL_BACKEND=smtp"
    )
    (etc / "openmarac.env").write_text(settings_file, encoding="utf-8")
    key = base64.b64encode(os.urandom(32)).decode()
    for name, value in {
        "secret_key": "s" * 20 + key + key,
        "data_keys": f"k1:{key}",
        "index_key": key,
        "database_url": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }.items():
        (etc / "credentials" / name).write_text(value + "\n", encoding="utf-8")
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("OPENMARAC", "SECRET", "DATABASE", "EMAIL", "CACHE", "REDIS", "DEBUG", "DJANGO_ALLOW")
        )
    }

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DEPLOY / "openmarac-manage"), *args],
            env={**clean, "OPENMARAC_ETC": str(etc), **env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    checked = run("check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stderr
    shown = run(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DEFAULT_FROM_EMAIL); "
        "print(s.DATABASES['default']['NAME']); print(s.PRODUCTION)",
    )
    assert shown.stdout.splitlines()[-3:] == [
        "MARAC hub <marac@example.org>",
        str(tmp_path / "db.sqlite3"),
        "True",
    ]
    restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    elsewhere = run(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['NAME'])",
        DATABASE_URL=restored,
    )
    assert elsewhere.stdout.splitlines()[-1] == str(tmp_path / "restored.sqlite3")
