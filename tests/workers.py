"""Real Celery workers for the tests marked `services`: a separate process on the real Redis, reading the
test database (DATABASE_URL names it, so the tests that use one are transactional) and listening on a
queue of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[1]


def require_real_services() -> None:
    """A worker needs the real broker and a database another process can read."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        require_service("A Redis broker (CELERY_BROKER_URL)")
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (DATABASE_URL)")


def worker_database_url() -> str:
    """The test database (test_<name>, per xdist worker) as a URL for the worker process."""
    database = connection.settings_dict
    credentials = quote(database["USER"] or "")
    if database["PASSWORD"]:
        credentials += f":{quote(database['PASSWORD'])}"
    return f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"


def start_worker(
    queue: str, *, environment: dict[str, str] | None = None, pool: str = "threads", concurrency: int = 2
) -> subprocess.Popen:
    """A worker consuming `queue`, with `environment` added to this process's."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "jipp",
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "-Q",
            queue,
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env={**os.environ, **(environment or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(process: subprocess.Popen) -> str:
    """Stop the worker (if it still runs) and return what it printed."""
    if process.poll() is None:
        process.terminate()
    output, _unused = process.communicate(timeout=30)
    return output
