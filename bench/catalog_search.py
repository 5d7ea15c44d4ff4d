"""Time the catalogue's search, facets and list on N generated published records (PostgreSQL).

    DATABASE_URL=postgres://… .venv/bin/python bench/catalog_search.py [N]

Needs a migrated database with the reference data (regions, SDGs). Everything it creates is rolled
back at the end. Prints how long the bulk search data took (documents, vocabulary), the median of 5
runs per measure and whether PostgreSQL's plan for the full-text match uses the GIN index.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jipp.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from catalog.selectors import (  # noqa: E402
    catalog_facets,
    catalog_innovations,
    catalog_suggestion,
    search_condition,
)
from catalog.services import search_vocabulary_rebuild  # noqa: E402
from innovations.models import Innovation, State  # noqa: E402
from innovations.selectors import innovations_published  # noqa: E402
from innovations.services.search import innovations_search_refresh  # noqa: E402
from jipp.models import Institution, Region  # noqa: E402

WORDS = [
    "pelayanan",
    "kesehatan",
    "pendidikan",
    "air",
    "bersih",
    "sampah",
    "desa",
    "digital",
    "antrian",
    "puskesmas",
    "posyandu",
    "stunting",
    "ibu",
    "hamil",
    "lansia",
    "pangan",
    "pasar",
    "nelayan",
    "irigasi",
    "perpustakaan",
    "kependudukan",
    "perizinan",
    "pajak",
    "sekolah",
]
RUNS = 5


def median_ms(function) -> float:
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    return statistics.median(durations)


def generate(count: int) -> None:
    regencies = list(Region.objects.filter(level=Region.Level.REGENCY))
    institutions = [
        Institution.objects.create(
            code=f"bench-{region.bps_code}", name=f"Bench {region.name}", kind="opd", region=region
        )
        for region in regencies
    ]
    rng = random.Random(7)
    records = []
    for number in range(count):
        institution = rng.choice(institutions)
        title = " ".join(rng.sample(WORDS, 4)).title()
        records.append(
            Innovation(
                title=title,
                slug=f"bench-{number}",
                state=State.PUBLISHED,
                institution=institution,
                region=institution.region,
                # One record in a hundred carries a rare word: a selective search, as most real ones are.
                summary=" ".join(rng.choices(WORDS, k=60)) + (" tenunsekomandi" if number % 100 == 0 else ""),
                implementation=" ".join(rng.choices(WORDS, k=200)),
                stage=rng.choice(["inisiatif", "uji_coba", "penerapan"]),
                kind=rng.choice(["digital", "non_digital"]),
                published_at=timezone.now(),
            )
        )
    Innovation.objects.bulk_create(records, batch_size=1000)


def main() -> int:
    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
        return 1
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with transaction.atomic():
        generate(count)
        # bulk_create bypasses the services: the search data is written in bulk, as a seed would.
        start = time.perf_counter()
        innovations_search_refresh(queryset=Innovation.objects.filter(slug__startswith="bench-"))
        documents = time.perf_counter() - start
        start = time.perf_counter()
        search_vocabulary_rebuild()
        vocabulary = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE innovations_innovation")
        print(f"{count} search documents written in {documents:.1f} s, vocabulary rebuilt in {vocabulary:.1f} s")
        measures = {
            "search 'pelayanan kesehatan': first page + count": lambda: (
                list(catalog_innovations(values={"q": "pelayanan kesehatan"})[:12]),
                catalog_innovations(values={"q": "pelayanan kesehatan"}).count(),
            ),
            "search misspelt 'kesehtan': first page + count": lambda: (
                list(catalog_innovations(values={"q": "kesehtan"})[:12]),
                catalog_innovations(values={"q": "kesehtan"}).count(),
            ),
            "did you mean for 'kesehtan' (with its count)": lambda: catalog_suggestion(values={"q": "kesehtan"}),
            "facets while searching 'desa'": lambda: catalog_facets(values={"q": "desa"}),
            "facets without filters": lambda: catalog_facets(values={}),
            "list newest: first page": lambda: list(catalog_innovations(values={"sort": "newest"})[:12]),
        }
        print(f"{count} published records, median of {RUNS} runs")
        for name, function in measures.items():
            print(f"  {median_ms(function):8.1f} ms  {name}")
        measures_rare = {
            "search rare word 'tenunsekomandi': first page + count": lambda: (
                list(catalog_innovations(values={"q": "tenunsekomandi"})[:12]),
                catalog_innovations(values={"q": "tenunsekomandi"}).count(),
            ),
        }
        for name, function in measures_rare.items():
            print(f"  {median_ms(function):8.1f} ms  {name}")
        plan = innovations_published().filter(search_condition("tenunsekomandi")).explain()
        print("  rare-word plan uses the full-text GIN index:", "catalog_innovation_search_gin" in plan)
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
