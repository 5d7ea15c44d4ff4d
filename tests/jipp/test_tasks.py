import os
import uuid

import pytest
from django.conf import settings
from django.db import connection

from jipp import tasks
from tests.conftest import require_service
from tests.workers import start_worker, stop_worker


@pytest.mark.smoke
@pytest.mark.django_db
def test_ping_task_runs_eagerly_without_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert tasks.ping.delay(token="abc").get(timeout=5) == {"token": "abc", "database": connection.vendor}


@pytest.mark.services
def test_ping_task_runs_through_a_real_worker_on_redis():
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        require_service("A Redis broker (CELERY_BROKER_URL)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue, pool="solo", concurrency=1)
    try:
        result = tasks.ping.apply_async(kwargs={"token": queue}, queue=queue)
        assert result.get(timeout=60) == {"token": queue, "database": connection.vendor}
    finally:
        output = stop_worker(worker)
    assert worker.returncode in (0, -15), output


@pytest.mark.services
def test_suite_runs_against_postgresql_and_redis_in_ci():
    if os.environ.get("JIPP_REQUIRE_SERVICES") != "1":
        pytest.skip("only meaningful in CI, where the services are required")
    assert (connection.vendor, settings.CELERY_TASK_ALWAYS_EAGER) == ("postgresql", False)


@pytest.mark.django_db
def test_clear_expired_sessions_task_deletes_only_expired():
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key="new", session_data="", expire_date=timezone.now() + timedelta(days=1))
    tasks.clear_expired_sessions.apply()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
