import random
from io import StringIO

import pytest

from innovations import demo
from innovations.models import Award, Innovation, Replication, State
from innovations.selectors import innovation_lineage
from jipp import demo as jipp_demo


@pytest.fixture(scope="module")
def _seeded_module(module_data, django_db_blocker):
    with django_db_blocker.unblock():
        jipp_demo.seed(rng=random.Random(1), stdout=StringIO())
        demo.seed(rng=random.Random(1), stdout=StringIO())


@pytest.fixture
def seeded(_seeded_module, db):
    """The demo, seeded once for the module (seeding takes seconds)."""


def test_demo_seeds_about_sixty_records(seeded):
    assert Innovation.objects.filter(revision_of__isnull=True).count() == len(demo.RECORDS)


def test_demo_covers_every_state(seeded):
    assert set(Innovation.objects.values_list("state", flat=True)) == set(State.values)


def test_demo_has_published_record_with_pending_revision(seeded):
    assert Innovation.objects.filter(revision_of__state=State.PUBLISHED).count() == 1


def test_demo_has_majene_kipp_2014_top_99(seeded):
    award = Award.objects.get(innovation__title="Peningkatan Kualitas Pelayanan Publik")
    assert (award.year, award.competition, award.rank) == (2014, "kipp", "top99")


def test_demo_has_three_generation_chain(seeded):
    origin = Innovation.objects.get(slug="akta-lahir-jemput-bola")
    descendants = innovation_lineage(innovation=origin).descendants
    grandchildren = [n for node in descendants for child in node.children for n in child.children]
    assert [n.institution.code for n in grandchildren] == ["pasangkayu-disdukcapil"]


def test_demo_is_idempotent(seeded):
    before = (Innovation.objects.count(), Replication.objects.count(), Award.objects.count())
    demo.seed(rng=random.Random(1), stdout=StringIO())
    assert (Innovation.objects.count(), Replication.objects.count(), Award.objects.count()) == before


def test_demo_is_deterministic_for_a_seed(seeded):
    budgets = list(Innovation.objects.order_by("slug").values_list("slug", "budget"))
    Replication.objects.all().delete()
    Innovation.objects.all().delete()
    demo.seed(rng=random.Random(1), stdout=StringIO())
    assert list(Innovation.objects.order_by("slug").values_list("slug", "budget")) == budgets


def test_demo_pending_change_differs_from_its_record_only_in_the_summary(seeded):
    from innovations.selectors import innovation_changes

    revision = Innovation.objects.get(revision_of__title="Posyandu Prima Berbasis Aplikasi")
    _kind, changes = innovation_changes(innovation=revision)
    assert (
        [change.name for change in changes],
        list(revision.awards.values_list("year", "rank")),
        revision.state,
    ) == (["summary"], list(revision.revision_of.awards.values_list("year", "rank")), State.SUBMITTED)


def test_demo_pending_change_publishes_without_emptying_its_record(seeded):
    from innovations.services.workflow import innovation_publish
    from jipp.models import User

    revision = Innovation.objects.get(revision_of__title="Posyandu Prima Berbasis Aplikasi")
    original = revision.revision_of
    kept = (original.initiator, original.trial_date, original.budget, original.unit, list(original.sdgs.all()))
    published = innovation_publish(innovation=revision, by=User.objects.get(username="hubadmin"))
    assert (
        published.initiator,
        published.trial_date,
        published.budget,
        published.unit,
        list(published.sdgs.all()),
    ) == kept
