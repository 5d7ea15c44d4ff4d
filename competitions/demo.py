"""Demo data of KIPP: a past edition with published results and a current one in desk evaluation.

Called by `manage.py seed_demo` after the innovations' demo (whose published records are entered).
- KIPP 2025 (closed): the six entries of Sulawesi Barat that passed the administrative selection
  (Ma'silambi, MALABBI, SIPADA, SIDAYA, I-BANUA, La-PATUH), desk reviews by three reviewers, the
  finalists cut at the passing grade of 85, a presentation scored by the panelist, the winners, one
  answered objection, the awards on the records and the winner's certificate. The outcomes are
  invented for the demo.
- KIPP 2026 (announced): eight entries of the regencies past the administrative selection, a blind
  and calibrated desk evaluation open now, each entry assigned to three of four reviewers and every
  review submitted. One reviewer (reviewer3) scores about 25 points lower than the others: the
  entries he reviewed fall in the plain mean and calibration puts them back, so the two orders
  differ and the harsh reviews are flagged as disagreement.
Each edition is created once: seeding again changes nothing. Decisions, publication, assignments,
the administrative selection and the current reviews go through the services (audited); what the
services refuse for dates in the past (entries, the 2025 reviews) is written directly, and the 2025
publication dates are set back to 2025 afterwards.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import IO

from django.contrib.auth.models import Group
from django.utils import timezone

from innovations.models import Innovation
from jipp.demo import DEMO_PASSWORD
from jipp.models import Institution, Role, User

from .models import (
    SCORING_KINDS,
    Certificate,
    Criterion,
    Decision,
    Edition,
    EditionCategory,
    EditionGroup,
    Entry,
    EntryGroup,
    Objection,
    Review,
    Score,
    Stage,
)
from .services.assignments import assignment_add
from .services.decisions import Cut, CutMode, decisions_cut, decisions_mark, objection_answer
from .services.editions import CriterionInput, default_categories, default_rubric
from .services.entries import entry_snapshot
from .services.results import results_publish
from .services.reviews import ScoreInput, review_save
from .services.scoring import ScoredCriterion, review_total
from .services.selection import entries_select

# Reviewers besides jipp's demo "reviewer" (username, full name); reviewer3 is the harsh one.
DEMO_REVIEWERS = [
    ("reviewer2", "Dr. Rina Penilai"),
    ("reviewer3", "Prof. Bambang Penilai"),
    ("reviewer4", "Dr. Yusuf Penilai"),
]
HARSH_REVIEWER = "reviewer3"
HARSHNESS = 25


@dataclass(frozen=True)
class DemoEntry:
    title: str  # of the innovation record seeded by innovations/demo.py
    category: int
    quality: int  # what a fair reviewer would give, of 100


ENTRIES_2025 = [
    DemoEntry("Ma'silambi: Gerakan Bersama Cegah Stunting", 4, 91),
    DemoEntry("MALABBI: Manajemen Layanan Berbasis Informasi Pasien", 4, 88),
    DemoEntry("La-PATUH: Layanan Pemantauan Kepatuhan Standar Pelayanan", 8, 86),
    DemoEntry("SIPADA: Sistem Informasi Pajak Daerah", 8, 83),
    DemoEntry("SIDAYA: Sistem Informasi Data Pendidikan dan Kebudayaan", 8, 81),
    DemoEntry("I-BANUA: Inovasi Bangun Desa Berbasis Data", 7, 79),
]
# The entries at positions 2 and 6 are the ones the harsh reviewer does not review (see _reviewers_of).
ENTRIES_2026 = [
    DemoEntry("Sulbar Sehat Bergerak: Layanan Kesehatan Bergerak Pulau Terluar", 4, 88),
    DemoEntry("Sayang Ibu: Pendampingan Ibu Hamil", 1, 84),
    DemoEntry("Izin Usaha Mikro Sehari Jadi", 6, 82),
    DemoEntry("Rumah Tunggu Kelahiran Desa", 4, 86),
    DemoEntry("KTP Elektronik Keliling Pegunungan", 8, 80),
    DemoEntry("Kopi Mamasa Naik Kelas", 6, 78),
    DemoEntry("Pengaduan Warga Satu Pintu", 8, 76),
    DemoEntry("Lumbung Pangan Desa", 2, 74),
]
PAST_STAGES = [
    # kind, order, opens, closes (2025, WITA)
    (Stage.Kind.REGISTRATION, 1, (3, 3), (4, 30)),
    (Stage.Kind.ADMINISTRATIVE, 2, (5, 2), (5, 23)),
    (Stage.Kind.DESK, 3, (5, 26), (6, 27)),
    (Stage.Kind.FINALIST, 4, (7, 1), (7, 31)),
    (Stage.Kind.PRESENTATION, 5, (8, 4), (8, 29)),
    (Stage.Kind.FINAL, 7, (9, 1), (10, 31)),
]
# The current edition's stages, in days from today.
CURRENT_STAGES = [
    (Stage.Kind.REGISTRATION, 1, -90, -50),
    (Stage.Kind.ADMINISTRATIVE, 2, -49, -30),
    (Stage.Kind.DESK, 3, -28, 14),
    (Stage.Kind.FINALIST, 4, 15, 30),
    (Stage.Kind.PRESENTATION, 5, 31, 45),
    (Stage.Kind.FINAL, 7, 46, 60),
]


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def _reviewers() -> list[User]:
    """The four demo reviewers: jipp's "reviewer" and DEMO_REVIEWERS, all at the ministry (no regency,
    so no derived conflict with any entry of the province)."""
    ministry = Institution.objects.get(code="kemenpanrb")
    group = Group.objects.get(name=Role.REVIEWER)
    for username, full_name in DEMO_REVIEWERS:
        first, _space, last = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.jipp.local",
                "institution": ministry,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(group)
    usernames = ["reviewer", *(username for username, _name in DEMO_REVIEWERS)]
    return sorted(User.objects.filter(username__in=usernames), key=lambda user: usernames.index(user.username))


def _edition(year: int, theme: str, status: str) -> Edition:
    edition = Edition.objects.create(year=year, theme=theme, status=status, passing_grade=85, objection_window_days=5)
    EditionGroup.objects.create(
        edition=edition, group=EntryGroup.GENERAL, min_months_in_operation=24, max_entries_per_institution=10
    )
    EditionGroup.objects.create(
        edition=edition, group=EntryGroup.REPLICATION, min_months_in_operation=12, max_entries_per_institution=5
    )
    EditionCategory.objects.bulk_create(
        EditionCategory(edition=edition, code=c.code, name_id=c.name_id, name_en=c.name_en)
        for c in default_categories(year)
    )
    return edition


def _stage(
    edition: Edition,
    kind: str,
    order: int,
    opens: datetime,
    closes: datetime,
    *,
    scorer: str,
    blind: bool = False,
    calibrated: bool = False,
) -> Stage:
    stage = Stage.objects.create(
        edition=edition,
        kind=kind,
        order=order,
        opens_at=opens,
        closes_at=closes,
        scorer=scorer,
        blind=blind,
        calibrated=calibrated,
    )
    rubric: tuple[CriterionInput, ...] = default_rubric(kind)
    Criterion.objects.bulk_create(
        Criterion(
            stage=stage,
            order=order,
            name_id=item.name_id,
            name_en=item.name_en,
            guidance_id=item.guidance_id,
            guidance_en=item.guidance_en,
            weight=item.weight,
            scale_min=item.scale_min,
            scale_max=item.scale_max,
        )
        for order, item in enumerate(rubric)
    )
    return stage


def _entries(edition: Edition, items: list[DemoEntry], submitted_at: datetime, by: User | None) -> list[Entry]:
    """Entries of the records titled in `items`, frozen as entry_submit freezes them (registration is
    over, so the service would refuse them now)."""
    records = {
        innovation.title: innovation
        for innovation in Innovation.objects.filter(
            title__in=[item.title for item in items], revision_of__isnull=True
        ).select_related("institution", "region")
    }
    categories = {category.code: category for category in edition.categories.all()}
    entries = []
    for number, item in enumerate(items, start=1):
        innovation = records[item.title]
        entries.append(
            Entry.objects.create(
                edition=edition,
                number=number,
                group=EntryGroup.GENERAL,
                category=categories[item.category],
                innovation=innovation,
                institution=innovation.institution,
                snapshot=entry_snapshot(innovation=innovation),
                submitted_at=submitted_at + timedelta(hours=number),
                submitted_by=by,
            )
        )
    return entries


def _values(rng: random.Random, target: int, count: int) -> list[Decimal]:
    """`count` criterion scores around `target` (whole numbers within 0..100)."""
    return [Decimal(max(0, min(100, target + rng.randint(-3, 3)))) for _ in range(count)]


def _reviewers_of(index: int, reviewers: list[User]) -> list[User]:
    # Each entry gets three of the four reviewers: the one left out turns with the entry's position.
    return [reviewer for position, reviewer in enumerate(reviewers) if position != index % len(reviewers)]


def _past_reviews(
    rng: random.Random, stage: Stage, scored: list[tuple[Entry, int]], reviewers: list[User], at: datetime
) -> int:
    """Submitted reviews of a closed stage, written as review_save writes them (it refuses closed stages)."""
    criteria = list(stage.criteria.order_by("order"))
    count = 0
    for entry, quality in scored:
        for reviewer in reviewers:
            assignment = stage.assignments.create(entry=entry, reviewer=reviewer, method="manual")
            values = _values(rng, quality, len(criteria))
            total = review_total(
                ScoredCriterion(c.weight, c.scale_max, v) for c, v in zip(criteria, values, strict=True)
            )
            review = Review.objects.create(
                assignment=assignment,
                status=Review.Status.SUBMITTED,
                submitted_at=at + timedelta(hours=count),
                total=total,
                weights={
                    str(c.pk): {"weight": str(c.weight), "min": c.scale_min, "max": c.scale_max, "counts": True}
                    for c in criteria
                },
            )
            Score.objects.bulk_create(
                Score(
                    review=review, criterion=c, value=v, weight=c.weight, scale_min=c.scale_min, scale_max=c.scale_max
                )
                for c, v in zip(criteria, values, strict=True)
            )
            count += 1
    return count


def _seed_2025(rng: random.Random, secretariat: User, reviewers: list[User], panelist: User | None) -> None:
    edition = _edition(2025, "Inovasi pelayanan publik yang berdampak dan berkelanjutan", Edition.Status.OPEN)
    stages = {
        kind: _stage(
            edition,
            kind,
            order,
            _at(2025, *opens),
            _at(2025, *closes, hour=23),
            scorer=SCORING_KINDS.get(kind, ""),
        )
        for kind, order, opens, closes in PAST_STAGES
    }
    entries = _entries(edition, ENTRIES_2025, _at(2025, 4, 14), None)
    entries_select(edition=edition, entry_ids=[entry.pk for entry in entries], by=secretariat, passed=True)
    desk = stages[Stage.Kind.DESK]
    fair = [reviewer for reviewer in reviewers if reviewer.username != HARSH_REVIEWER][:3]
    qualities = [item.quality for item in ENTRIES_2025]
    _past_reviews(rng, desk, list(zip(entries, qualities, strict=True)), fair, _at(2025, 6, 10))
    finalist_stage = stages[Stage.Kind.FINALIST]
    decisions_cut(
        stage=finalist_stage,
        by=secretariat,
        cut=Cut(CutMode.GRADE, grade=edition.passing_grade),
        outcome=Decision.Outcome.TOP_99,
        rest_eliminated=True,
        note="Rapat Tim Panel Independen, 4 Juli 2025.",
    )
    results_publish(stage=finalist_stage, by=secretariat)
    announced = _at(2025, 7, 7)
    Stage.objects.filter(pk=finalist_stage.pk).update(
        announced_at=announced, results_published_at=announced, objections_close_at=announced + timedelta(days=5)
    )
    objection = Objection.objects.create(
        entry=entries[2],
        name="Muhammad Arsyad",
        email="arsyad.warga@example.com",
        text="Standar pelayanan di unit kami belum dipantau lewat La-PATUH; mohon diverifikasi.",
    )
    objection_answer(
        objection=objection,
        by=secretariat,
        answer="Pemantauan berjalan di 42 unit sejak 2023; unit Anda dijadwalkan masuk tahap berikutnya. "
        "Keputusan finalis tetap.",
    )
    finalists = entries[:3]
    if panelist is not None:
        _past_reviews(
            rng,
            stages[Stage.Kind.PRESENTATION],
            list(zip(finalists, qualities[:3], strict=True)),
            [panelist],
            _at(2025, 8, 20),
        )
    final = stages[Stage.Kind.FINAL]
    decisions_mark(
        stage=final, by=secretariat, entry_ids=[e.pk for e in finalists[1:]], outcome=Decision.Outcome.TOP_99
    )
    decisions_mark(stage=final, by=secretariat, entry_ids=[finalists[0].pk], outcome=Decision.Outcome.TOP_45)
    results_publish(stage=final, by=secretariat)
    published = _at(2025, 10, 20)
    Stage.objects.filter(pk=final.pk).update(results_published_at=published)
    Decision.objects.filter(stage=finalist_stage).update(decided_at=_at(2025, 7, 4))
    Decision.objects.filter(stage=final).update(decided_at=_at(2025, 10, 15))
    Certificate.objects.filter(entry__edition=edition).update(issued_at=published)


def _seed_2026(rng: random.Random, secretariat: User, reviewers: list[User]) -> None:
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    edition = _edition(2026, "Inovasi pelayanan publik untuk pemerataan dan ketahanan daerah", Edition.Status.OPEN)
    stages = {
        kind: _stage(
            edition,
            kind,
            order,
            today + timedelta(days=opens),
            today + timedelta(days=closes, hours=14),
            scorer=SCORING_KINDS.get(kind, ""),
            # The desk evaluation hides who entered, and ranks by calibrated scores.
            blind=kind == Stage.Kind.DESK,
            calibrated=kind == Stage.Kind.DESK,
        )
        for kind, order, opens, closes in CURRENT_STAGES
    }
    operator = User.objects.filter(username="operator").first()
    entries = _entries(edition, ENTRIES_2026, today - timedelta(days=70), operator)
    entries_select(edition=edition, entry_ids=[entry.pk for entry in entries], by=secretariat, passed=True)
    desk = stages[Stage.Kind.DESK]
    criteria = list(desk.criteria.order_by("order"))
    for index, (entry, item) in enumerate(zip(entries, ENTRIES_2026, strict=True)):
        for reviewer in _reviewers_of(index, reviewers):
            assignment = assignment_add(stage=desk, entry=entry, reviewer=reviewer, by=secretariat)
            target = item.quality - (HARSHNESS if reviewer.username == HARSH_REVIEWER else 0)
            values = _values(rng, target, len(criteria))
            review_save(
                assignment=assignment,
                by=reviewer,
                scores=[ScoreInput(criterion_id=c.pk, value=v) for c, v in zip(criteria, values, strict=True)],
                submit=True,
            )


def seed(*, rng: random.Random, stdout: IO[str]) -> None:
    secretariat = User.objects.filter(username="ministry").first()
    if secretariat is None:
        stdout.write("  competitions: no demo secretariat (run jipp's demo first); nothing seeded\n")
        return
    reviewers = _reviewers()
    panelist = User.objects.filter(username="panelist").first()
    seeded = []
    if not Edition.objects.filter(year=2025).exists():
        _seed_2025(rng, secretariat, reviewers, panelist)
        seeded.append("KIPP 2025 with published results")
    if not Edition.objects.filter(year=2026).exists():
        _seed_2026(rng, secretariat, reviewers)
        seeded.append("KIPP 2026 in desk evaluation")
    stdout.write(f"  competitions: {', '.join(seeded) or 'nothing new'}; {len(reviewers)} reviewers\n")
