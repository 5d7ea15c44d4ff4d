import json
import os
import re
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


def test_settings_postgres_connections_without_jit_keep_pgoptions():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS'])"
    )
    environment = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    environment.update(
        DJANGO_SETTINGS_MODULE="jipp.settings",
        DATABASE_URL="postgres://jipp@db.example:5432/jipp",
        PGOPTIONS="-c synchronous_commit=off",
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "{'options': '-c synchronous_commit=off -c jit=off'}", result.stderr


@pytest.mark.django_db
def test_settings_postgres_session_runs_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


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


STRICT_DIRECTIVES = {
    "default-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\shx-on[:-]|\son[a-z]+=", re.IGNORECASE)


def policy(response) -> dict[str, set[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: set(values) for name, *values in directives}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "staff"),
    [
        ("/", False),
        ("/inovasi/", False),
        ("/statistik/", False),
        ("/en/masuk/", False),
        ("/kelola/", True),
        ("/kelola/baru/", True),
        ("/dasbor/", True),
    ],
)
def test_csp_strict_on_public_and_staff_pages(client, operator, path, staff):
    if staff:
        client.force_login(operator)
    response = client.get(path)
    directives = policy(response)
    allowed = set().union(*directives.values())
    assert (
        response.status_code,
        {name: directives.get(name) for name in STRICT_DIRECTIVES},
        allowed & {"'unsafe-inline'", "'unsafe-eval'", "data:", "*"},
        INLINE_CODE.findall(response.content.decode()),
    ) == (200, STRICT_DIRECTIVES, set(), [])


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_csp_api_docs_allow_inline_styles_but_no_inline_scripts(client, path):
    response = client.get(path)
    directives = policy(response)
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
    assert (
        response.status_code,
        {name: directives.get(name) for name in STRICT_DIRECTIVES},
        "'unsafe-inline'" in directives["style-src"],
        directives.get("script-src", directives["default-src"]),
        inline_scripts,
    ) == (200, STRICT_DIRECTIVES, True, {"'self'"}, [])


@pytest.mark.django_db
def test_csp_api_docs_script_is_served_as_a_file(client):
    response = client.get("/api/docs/", {"script": ""})
    assert (response.status_code, response["Content-Type"], "SwaggerUIBundle" in response.content.decode()) == (
        200,
        "application/javascript",
        True,
    )
