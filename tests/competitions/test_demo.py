"""KIPP demo data: a past edition with published results, a current one in a calibrated desk evaluation."""

import random
from decimal import Decimal
from io import StringIO

import pytest
from django.db.models import Avg, Count

from competitions import demo
from competitions.models import AuditRecord, Certificate, Decision, Edition, Entry, Review, Stage
from competitions.selectors import latest_result, stage_ranking
from innovations import demo as innovations_demo
from innovations.models import Award
from jipp import demo as jipp_demo
from jipp.models import Role, User

pytestmark = pytest.mark.django_db


def seed_all():
    for module in (jipp_demo, innovations_demo, demo):
        module.seed(rng=random.Random(7), stdout=StringIO())


@pytest.fixture(scope="module")
def _seeded_module(module_data, django_db_blocker):
    with django_db_blocker.unblock():
        seed_all()


@pytest.fixture
def seeded(_seeded_module, db):
    """The demo, seeded once for the module (seeding takes seconds)."""


def test_demo_2025_has_the_six_entries_of_sulawesi_barat(seeded):
    titles = sorted(
        t.split(":")[0] for t in Entry.objects.filter(edition__year=2025).values_list("innovation__title", flat=True)
    )
    assert titles == ["I-BANUA", "La-PATUH", "MALABBI", "Ma'silambi", "SIDAYA", "SIPADA"]


def test_demo_2025_results_are_published_and_the_edition_closed(seeded):
    edition = Edition.objects.get(year=2025)
    published = sorted(edition.stages.filter(results_published_at__year=2025).values_list("kind", flat=True))
    assert (edition.status, published) == ("closed", ["final_decision", "finalist_decision"])


def test_demo_2025_finalists_are_those_at_or_above_the_passing_grade(seeded):
    finalists = sorted(
        Decision.objects.filter(
            stage__edition__year=2025, stage__kind=Stage.Kind.FINALIST, outcome="top99"
        ).values_list("entry__innovation__title", flat=True)
    )
    assert [title.split(":")[0] for title in finalists] == ["La-PATUH", "MALABBI", "Ma'silambi"]


def test_demo_2025_awards_and_certificate_are_on_the_records(seeded):
    awards = sorted(
        (title.split(":")[0], rank)
        for title, rank in Award.objects.filter(year=2025, rank__in=["top99", "top45", "outstanding"]).values_list(
            "innovation__title", "rank"
        )
    )
    certificates = list(Certificate.objects.values_list("entry__innovation__title", "outcome"))
    assert (awards, [(t.split(":")[0], o) for t, o in certificates]) == (
        [("La-PATUH", "top99"), ("MALABBI", "top99"), ("Ma'silambi", "top45")],
        [("Ma'silambi", "top45")],
    )


def test_demo_2025_is_the_latest_published_result(seeded):
    assert latest_result()["edition"].year == 2025


def test_demo_2026_desk_evaluation_is_open_with_every_review_submitted(seeded):
    desk = Stage.objects.get(edition__year=2026, kind=Stage.Kind.DESK)
    reviews = Review.objects.filter(assignment__stage=desk)
    per_entry = sorted(desk.assignments.values("entry").annotate(n=Count("pk")).values_list("n", flat=True))
    assert (
        desk.is_open(),
        desk.blind,
        desk.calibrated,
        Entry.objects.filter(edition__year=2026, status="passed").count(),
        reviews.count(),
        set(reviews.values_list("status", flat=True)),
        per_entry,
    ) == (True, True, True, 8, 24, {"submitted"}, [3] * 8)


def test_demo_2026_has_one_clearly_harsher_reviewer(seeded):
    desk = Stage.objects.get(edition__year=2026, kind=Stage.Kind.DESK)
    means = dict(
        Review.objects.filter(assignment__stage=desk)
        .values_list("assignment__reviewer__username")
        .annotate(mean=Avg("total"))
    )
    harsh = means.pop(demo.HARSH_REVIEWER)
    assert min(means.values()) - harsh > Decimal(20)


def test_demo_2026_calibration_changes_the_order(seeded):
    desk = Stage.objects.get(edition__year=2026, kind=Stage.Kind.DESK)
    ranking = stage_ranking(stage=desk)
    calibrated = [row.title for row in ranking]
    plain = [row.title for row in sorted(ranking, key=lambda row: -row.score)]
    assert (calibrated != plain, calibrated[0], plain[0]) == (
        True,
        "Sulbar Sehat Bergerak: Layanan Kesehatan Bergerak Pulau Terluar",
        "Izin Usaha Mikro Sehari Jadi",
    )


def test_demo_has_at_least_three_reviewers_who_can_sign_in(seeded):
    reviewers = User.objects.filter(groups__name=Role.REVIEWER, is_active=True)
    assert [user.check_password(jipp_demo.DEMO_PASSWORD) for user in reviewers] == [True] * 4


def test_demo_decisions_are_audited(seeded):
    assert AuditRecord.objects.filter(edition__year=2025, action=AuditRecord.Action.DECISION).count() == 9


def test_demo_seeds_once(seeded):
    counts = (Edition.objects.count(), Entry.objects.count(), Review.objects.count(), User.objects.count())
    seed_all()
    assert (Edition.objects.count(), Entry.objects.count(), Review.objects.count(), User.objects.count()) == counts
