"""The maintenance page: a page request while the database is unreachable answers 503 with a clear,
translated page and Retry-After, not the 500 of a bug (issue 12, fault tests; bench/faults.py)."""

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError, connection
from django.test import Client

PAGE = "text/html,application/xhtml+xml,*/*;q=0.8"


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_maintenance_page_when_database_unreachable_is_503_with_retry_after(monkeypatch, error):
    def refuse(*args, **kwargs):
        raise error("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = Client(raise_request_exception=False).get("/en/", HTTP_ACCEPT=PAGE)
    body = response.content.decode()
    assert (response.status_code, response["Retry-After"], response["Content-Type"]) == (
        503,
        "60",
        "text/html; charset=utf-8",
    )
    assert ("The portal is briefly unavailable" in body, "Please try again in a minute." in body) == (True, True)


@pytest.mark.django_db
def test_maintenance_page_other_database_error_stays_500(monkeypatch):
    def broken(*args, **kwargs):
        raise IntegrityError("a bug, not an outage")

    monkeypatch.setattr("jipp.views.sections_for", broken)
    response = Client(raise_request_exception=False).get("/en/", HTTP_ACCEPT=PAGE)
    assert (response.status_code, "Retry-After" in response) == (500, False)
