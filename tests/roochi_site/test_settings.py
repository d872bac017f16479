"""P11: a production configuration is HTTPS-only and passes Django's deploy checks,
and a forgotten variable stops the site instead of running it unsafely."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def production_environment(**overrides) -> dict:
    environment = {
        key: value for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "PERSON_HASH_KEY",
             "BACKUP_DIR", "ERASURE_LEDGER_PATH")
        )
    }
    environment.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        PERSON_HASH_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="www.roochi.com",
        SITE_URL="https://www.roochi.com",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto:https",
        DATABASE_URL=settings.DATABASE_URL,
        EMAIL_HOST="smtp.roochi.com",
        INBOX_IMAP_HOST="imap.roochi.com",
        BACKUP_DIR="/var/backups/roochi",
    )
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value is not None}


def manage(*args: str, environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    environment=production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "PERSON_HASH_KEY"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    result = manage("check", environment=production_environment(**{missing: None}))
    assert result.returncode != 0
    assert f"{missing} is required" in result.stderr


def test_production_settings_are_https_only():
    result = manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)",
        environment=production_environment(),
    )
    assert result.stdout.split() == ["True", "31536000", "True", "True", "False"]


def test_production_without_a_mail_server_fails_the_deploy_check():
    result = manage("check", "--deploy", environment=production_environment(EMAIL_HOST=None))
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_production_reading_no_inbox_fails_the_deploy_check():
    """P6: without the inbox, nobody hears an "unsubscribe" reply."""
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    environment=production_environment(INBOX_IMAP_HOST=None))
    assert result.returncode != 0
    assert "communications.W001" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = manage("shell", "--no-imports", "-c",
                    "from django.conf import settings; print(settings.DEBUG)",
                    environment=production_environment(DJANGO_HTTPS="false"))
    assert result.stdout.strip() == "False"


def test_production_keeping_the_erasure_ledger_in_the_checkout_fails_the_deploy_check():
    """P8: a new release would take the ledger away with the checkout."""
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    environment=production_environment(BACKUP_DIR=None))
    assert result.returncode != 0
    assert "privacy.W001" in result.stderr
