"""Load test (issue 12, point 7): 100 clients for 60 seconds on the public pages and the API, against
gunicorn (DEBUG off, as bench/public_pages.py starts it) and PostgreSQL with 10,000 published records.

    make load
    LOAD_USERS=100 LOAD_SECONDS=60 LOAD_WAIT=1,5 .venv/bin/python scripts/reliability/load.py

The records are generated once (catalog.generate, kept between runs, like bench/public_pages.py; a
database without institutions gets the demo data first, since the generator needs some);
the cache is a Redis server of the run's own, as production would share one across its workers.
The clients are locust's (scripts/reliability/locustfile.py), headless, each waiting LOAD_WAIT seconds
between two requests. Any answer other than 2xx/3xx, or a failed connection, is an error and the run
exits 1. Writes requests per second and p50/p95/p99 per page, with the machine's load average, to
bench/results-load.json.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RESULTS = ROOT / "bench" / "results-load.json"
RECORDS = 10_000
USERS = int(os.environ.get("LOAD_USERS", "100"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
WAIT = os.environ.get("LOAD_WAIT", "1,5")

sys.path.insert(0, str(HERE))
from faults import DEFAULT_DATABASE_URL, RedisServer  # noqa: E402 (the fault tests' own Redis server)


def sample_load(samples: list[float], stop: threading.Event) -> None:
    while not stop.wait(5):
        samples.append(os.getloadavg()[0])


def read_stats(path: Path) -> dict[str, dict]:
    """Locust's stats CSV: per page, requests, failures, requests a second and percentiles (ms)."""
    pages = {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            pages[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": int(float(row["50%"])),
                "p95_ms": int(float(row["95%"])),
                "p99_ms": int(float(row["99%"])),
                "max_ms": int(float(row["Max Response Time"])),
            }
    return pages


def main() -> int:
    redis = RedisServer()
    redis.start()
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.update(CACHE_URL=redis.url, BENCH_PORT=os.environ.get("LOAD_PORT", "8766"), DEBUG="false")
    folder = Path(tempfile.mkdtemp(prefix="jipp-load-"))
    try:
        return run(folder)
    finally:
        redis.stop()
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()


def run(folder: Path) -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    import public_pages  # sets Django up
    from django.core.management import call_command
    from django.db import connection

    from catalog.generate import GENERATED_SLUG_SQL
    from innovations.models import Innovation
    from jipp.models import Institution

    if connection.vendor != "postgresql":
        print("The load test needs PostgreSQL (DATABASE_URL=postgres://…).")
        return 1
    call_command("migrate", verbosity=0)
    if not Institution.objects.exists():
        # The generator spreads its records over existing institutions: a fresh database gets the demo's.
        call_command("seed_demo", verbosity=0)
    public_pages.ensure_records(RECORDS)
    generated = Innovation.objects.filter(slug__regex=GENERATED_SLUG_SQL)
    slugs = folder / "slugs.txt"
    slugs.write_text("\n".join(generated.order_by("?").values_list("slug", flat=True)[:500]))
    regions = sorted(set(generated.values_list("region__bps_code", flat=True).distinct()))
    connection.close()
    server = public_pages.start_server(folder / "access.log")
    samples: list[float] = []
    stop = threading.Event()
    sampler = threading.Thread(target=sample_load, args=(samples, stop), daemon=True)
    load_before = os.getloadavg()
    started = time.monotonic()
    try:
        sampler.start()
        locust = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(max(1, USERS // 5)),
                "--run-time",
                f"{SECONDS}s",
                "--host",
                f"http://127.0.0.1:{public_pages.PORT}",
                "--csv",
                str(folder / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "LOAD_SLUGS": str(slugs), "LOAD_REGIONS": ",".join(regions), "LOAD_WAIT": WAIT},
            cwd=ROOT,
            check=False,
        )
    finally:
        stop.set()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    pages = read_stats(folder / "load_stats.csv")
    total = pages.pop("Aggregated")
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "records": RECORDS,
        "users": USERS,
        "seconds": SECONDS,
        "wait_between_requests_s": WAIT,
        "gunicorn": "2 sync workers, DEBUG off, CONN_MAX_AGE=600, Redis cache",
        "load_average_before": [round(value, 1) for value in load_before],
        "load_average_1min_during_max": round(max(samples, default=0.0), 1),
        "load_average_after": [round(value, 1) for value in os.getloadavg()],
        "wall_seconds": round(time.monotonic() - started, 1),
        "total": total,
        "pages": pages,
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"{USERS} clients, {SECONDS} s, {RECORDS:,} records; load average before {results['load_average_before']}, "
        f"highest during {results['load_average_1min_during_max']}"
    )
    print(f"{'page':28} {'requests':>8} {'errors':>6} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}")
    for name, page in [*pages.items(), ("all", total)]:
        print(
            f"{name:28} {page['requests']:8} {page['failures']:6} {page['rps']:6} "
            f"{page['p50_ms']:6} {page['p95_ms']:6} {page['p99_ms']:6}"
        )
    print(f"Wrote {RESULTS.relative_to(ROOT)}")
    if total["failures"] or total["requests"] == 0:
        print(f"FAILED: {total['failures']} errors")
        return 1
    return 0 if locust.returncode in (0, 1) else locust.returncode


if __name__ == "__main__":
    sys.exit(main())
