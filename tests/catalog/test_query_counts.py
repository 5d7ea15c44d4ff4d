"""Every public page and API endpoint asks the database the same number of questions at 3 and at
300 records, and at page sizes 10 and 100: nothing is read row by row (issue 10)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.generate import generate_innovations
from innovations.models import Innovation
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

# The most any public page may ask, with nothing cached or once its figures are cached.
WARM_MAXIMUM = 10
# A search's page is read in two queries, the ids by rank and then their rows: one query more than the
# limit, three times faster than one at 100,000 records (catalog.freshness.CachedCountPaginator.page).
COLD_MAXIMUM = {"catalogue, search": WARM_MAXIMUM + 1}

PAGES = {
    "catalogue": "/inovasi/",
    # Words every generation holds (its first record carries the rare word), so that both sizes
    # take the same branch: a search that finds nothing also counts what each filter costs.
    "catalogue, search": "/inovasi/?q=motif+tenunsekomandi",
    "catalogue, misspelt search": "/inovasi/?q=tenunsekomandy",
    "catalogue, three filters": "/inovasi/?region={region}&year=2023&stage=penerapan",
    "catalogue, page 2": "/inovasi/?page=2",
    "catalogue, English": "/en/inovasi/",
    "detail": "/inovasi/{slug}/",
    "statistics": "/statistik/",
    "feed": "/inovasi/feed/",
    "sitemap": "/sitemap.xml",
    "home": "/",
    "API list": "/api/v1/innovations/",
    "API search": "/api/v1/innovations/?search=pelayanan+kesehatan",
    "API detail": "/api/v1/innovations/{slug}/",
    "API CSV": "/api/v1/innovations/?format=csv",
}


def _queries(client, url: str, *, cold: bool = True) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def _url(name: str) -> str:
    first = Innovation.objects.filter(slug__regex=r"-g[0-9]+$").order_by("pk").first()
    return PAGES[name].format(slug=first.slug, region=first.region.bps_code)


@pytest.mark.parametrize("name", list(PAGES))
def test_public_page_query_count_same_at_3_and_300_records_and_within_limit(client, name):
    InstitutionFactory()
    generate_innovations(count=3, seed=1)
    small = _queries(client, _url(name))
    generate_innovations(count=297, seed=2)
    large = _queries(client, _url(name))
    assert (large, large <= COLD_MAXIMUM.get(name, WARM_MAXIMUM)) == (small, True)


@pytest.mark.parametrize("name", list(PAGES))
def test_public_page_query_count_within_limit_once_cached(client, name):
    InstitutionFactory()
    generate_innovations(count=30)
    url = _url(name)
    _queries(client, url)
    assert _queries(client, url, cold=False) <= WARM_MAXIMUM


@pytest.mark.parametrize("url", ["/api/v1/innovations/", "/api/v1/innovations/?search=pelayanan"])
def test_api_list_query_count_same_at_page_size_10_and_100(client, url):
    InstitutionFactory()
    generate_innovations(count=120)
    separator = "&" if "?" in url else "?"
    assert _queries(client, f"{url}{separator}page_size=10") == _queries(client, f"{url}{separator}page_size=100")
