"""Factories of the competitions area: editions, stages, rubrics, entries, assignments and reviews."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from competitions.models import (
    Assignment,
    Criterion,
    Edition,
    EditionCategory,
    EditionGroup,
    Entry,
    EntryGroup,
    Review,
    Stage,
)
from jipp.models import Role
from tests.factories import InstitutionFactory, user_with_role
from tests.innovations.factories_network import NetworkInnovationFactory


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ("year",)

    # Within the CHECK constraint (2014-2100) however many tests ran before, and clear of the years
    # tests name (2031, 2040, 2041).
    year = factory.Sequence(lambda n: 2045 + n % 50)
    theme = factory.LazyAttribute(lambda o: f"Tema KIPP {o.year}")
    status = Edition.Status.OPEN


class EditionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EditionGroup
        django_get_or_create = ("edition", "group")

    edition = factory.SubFactory(EditionFactory)
    group = EntryGroup.GENERAL
    min_months_in_operation = 24
    max_entries_per_institution = 10


class EditionCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EditionCategory
        django_get_or_create = ("edition", "code")

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: n + 1)
    name_id = factory.LazyAttribute(lambda o: f"Kategori {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Category {o.code}")


class StageFactory(factory.django.DjangoModelFactory):
    """A stage open now (opened a day ago, closes in a week) unless dates are given."""

    class Meta:
        model = Stage
        django_get_or_create = ("edition", "kind")

    edition = factory.SubFactory(EditionFactory)
    kind = Stage.Kind.DESK
    order = factory.LazyAttribute(lambda o: list(Stage.Kind.values).index(o.kind) + 1)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    scorer = factory.LazyAttribute(lambda o: "reviewer" if o.kind == Stage.Kind.DESK else "")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    stage = factory.SubFactory(StageFactory)
    name_id = factory.Sequence(lambda n: f"Kriteria {n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")
    scale_min = 0
    scale_max = 100
    order = factory.Sequence(lambda n: n)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    group = EntryGroup.GENERAL
    category = factory.LazyAttribute(lambda o: EditionCategoryFactory(edition=o.edition, code=1))
    institution = factory.SubFactory(InstitutionFactory)
    innovation = factory.LazyAttribute(lambda o: NetworkInnovationFactory(institution=o.institution))
    snapshot = factory.LazyAttribute(lambda o: {"title": o.innovation.title, "sections": {}, "evidence": []})


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    stage = factory.SubFactory(StageFactory)
    entry = factory.LazyAttribute(lambda o: EntryFactory(edition=o.stage.edition))
    reviewer = factory.LazyFunction(lambda: user_with_role(Role.REVIEWER))


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)


def open_edition(*, year: int = 2040, general_limit: int | None = 2, replication_limit: int | None = 1) -> Edition:
    """An announced edition in registration: umum (24 months, `general_limit` per institution) and
    replikasi (12 months), two categories, registration open now, the desk evaluation to come."""
    now = timezone.now()
    edition = EditionFactory(year=year, status=Edition.Status.OPEN)
    EditionGroupFactory(edition=edition, group=EntryGroup.GENERAL, max_entries_per_institution=general_limit)
    EditionGroupFactory(
        edition=edition,
        group=EntryGroup.REPLICATION,
        min_months_in_operation=12,
        max_entries_per_institution=replication_limit,
    )
    EditionCategoryFactory(edition=edition, code=1, name_id="Pelayanan kesehatan", name_en="Health services")
    EditionCategoryFactory(edition=edition, code=2, name_id="Transformasi digital", name_en="Digital transformation")
    StageFactory(
        edition=edition,
        kind=Stage.Kind.REGISTRATION,
        order=1,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
    )
    StageFactory(
        edition=edition,
        kind=Stage.Kind.DESK,
        order=3,
        opens_at=now + timedelta(days=20),
        closes_at=now + timedelta(days=40),
    )
    return edition


def published_record(institution, *, years: int = 3, **kwargs):
    """A published record of `institution`, implemented `years` years ago."""
    from tests.innovations.factories_workflow import PublishedInnovationFactory

    kwargs.setdefault(
        "implementation_date", timezone.localdate().replace(year=timezone.localdate().year - years, day=1)
    )
    return PublishedInnovationFactory(institution=institution, **kwargs)
