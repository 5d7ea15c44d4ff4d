"""The bulk generator of the load benchmarks: published records findable like the services' own."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from catalog.freshness import catalog_version
from catalog.generate import generate_innovations, remove_generated
from catalog.selectors import catalog_innovations
from innovations.models import Innovation, Replication
from innovations.search import fill_search_document
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_generate_innovations_published_with_the_services_documents():
    InstitutionFactory()
    generate_innovations(count=12)
    records = list(Innovation.objects.filter(slug__regex=r"-g[0-9]+$").select_related("institution", "region"))
    written = [(r.search_title, r.search_summary, r.search_body, r.search_place) for r in records]
    for record in records:
        fill_search_document(record)
    expected = [(r.search_title, r.search_summary, r.search_body, r.search_place) for r in records]
    assert (len(records), {r.state for r in records}, written) == (12, {"published"}, expected)


def test_generate_innovations_findable_by_a_rare_word():
    InstitutionFactory()
    generate_innovations(count=3)
    # The first record of every hundred carries the rare word.
    assert [r.slug.rsplit("-g", 1)[1] for r in catalog_innovations(values={"q": "tenunsekomandi"})] == [
        str(Innovation.objects.order_by("pk").filter(slug__regex=r"-g[0-9]+$").first().pk)
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search vector exists on PostgreSQL")
def test_generate_innovations_vector_equals_the_triggers():
    InstitutionFactory()
    generate_innovations(count=5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM innovations_innovation WHERE slug ~ '-g[0-9]+$' AND search_vector = "
            "setweight(to_tsvector('simple', search_title), 'A') "
            "|| setweight(to_tsvector('simple', search_summary), 'B') "
            "|| setweight(to_tsvector('simple', search_body), 'C') "
            "|| setweight(to_tsvector('simple', search_place), 'D')"
        )
        assert cursor.fetchone()[0] == 5


def test_remove_generated_leaves_other_records():
    InstitutionFactory()
    kept = Innovation.objects.count()
    generate_innovations(count=40)
    before = catalog_version().token
    removed = remove_generated()
    assert (removed, Innovation.objects.count(), Replication.objects.count(), catalog_version().token != before) == (
        40,
        kept,
        0,
        True,
    )


def test_generate_innovations_command_refused_without_debug(settings):
    settings.DEBUG = False
    settings.EMBEDDED = False
    with pytest.raises(CommandError):
        call_command("generate_innovations", "1", stdout=StringIO())
