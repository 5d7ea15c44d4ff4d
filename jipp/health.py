"""Readiness checks behind GET /healthz."""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def check_database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        # A connection kept between requests (CONN_MAX_AGE) may have died while idle, and
        # ensure_connection() does not notice: only a round trip tells.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "unreachable" to a probe
        return "unreachable"
    return "ok"


def check_migrations() -> str:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # noqa: BLE001
        return "unknown"
    return "pending" if plan else "ok"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from jipp.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001
        return "unreachable"
    return "ok"


def health_report() -> tuple[bool, dict[str, str]]:
    database = check_database()
    report = {
        "database": database,
        "migrations": check_migrations() if database == "ok" else "unknown",
        "broker": check_broker(),
    }
    healthy = report["database"] == "ok" and report["migrations"] == "ok" and report["broker"] in {"ok", "eager"}
    return healthy, report
