"""Production configuration comes from the environment and fails fast."""

import base64
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = base64.b64encode(os.urandom(32)).decode()
PRODUCTION = {
    "OPENMARAC_ENV": "production",
    "SECRET_KEY": "x" * 60 + "production-only-test-key-" + KEY,
    "ALLOWED_HOSTS": "marac.example.org",
    "OPENMARAC_DATA_KEYS": f"k1:{KEY}",
    "OPENMARAC_INDEX_KEY": KEY,
    "DATABASE_URL": "sqlite:////tmp/openmarac-deploy-check.sqlite3",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENMARAC", "SECRET", "DEBUG", "DATABASE", "DJANGO_ALLOW_ASYNC"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = manage("check", env={**PRODUCTION, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is required in production" in result.stderr


def test_production_refuses_to_start_without_encryption_keys():
    env = {k: v for k, v in PRODUCTION.items() if k != "OPENMARAC_DATA_KEYS"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "OPENMARAC_DATA_KEYS" in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(PRODUCTION["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    env["SECRET_KEY_FILE"] = str(secret_file)
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr
