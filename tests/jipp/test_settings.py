import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'email': s.EMAIL_BACKEND, 'debug': s.DEBUG, 'language': s.LANGUAGE_CODE}))"
)
CONFIG_VARIABLES = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "JIPP_PROFILE",
    "EMAIL_URL",
    "CELERY_TASK_ALWAYS_EAGER",
}
# What `python -c "import secrets; print(secrets.token_urlsafe(50))"` gives: long and varied.
STRONG_KEY = "k3Vq9-Zp2xR7mW0tYb8nLc4HfJ6sDg1aE5uQiOoPzXyTvBnMrKlSwAe"


def run_settings(**overrides: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE="jipp.settings", **overrides)
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.smoke
def test_settings_embedded_defaults_without_environment():
    result = run_settings()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "engine": "django.db.backends.sqlite3",
        "name": str(ROOT / "db.sqlite3"),
        "eager": True,
        "email": "django.core.mail.backends.console.EmailBackend",
        "debug": True,
        "language": "id",
    }


def test_settings_database_and_broker_from_environment():
    result = run_settings(
        DATABASE_URL="postgres://jipp:secret@db.example:5432/jipp", CELERY_BROKER_URL="redis://broker.example:6379/0"
    )
    values = json.loads(result.stdout)
    assert (values["engine"], values["name"], values["eager"]) == ("django.db.backends.postgresql", "jipp", False)


@pytest.mark.smoke
def test_settings_production_refuses_to_start_without_secret_key():
    result = run_settings(JIPP_PROFILE="production", ALLOWED_HOSTS="jipp.example")
    assert result.returncode == 1
    assert "needs SECRET_KEY" in result.stderr


def test_settings_production_refuses_to_start_without_allowed_hosts():
    result = run_settings(JIPP_PROFILE="production", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 1
    assert "needs ALLOWED_HOSTS" in result.stderr


def test_settings_production_starts_with_debug_off_when_configured():
    result = run_settings(JIPP_PROFILE="production", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="jipp.example")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False


@pytest.mark.parametrize("key", ["abc", "x" * 60, "django-insecure-" + STRONG_KEY])
def test_settings_production_refuses_to_start_with_weak_secret_key(key):
    result = run_settings(JIPP_PROFILE="production", SECRET_KEY=key, ALLOWED_HOSTS="jipp.example")
    assert (
        result.returncode,
        "ImproperlyConfigured: The production profile needs a SECRET_KEY of at least 50" in result.stderr,
    ) == (1, True)


def test_settings_production_refuses_to_start_with_debug_on():
    result = run_settings(JIPP_PROFILE="production", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="jipp.example", DEBUG="true")
    assert (
        result.returncode,
        "ImproperlyConfigured: DEBUG must be off under the production profile" in result.stderr,
    ) == (1, True)
