"""The production profile with the README's TLS settings passes Django's deployment checklist, and
sends the cookies and headers that checklist and issue 12 ask for."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# The README's production variables with TLS on (SECURE_SSL_REDIRECT and SECURE_HSTS_SECONDS).
PRODUCTION = {
    "JIPP_PROFILE": "production",
    "SECRET_KEY": "k3Vq9-Zp2xR7mW0tYb8nLc4HfJ6sDg1aE5uQiOoPzXyTvBnMrKlSwAe",
    "ALLOWED_HOSTS": "jipp.example",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
}
UNSET = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "SECURE_COOKIES",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "DATABASE_URL",
}
PROBE = """
import django, json
django.setup()
from django.conf import settings as s
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
request = RequestFactory().get("/", secure=True, HTTP_HOST="jipp.example")
response = SecurityMiddleware(lambda request: HttpResponse())(request)
print(json.dumps({
    "cookies": [s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,
                s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN],
    "headers": {name: response.get(name) for name in (
        "Strict-Transport-Security", "Referrer-Policy", "Cross-Origin-Opener-Policy", "X-Content-Type-Options")},
}))
"""


def run(arguments: list[str], **overrides: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in UNSET}
    environment.update(DJANGO_SETTINGS_MODULE="jipp.settings", **PRODUCTION)
    environment.update(overrides)
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def migrated_database_url(folder: Path) -> str:
    """A URL of a migrated database the subprocess can open: the API schema (checked by
    drf-spectacular's deploy check) reads the region codes. PostgreSQL: the test database itself;
    SQLite (in memory): a copy of it in a file."""
    database = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        user, password = database.get("USER") or "", database.get("PASSWORD") or ""
        credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
        return (
            f"postgres://{credentials}{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        )
    copy = folder / "deploy.sqlite3"
    target = sqlite3.connect(copy)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


@pytest.mark.django_db
def test_deploy_check_passes_under_production_with_tls_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DATABASE_URL=migrated_database_url(tmp_path)
    )
    assert (result.returncode, result.stderr, result.stdout) == (
        0,
        "",
        "System check identified no issues (1 silenced).\n",
    )


def test_deploy_cookies_and_headers_under_production_with_tls_settings():
    result = run(["-c", PROBE], DATABASE_URL="sqlite:///unused.sqlite3")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "cookies": ["__Host-sessionid", True, True, "__Host-csrftoken", True, "/", None],
        "headers": {
            "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
            "Referrer-Policy": "same-origin",
            "Cross-Origin-Opener-Policy": "same-origin",
            "X-Content-Type-Options": "nosniff",
        },
    }


def test_deploy_cookies_keep_plain_names_without_tls():
    """SECURE_COOKIES=false (testing production over plain HTTP): a browser would refuse a __Host-
    cookie that is not Secure, so the names stay Django's."""
    result = run(["-c", PROBE], DATABASE_URL="sqlite:///unused.sqlite3", SECURE_COOKIES="false")
    assert json.loads(result.stdout)["cookies"][:5] == ["sessionid", False, True, "csrftoken", False]
