"""Factories of decisions, objections, certificates and results: an edition whose desk evaluation
is over, with submitted reviews of known totals, and its finalist and final decisions to come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from competitions.models import Certificate, Decision, Edition, Entry, EntryGroup, Objection, Review, Stage
from jipp.models import Role, User
from tests.competitions.factories import (
    AssignmentFactory,
    EditionCategoryFactory,
    EditionFactory,
    EditionGroupFactory,
    EntryFactory,
    StageFactory,
)
from tests.factories import user_with_role
from tests.innovations.factories_network import NetworkInnovationFactory


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    stage = factory.SubFactory(StageFactory, kind=Stage.Kind.FINALIST)
    entry = factory.LazyAttribute(lambda o: EntryFactory(edition=o.stage.edition, status=Entry.Status.PASSED))
    outcome = Decision.Outcome.FINALIST
    score = Decimal("80")
    rank = 1


class ObjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objection

    entry = factory.SubFactory(EntryFactory)
    name = "Warga Majene"
    email = "warga@example.com"
    text = "Inovasi ini belum berjalan di lapangan."


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    entry = factory.SubFactory(EntryFactory)
    outcome = Decision.Outcome.TOP_45


def submitted_review(*, stage: Stage, entry: Entry, reviewer: User, total: str | Decimal) -> Review:
    """A submitted review of `entry` in `stage` by `reviewer` whose total is `total`."""
    assignment = AssignmentFactory(stage=stage, entry=entry, reviewer=reviewer)
    return Review.objects.create(
        assignment=assignment, status=Review.Status.SUBMITTED, submitted_at=timezone.now(), total=Decimal(total)
    )


@dataclass
class RankedEdition:
    edition: Edition
    desk: Stage
    finalist: Stage
    final: Stage
    entries: list[Entry]  # in the order of the totals given, so entries[0] has the first total


def ranked_edition(
    *, year: int = 2045, totals: tuple[str, ...] = ("90", "80", "70", "60"), groups: tuple[str, ...] = ()
) -> RankedEdition:
    """An announced edition whose desk evaluation closed yesterday: one entry per total (group umum
    unless `groups` says otherwise, category 1), each with one submitted review of that total by one
    reviewer; the finalist decision is open now and the final decision follows."""
    now = timezone.now()
    edition = EditionFactory(year=year, status=Edition.Status.OPEN, objection_window_days=5)
    EditionGroupFactory(edition=edition, group=EntryGroup.GENERAL)
    EditionGroupFactory(edition=edition, group=EntryGroup.REPLICATION, min_months_in_operation=12)
    EditionCategoryFactory(edition=edition, code=1, name_id="Pelayanan kesehatan", name_en="Health services")
    EditionCategoryFactory(edition=edition, code=2, name_id="Transformasi digital", name_en="Digital transformation")
    desk = StageFactory(
        edition=edition,
        kind=Stage.Kind.DESK,
        order=3,
        opens_at=now - timedelta(days=20),
        closes_at=now - timedelta(days=1),
    )
    finalist = StageFactory(
        edition=edition,
        kind=Stage.Kind.FINALIST,
        order=4,
        opens_at=now - timedelta(hours=12),
        closes_at=now + timedelta(days=10),
        scorer="",
    )
    final = StageFactory(
        edition=edition,
        kind=Stage.Kind.FINAL,
        order=7,
        opens_at=now + timedelta(days=20),
        closes_at=now + timedelta(days=30),
        scorer="",
    )
    reviewer = user_with_role(Role.REVIEWER, username=f"penilai-{year}")
    entries = []
    for index, total in enumerate(totals):
        group = groups[index] if index < len(groups) else EntryGroup.GENERAL
        entry = EntryFactory(
            edition=edition,
            number=index + 1,
            status=Entry.Status.PASSED,
            group=group,
            origin=NetworkInnovationFactory() if group == EntryGroup.REPLICATION else None,
        )
        submitted_review(stage=desk, entry=entry, reviewer=reviewer, total=total)
        entries.append(entry)
    return RankedEdition(edition, desk, finalist, final, entries)
