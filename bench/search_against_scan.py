"""Full-text search against a plain scan (issue 10's target: at least 20 times faster), on the
published records the database holds (PostgreSQL; `make bench` leaves 1,000, 10,000 or 100,000
generated ones after bench/public_pages.py, whichever size it measured last).

    DATABASE_URL=postgres://… .venv/bin/python bench/search_against_scan.py

For two words most records hold, a word of one of the generator's sentences and a word none holds: the
catalogue's first page (ranked) and its count, against the same words found with icontains in the
title, summary and every section (each word somewhere, as the search asks), first page (newest
first: an icontains scan has no rank) and count. Median of 5 runs of each; prints the ratio.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jipp.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from catalog.selectors import catalog_innovations  # noqa: E402
from innovations.models import SECTION_LIMITS  # noqa: E402
from innovations.selectors import innovations_published  # noqa: E402

# Two words most records hold, a word of one sentence of the generator's pool, a word none holds.
SEARCHES = ["pelayanan kesehatan", "sampah", "tenunsekomandi"]
TEXTS = ("title", *SECTION_LIMITS)


def median_ms(function, text: str) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(5):
        start = time.perf_counter()
        function(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def full_text(text: str) -> None:
    results = catalog_innovations(values={"q": text})
    list(results.values_list("pk", flat=True)[:12])
    results.count()


def scan(text: str) -> None:
    condition = Q()
    for word in text.split():
        anywhere = Q()
        for field in TEXTS:
            anywhere |= Q(**{f"{field}__icontains": word})
        condition &= anywhere
    results = innovations_published().filter(condition).order_by("-published_at", "-pk")
    list(results.values_list("pk", flat=True)[:12])
    results.count()


def main() -> int:
    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
        return 1
    records = innovations_published().count()
    print(f"Full-text search against an icontains scan, {records} published records, median of 5 runs")
    for text in SEARCHES:
        found = catalog_innovations(values={"q": text}).count()
        searched, scanned = median_ms(full_text, text), median_ms(scan, text)
        print(
            f"  {text!r:22} {found:7} found   search {searched:8.1f} ms   scan {scanned:8.1f} ms"
            f"   {scanned / searched:6.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
