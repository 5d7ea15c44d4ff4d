"""Time the ranking of a KIPP scoring stage on a generated edition (PostgreSQL).

    DATABASE_URL=postgres://… .venv/bin/python bench/kipp_ranking.py [ENTRIES] [REVIEWS_PER_ENTRY]

Generates, in bulk, an edition with ENTRIES entries (default 2,000) that passed the administrative
selection, each with a frozen proposal of about 9 KB of text, a calibrated desk evaluation with a
rubric of 6 criteria, REVIEWS_PER_ENTRY submitted reviews per entry (default 5) from 60 reviewers
(one of them harsh), and a score per criterion of every review; then ranks the stage with
competitions.selectors.stage_ranking. Prints the median and fastest time of 5 runs and the number
of queries of one run, for the ranking alone and with the stage's agreement figures. Everything it
creates is rolled back at the end. Needs a migrated database with the reference data (regions,
roles).
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jipp.settings")

import django

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from competitions.models import (  # noqa: E402
    Assignment,
    Criterion,
    Edition,
    EditionCategory,
    Entry,
    Review,
    Score,
    Stage,
)
from competitions.selectors import stage_ranking, stage_ranking_with_agreement  # noqa: E402
from competitions.services.scoring import ScoredCriterion, review_total  # noqa: E402
from innovations.models import SECTION_LIMITS, Innovation, State  # noqa: E402
from jipp.models import Institution, Region, Role, User  # noqa: E402

RUNS = 5
REVIEWERS = 60
CRITERIA = 6
WORDS = [
    "pelayanan",
    "kesehatan",
    "pendidikan",
    "desa",
    "digital",
    "antrian",
    "puskesmas",
    "posyandu",
    "stunting",
    "lansia",
    "pasar",
]


def timings_ms(function) -> tuple[float, float]:
    """Median and fastest of RUNS runs."""
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    return statistics.median(durations), min(durations)


def query_count(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def generate(entries_count: int, per_entry: int) -> Stage:
    rng = random.Random(8)
    now = timezone.now()
    year = 2099
    edition = Edition.objects.create(year=year, theme="Bench", status=Edition.Status.OPEN)
    category = EditionCategory.objects.create(edition=edition, code=1, name_id="Umum", name_en="General")
    stage = Stage.objects.create(
        edition=edition,
        kind=Stage.Kind.DESK,
        order=3,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=10),
        scorer=Stage.Scorer.REVIEWER,
        calibrated=True,
    )
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(stage=stage, name_id=f"Kriteria {n}", name_en=f"Criterion {n}", weight=Decimal(n), order=n)
            for n in range(1, CRITERIA + 1)
        ]
    )
    regencies = list(Region.objects.filter(level=Region.Level.REGENCY))
    institutions = Institution.objects.bulk_create(
        [
            Institution(
                code=f"bench-kipp-{n}", name=f"Dinas Bench {n}", kind="opd", region=regencies[n % len(regencies)]
            )
            for n in range(60)
        ]
    )
    ministry = Institution.objects.create(code="bench-kipp-kemen", name="Kementerian Bench", kind="ministry")
    reviewers = User.objects.bulk_create(
        [User(username=f"bench-rev-{n}", first_name="Bench", institution=ministry) for n in range(REVIEWERS)]
    )
    Group.objects.get(name=Role.REVIEWER).user_set.add(*reviewers)
    innovations = Innovation.objects.bulk_create(
        [
            Innovation(
                title=f"Inovasi Bench {n}",
                slug=f"bench-kipp-{n}",
                state=State.PUBLISHED,
                institution=institutions[n % len(institutions)],
                region=institutions[n % len(institutions)].region,
                published_at=now,
            )
            for n in range(entries_count)
        ],
        batch_size=1000,
    )
    entries = Entry.objects.bulk_create(
        [
            Entry(
                edition=edition,
                number=n + 1,
                group="umum",
                category=category,
                innovation=innovation,
                institution=innovation.institution,
                status=Entry.Status.PASSED,
                submitted_at=now - timedelta(minutes=n),
                snapshot={
                    "title": innovation.title,
                    "sections": {name: " ".join(rng.choices(WORDS, k=100)) for name in SECTION_LIMITS},
                    "profile": {"stage": "penerapan"},
                    "institution": {"id": innovation.institution_id, "name": "Dinas Bench", "code": "bench"},
                    "evidence": [],
                },
            )
            for n, innovation in enumerate(innovations)
        ],
        batch_size=500,
    )
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(stage=stage, entry=entry, reviewer=reviewer, method=Assignment.Method.AUTOMATIC)
            for index, entry in enumerate(entries)
            for reviewer in (reviewers[(index * per_entry + k) % REVIEWERS] for k in range(per_entry))
        ],
        batch_size=5000,
    )
    harsh = reviewers[0].pk
    reviews, values = [], []
    for assignment in assignments:
        scored = [
            Decimal(max(0, min(100, rng.gauss(55 if assignment.reviewer_id == harsh else 75, 12)))).quantize(
                Decimal("0.01")
            )
            for _ in criteria
        ]
        values.append(scored)
        total = review_total(
            ScoredCriterion(criterion.weight, criterion.scale_max, value)
            for criterion, value in zip(criteria, scored, strict=True)
        )
        reviews.append(Review(assignment=assignment, status=Review.Status.SUBMITTED, submitted_at=now, total=total))
    Review.objects.bulk_create(reviews, batch_size=5000)
    Score.objects.bulk_create(
        [
            Score(
                review=review,
                criterion=criterion,
                value=value,
                weight=criterion.weight,
                scale_min=criterion.scale_min,
                scale_max=criterion.scale_max,
            )
            for review, scored in zip(reviews, values, strict=True)
            for criterion, value in zip(criteria, scored, strict=True)
        ],
        batch_size=10000,
    )
    return stage


def main() -> int:
    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
        return 1
    entries_count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    per_entry = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with transaction.atomic():
        start = time.perf_counter()
        stage = generate(entries_count, per_entry)
        with connection.cursor() as cursor:
            for table in ("competitions_entry", "competitions_assignment", "competitions_review", "competitions_score"):
                cursor.execute(f"ANALYZE {table}")
        print(
            f"{entries_count} entries, {entries_count * per_entry} reviews, {entries_count * per_entry * CRITERIA} "
            f"scores generated in {time.perf_counter() - start:.1f} s"
        )
        ranking = stage_ranking(stage=stage)
        assert len(ranking) == entries_count and ranking[0].rank == 1
        # The machine may be shared: the load says how far to trust the times.
        print(f"median and fastest of {RUNS} runs, queries of one run; load average {os.getloadavg()[0]:.1f}")
        for name, function in {
            "stage_ranking (calibrated)": lambda: stage_ranking(stage=stage),
            "stage_ranking_with_agreement (ranking + ICC)": lambda: stage_ranking_with_agreement(stage=stage),
        }.items():
            median, fastest = timings_ms(function)
            print(f"  {median:8.1f} ms  {fastest:8.1f} ms  {query_count(function):3d} queries  {name}")
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
