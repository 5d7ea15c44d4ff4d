from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings


@pytest.mark.smoke
@pytest.mark.django_db
def test_healthz_is_200_with_everything_up(client, settings):
    response = client.get("/healthz")
    expected_broker = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok", "broker": expected_broker}


@pytest.mark.django_db
def test_healthz_is_503_when_database_unreachable(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_healthz_is_503_when_a_kept_connection_died(client, monkeypatch):
    from django.db import connection

    def dead(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The connection object is there (ensure_connection passes) but the server no longer answers.
    monkeypatch.setattr(connection, "cursor", dead)
    response = client.get("/healthz")
    assert (response.status_code, response.json()["database"]) == (503, "unreachable")


@pytest.mark.django_db
def test_healthz_is_503_when_broker_unreachable(client):
    with (
        override_settings(CELERY_TASK_ALWAYS_EAGER=False),
        mock.patch("jipp.celery.app.connection_for_write", side_effect=OSError("refused")),
    ):
        response = client.get("/healthz")
    assert (response.status_code, response.json()["broker"]) == (503, "unreachable")


@pytest.mark.django_db
def test_healthz_is_503_with_pending_migrations(client):
    with mock.patch("jipp.health.check_migrations", return_value="pending"):
        response = client.get("/healthz")
    assert (response.status_code, response.json()["migrations"]) == (503, "pending")
