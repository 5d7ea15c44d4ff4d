"""A search that finds nothing offers a way on: the corrected search, each filter dropped, the catalogue."""

import pytest
from django.utils import translation

from catalog.selectors import catalog_counts_without
from catalog.services import search_vocabulary_rebuild
from jipp.selectors import region_by_code
from tests.catalog.factories import InnovationFactory
from tests.factories import InstitutionFactory, regency

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    InnovationFactory(title="Kesehatan Keliling", stage="uji_coba")
    InnovationFactory(title="Kesehatan Sekolah", stage="penerapan")
    InnovationFactory(title="Bank Sampah", stage="uji_coba", institution=InstitutionFactory(region=regency("Mamuju")))
    search_vocabulary_rebuild()


def page(client, **params):
    with translation.override("en"):
        return client.get("/en/inovasi/", params)


def test_counts_without_each_filter_in_use(records):
    values = {"q": "sampah", "stage": "penerapan", "region": region_by_code(code="7601"), "kind": ""}
    assert catalog_counts_without(values=values) == {"q": 1, "region": 0, "stage": 0}


def test_no_results_offers_each_filter_dropped_with_what_it_would_find(client, records):
    response = page(client, q="kesehatan", stage="inisiatif", region="7601")
    removals = [
        (item["name"], item["value"], item["count_without"], item["url"]) for item in response.context["removals"]
    ]
    assert removals == [("stage", "Initiative", 2, "/en/inovasi/?q=kesehatan&region=7601")]
    assert 'href="/en/inovasi/?q=kesehatan&amp;region=7601"' in response.content.decode()


def no_results_block(response) -> str:
    body = response.content.decode()
    start = body.index('data-testid="no-results"')
    return body[start : body.index("</div>", start)]


def test_no_results_page_always_links_the_whole_catalogue(client, records):
    response = page(client, q="kesehtan", stage="inisiatif")
    assert (response.context["removals"], response.context["suggestion"]) == ([], None)
    assert '<a href="/en/inovasi/">' in no_results_block(response)


def test_no_results_page_offers_the_corrected_search_when_it_finds_something(client, records):
    response = page(client, q="kesehtan")
    body = response.content.decode()
    assert (response.context["page_obj"].paginator.count, 'href="/en/inovasi/?q=kesehatan"' in body) == (0, True)


def test_results_page_has_no_no_results_block(client, records):
    assert 'data-testid="no-results"' not in page(client, q="kesehatan").content.decode()
