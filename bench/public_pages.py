"""Load benchmark of the public pages and API under gunicorn (issue 10).

    DATABASE_URL=postgres://… CACHE_URL=redis://…/11 .venv/bin/python bench/public_pages.py [SIZES]

SIZES is a comma-separated list of record counts (default 1000,10000,100000; BENCH_SIZES too). For
each size it writes that many generated published records (catalog.generate; kept between runs, so a
second run at the same size starts at once), starts gunicorn with 2 sync workers and DEBUG off
against the same database and cache, lets both workers serve every page once (so that what a process
loads on first use, such as the stemmer's dictionary, is not counted as the data's cost), and for every
page: the first request after a new catalogue version (as after a publication: cold), the first
request after a new version whose figures were computed as a worker does (catalog.tasks.
warm_public_figures), FIRST_SAMPLES of each (median), then ROUNDS rounds of ROUND_SECONDS seconds at
CONCURRENCY clients. It records requests per second (min/median/max of the rounds), client p50/p95, server
p50/p95 (gunicorn's own request time, from its access log), the page's share of the trivial view's
requests per second (robots.txt through the same middleware), the query count of the page
(in-process, cold and warm cache) and the peak RSS of the web workers. Writes bench/results.json and
the tables of docs/benchmarks.md between the `public-pages` markers.

Each size takes about five minutes (16 minutes for the three, with the generation), on a machine left quiet.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jipp.settings")
os.environ["DEBUG"] = "false"
# Tasks run in-process, so no worker computes a publication's figures ahead (catalog.tasks.
# warm_public_figures): "first request" is the worst case; the bench warms them itself for the column
# beside it. Only when run as the bench: scripts/reliability/faults.py imports this module for its
# gunicorn, which must keep the broker it is given.
if __name__ == "__main__":
    os.environ.pop("CELERY_BROKER_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalog.freshness import catalog_changed, catalog_version, forget_catalog_version  # noqa: E402
from catalog.generate import GENERATED_SLUG_SQL, generate_innovations, remove_generated  # noqa: E402
from catalog.services import public_figures_warm  # noqa: E402
from innovations.models import Innovation  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8765"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ROUND_SECONDS = float(os.environ.get("BENCH_ROUND_SECONDS", "3"))
FIRST_SAMPLES = int(os.environ.get("BENCH_FIRST_SAMPLES", "3"))
TIMEOUT = 120
RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- public-pages:start -->", "<!-- public-pages:end -->"

PAGES = {
    "trivial view (robots.txt)": "/robots.txt",
    "home": "/",
    "catalogue": "/inovasi/",
    "catalogue, search": "/inovasi/?q=pelayanan+kesehatan",
    "catalogue, misspelt search": "/inovasi/?q=kesehtan",
    "catalogue, three filters": "/inovasi/?region={region}&year=2023&stage=penerapan",
    "catalogue, page 50": "/inovasi/?page=50",
    "detail": "/inovasi/{slug}/",
    "statistics": "/statistik/",
    "API list": "/api/v1/innovations/",
    "API search": "/api/v1/innovations/?search=pelayanan+kesehatan",
    "API CSV export": "/api/v1/innovations/?format=csv",
    "Atom feed": "/inovasi/feed/",
    "sitemap.xml": "/sitemap.xml",
    "/healthz": "/healthz",
}
CEILING = "trivial view (robots.txt)"


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def get(path: str) -> tuple[int, float]:
    start = time.perf_counter()
    connection_ = http.client.HTTPConnection("127.0.0.1", PORT, timeout=TIMEOUT)
    try:
        connection_.request("GET", path, headers={"Host": "127.0.0.1", "Accept-Encoding": "identity"})
        response = connection_.getresponse()
        response.read()
        return response.status, (time.perf_counter() - start) * 1000
    finally:
        connection_.close()


def load(path: str, seconds: float) -> tuple[float, list[float], int]:
    """CONCURRENCY clients for `seconds`: requests a second, latencies in ms, errors."""
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def client() -> None:
        while time.perf_counter() < stop:
            try:
                status, elapsed = get(path)
            except OSError:
                status, elapsed = 0, 0.0
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies, errors[0]


def query_counts(path: str) -> tuple[int, int]:
    """Queries of one request with an empty cache, then of the same request again."""
    client = Client()
    counts = []
    cache.clear()
    for _ in range(2):
        with CaptureQueriesContext(connection) as context:
            client.get(path, HTTP_HOST="127.0.0.1")
        counts.append(len(context))
    return counts[0], counts[1]


def first_requests(path: str, *, warmed: bool) -> tuple[int, list[float]]:
    """FIRST_SAMPLES first requests of `path`, each after a new catalogue version (its figures computed
    before the request when `warmed`, as catalog.tasks.warm_public_figures does after a publication)."""
    status, times = 0, []
    for _ in range(FIRST_SAMPLES):
        # The workers keep the version they read for CATALOG_VERSION_MEMO_SECONDS: wait it out first.
        time.sleep(1.2)
        catalog_changed()
        if warmed:
            forget_catalog_version()
            public_figures_warm(token=catalog_version().token)
        status, elapsed = get(path)
        times.append(round(elapsed, 1))
    return status, times


def worker_rss(master: int) -> list[int]:
    """Peak RSS (VmHWM, kB) of each gunicorn worker of `master`."""
    peaks = []
    children = Path(f"/proc/{master}/task/{master}/children")
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)))
    return peaks


def server_times(log: Path) -> dict[str, list[float]]:
    """Gunicorn's request time per path and query (ms), from the access log."""
    times: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        path, _, micros = line.rpartition(" ")
        if micros.isdigit():
            times.setdefault(path, []).append(int(micros) / 1000)
    return times


def ensure_records(count: int) -> None:
    generated = Innovation.objects.filter(slug__regex=GENERATED_SLUG_SQL).count()
    if generated != count:
        start = time.perf_counter()
        remove_generated()
        result = generate_innovations(count=count)
        print(f"  generated {count} records in {time.perf_counter() - start:.0f} s ({result.seconds})", flush=True)
    # As autovacuum would soon after a bulk load: the rows' visibility recorded (without it the counts
    # cannot read the covering index alone, and were three to four times slower) and removed records'
    # rows reclaimed (at 1,000 records after 100,000 every scan read the dead rows too).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def start_server(log: Path) -> subprocess.Popen:
    # The API's anonymous rate limit would answer most of the load with 429.
    env = {
        **os.environ,
        "DEBUG": "false",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
        "API_ANON_RATE": "1000000/minute",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "jipp.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            str(TIMEOUT),
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%(U)s?%(q)s %(D)s",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            get("/robots.txt")
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def measure(count: int) -> dict:
    ensure_records(count)
    first = Innovation.objects.filter(slug__regex=GENERATED_SLUG_SQL).order_by("-pk").first()
    paths = {name: path.format(slug=first.slug, region=first.region.bps_code) for name, path in PAGES.items()}
    log = ROOT / "bench" / f".access-{count}.log"
    log.write_text("")
    pages: dict[str, dict] = {}
    load_average = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{count} records: query counts", flush=True)
    counts = {name: query_counts(path) for name, path in paths.items()}
    cache.clear()
    server = start_server(log)
    try:
        for path in paths.values():
            load(path, 0.5)
        for name, path in paths.items():
            status, cold = first_requests(path, warmed=False)
            _status, warmed = first_requests(path, warmed=True)
            rounds = [load(path, ROUND_SECONDS) for _ in range(ROUNDS)]
            latencies = [value for _rate, values, _errors in rounds for value in values]
            pages[name] = {
                "path": path,
                "status": status,
                "cold_ms": statistics.median(cold),
                "warmed_ms": statistics.median(warmed),
                "cold_samples_ms": cold,
                "warmed_samples_ms": warmed,
                "rps": [round(value, 1) for value in sorted(rate for rate, _values, _errors in rounds)],
                "p50_ms": round(percentile(latencies, 0.5), 1),
                "p95_ms": round(percentile(latencies, 0.95), 1),
                "errors": sum(errors for _rate, _values, errors in rounds),
                "queries_cold": counts[name][0],
                "queries_warm": counts[name][1],
            }
            print(f"  {name:32} {pages[name]['rps']} req/s p50 {pages[name]['p50_ms']} ms", flush=True)
        # Over a thousand requests have been served: the workers' peak memory.
        rss = worker_rss(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    times = server_times(log)
    ceiling = statistics.median(pages[CEILING]["rps"])
    for page in pages.values():
        served = times.get(page["path"] if "?" in page["path"] else f"{page['path']}?", [])
        page["server_p50_ms"] = round(percentile(served, 0.5), 1)
        page["server_p95_ms"] = round(percentile(served, 0.95), 1)
        page["share_of_ceiling"] = round(statistics.median(page["rps"]) / ceiling, 3) if ceiling else None
    log.unlink()
    return {"records": count, "pages": pages, "worker_peak_rss_kb": rss, "load_average": load_average}


def markdown(results: dict) -> str:
    lines = [
        START,
        f"Run {results['date']} on {results['machine']} (load average at start {results['load_average']}), "
        f"{results['versions']}; gunicorn 2 sync workers, {CONCURRENCY} clients, {ROUNDS} rounds of "
        f"{ROUND_SECONDS:g} s per page, cache {results['cache']}. Regenerate with `make bench`.",
        "",
    ]
    for size in results["sizes"]:
        rss = ", ".join(f"{value / 1024:.0f} MB" for value in size["worker_peak_rss_kb"])
        lines += [
            f"**{size['records']:,} published records** (peak RSS of the web workers: {rss}; "
            f"load average at the start of this size {size.get('load_average', '-')})",
            "",
            "| page | req/s min / median / max | share of ceiling | p50 / p95 ms (client) "
            "| p50 / p95 ms (server) | first request ms, median: cold / figures warmed | queries cold / warm |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, page in size["pages"].items():
            rps = " / ".join(f"{value:g}" for value in page["rps"])
            share = f"{page['share_of_ceiling'] * 100:.0f}%" if page["share_of_ceiling"] is not None else "-"
            lines.append(
                f"| {name} | {rps} | {share} | {page['p50_ms']:g} / {page['p95_ms']:g} "
                f"| {page['server_p50_ms']:g} / {page['server_p95_ms']:g} "
                f"| {page['cold_ms']:g} / {page.get('warmed_ms', '-')} "
                f"| {page['queries_cold']} / {page['queries_warm']} |"
            )
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def main() -> int:
    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
        return 1
    sizes_text = (sys.argv[1] if len(sys.argv) > 1 else "") or os.environ.get("BENCH_SIZES", "1000,10000,100000")
    sizes = [int(value) for value in sizes_text.split(",")]
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0].split(" on ")[0]
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "load_average": ", ".join(f"{value:.1f}" for value in os.getloadavg()),
        "versions": f"Python {platform.python_version()}, Django {django.get_version()}, {postgres}",
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "sizes": [measure(size) for size in sizes],
    }
    # Sizes measured in an earlier run and not now are kept (a run per size fits the shared machine).
    if RESULTS.exists():
        earlier = json.loads(RESULTS.read_text())
        measured = {size["records"] for size in results["sizes"]}
        kept = [size for size in earlier.get("sizes", []) if size["records"] not in measured]
        results["sizes"] = sorted([*kept, *results["sizes"]], key=lambda size: size["records"])
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    text = DOC.read_text()
    table = markdown(results)
    if START in text and END in text:
        text = text[: text.index(START)] + table + text[text.index(END) + len(END) :]
    else:
        text += "\n" + table + "\n"
    DOC.write_text(text)
    print(f"Wrote {RESULTS.relative_to(ROOT)} and the tables of {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
