"""Whole anonymous pages kept per catalogue version (catalog.freshness.public_page and
cached_api_response): a repeated request asks the database nothing while the process keeps the
version, a publication is seen at once in its own process and within the memo's seconds in others,
signed-in users never see or fill a kept page, and a kept page's CSRF token still works."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone

from catalog import freshness
from catalog.freshness import VERSION_PK, catalog_changed, catalog_version
from catalog.models import CatalogVersion
from innovations.models import Innovation
from tests.catalog.factories import InnovationFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/inovasi/",
    "/inovasi/?q=posyandu&page=1",
    "/inovasi/{slug}/",
    "/statistik/",
    "/inovasi/feed/",
    "/sitemap.xml",
    "/api/v1/innovations/",
    "/api/v1/innovations/?search=posyandu",
    "/api/v1/innovations/{slug}/",
]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def _memory(settings):
    """The version memo long enough that a slow first render never outlasts it (its expiry is tested on a
    clock), and the process's copies of kept pages on, as in production, so every test here covers them."""
    settings.CATALOG_VERSION_MEMO_SECONDS = 60
    settings.PAGE_COPY_BYTES = 4_000_000
    freshness.forget_page_copies()
    yield
    freshness.forget_page_copies()


@pytest.fixture
def record(django_capture_on_commit_callbacks):
    # Committed, as a publication is before a visitor sees it: the version may be kept in memory.
    with django_capture_on_commit_callbacks(execute=True):
        return InnovationFactory(title="Posyandu Keliling Mamuju")


@pytest.mark.parametrize("url", PAGES)
def test_repeated_anonymous_request_reads_nothing(client, record, url, django_assert_num_queries):
    url = url.format(slug=record.slug)
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert (first.status_code, again.status_code, again["Content-Type"]) == (200, 200, first["Content-Type"])


def test_repeated_request_reads_the_version_after_the_memo_seconds(
    client, record, monkeypatch, django_assert_num_queries
):
    client.get("/inovasi/")
    later = freshness.monotonic() + 61
    monkeypatch.setattr(freshness, "monotonic", lambda: later)
    with django_assert_num_queries(1) as captured:
        client.get("/inovasi/")
    assert '"catalog_catalogversion"' in captured.captured_queries[0]["sql"]


def test_publication_committed_in_this_process_seen_within_the_memo(client, record, django_capture_on_commit_callbacks):
    client.get("/inovasi/")
    with django_capture_on_commit_callbacks(execute=True):
        InnovationFactory(title="Bank Sampah Polewali")
    assert "Bank Sampah Polewali" in client.get("/inovasi/").content.decode()


def test_version_read_before_this_process_commits_forgotten_at_the_commit(record, django_capture_on_commit_callbacks):
    stale = catalog_version()
    with django_capture_on_commit_callbacks(execute=True):
        catalog_changed()
        freshness._Memo.entry = (stale, freshness.monotonic() + 60)  # another thread's read, before the commit
    assert catalog_version() != stale


def test_version_of_a_rolled_back_write_never_kept(record):
    committed = catalog_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        catalog_changed()
        catalog_version()
        raise RuntimeError("rolled back")
    assert catalog_version() == committed


def test_publication_of_another_process_seen_after_the_memo_seconds(client, record, monkeypatch):
    client.get(record.get_absolute_url())
    # Another process: the row and the version change, and this process is not told.
    Innovation.objects.filter(pk=record.pk).update(title="Posyandu Keliling Majene")
    CatalogVersion.objects.filter(pk=VERSION_PK).update(token="f" * 32, changed_at=timezone.now() + timedelta(1))
    within = client.get(record.get_absolute_url()).content.decode()
    later = freshness.monotonic() + 61
    monkeypatch.setattr(freshness, "monotonic", lambda: later)
    after = client.get(record.get_absolute_url()).content.decode()
    assert ("Keliling Mamuju" in within, "Keliling Majene" in after) == (True, True)


@pytest.mark.parametrize("url", ["/api/v1/innovations/", "/inovasi/feed/", "/sitemap.xml"])
def test_kept_page_same_bytes_as_rendered(client, record, url):
    assert client.get(url).content == client.get(url).content


def test_publication_seen_by_the_next_request(client, record):
    client.get("/inovasi/")
    client.get("/api/v1/innovations/")
    InnovationFactory(title="Bank Sampah Polewali")
    page, api = client.get("/inovasi/"), client.get("/api/v1/innovations/")
    assert ("Bank Sampah Polewali" in page.content.decode(), api.json()["count"]) == (True, 2)


def test_archived_record_gone_from_the_kept_detail(client, record):
    client.get(record.get_absolute_url())
    record.state = "archived"
    record.save()
    assert client.get(record.get_absolute_url()).status_code == 404


def test_signed_in_user_never_served_a_kept_page(client, record, django_user_model):
    client.get("/inovasi/")
    client.force_login(django_user_model.objects.create_user(username="pembaca", password="x-Y-z-12345"))
    response = client.get("/inovasi/")
    assert ("pembaca" in response.content.decode(), response.context is not None) == (True, True)


def test_signed_in_user_never_fills_the_cache(client, record, django_user_model):
    reader = Client()
    reader.force_login(django_user_model.objects.create_user(username="pembaca", password="x-Y-z-12345"))
    reader.get("/inovasi/")
    response = client.get("/inovasi/")
    assert (response.context is not None, "pembaca" in response.content.decode()) == (True, False)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("/inovasi/?q=posyandu", "/inovasi/?q=sampah"),
        ("/inovasi/", "/en/inovasi/"),
        ("/inovasi/?page=1", "/inovasi/?page=2"),
    ],
)
def test_different_address_or_language_is_another_entry(client, record, first, second):
    client.get(first)
    assert client.get(second).context is not None


def test_parameters_in_another_order_are_the_same_entry(client, record, django_assert_num_queries):
    client.get("/inovasi/?year=2023&stage=penerapan")
    with django_assert_num_queries(0):
        client.get("/inovasi/?stage=penerapan&year=2023")


def test_api_languages_are_different_entries(client, record):
    client.get("/api/v1/innovations/?search=zzz", HTTP_ACCEPT_LANGUAGE="id")
    english = client.get("/api/v1/innovations/?search=zzz", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"


@pytest.mark.parametrize("url", ["/inovasi/", "/api/v1/innovations/"])
def test_post_never_answered_from_the_cache(client, record, url):
    client.get(url)
    assert client.post(url).status_code == 405


def test_kept_page_carries_the_same_policy_without_nonce(client, record):
    first, again = client.get("/inovasi/"), client.get("/inovasi/")
    policy = again["Content-Security-Policy"]
    assert (again.context, policy == first["Content-Security-Policy"], "nonce" in policy) == (None, True, False)


def test_kept_page_gives_each_visitor_a_working_csrf_token(record):
    Client().get("/inovasi/")  # fills the cache with another visitor's token
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/inovasi/")
    token = CSRF_FIELD.search(page.content.decode())[1]
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": "/inovasi/", "csrfmiddlewaretoken": token})
    assert (page.context, settings.CSRF_COOKIE_NAME in page.cookies, switched.status_code) == (None, True, 302)


def test_kept_page_not_modified_for_its_etag(client, record):
    client.get("/inovasi/")
    kept = client.get("/inovasi/")
    assert client.get("/inovasi/", HTTP_IF_NONE_MATCH=kept["ETag"]).status_code == 304


def test_kept_page_served_from_the_process_copy_without_the_cache(client, record):
    client.get("/inovasi/")
    cache.clear()
    again = client.get("/inovasi/")
    assert (again.context, "Posyandu Keliling Mamuju" in again.content.decode()) == (None, True)


def test_process_copies_bounded_in_bytes(client, record, settings):
    urls = [f"/inovasi/?q=kata{number}" for number in range(5)]
    settings.PAGE_COPY_BYTES = 0
    size = max(len(client.get(url).content) for url in urls)
    cache.clear()
    settings.PAGE_COPY_BYTES = 4 * size + size // 2  # room for four of them
    for url in [*urls[:4], urls[0], urls[4]]:  # the first served again: the second is the oldest
        client.get(url)
    cache.clear()
    # The second last: a page rendered again is copied, and would push out another.
    from_copies = [client.get(url).context is None for url in [urls[0], *urls[2:], urls[1]]]
    assert from_copies == [True, True, True, True, False]


def test_process_copy_rendered_again_after_its_seconds(client, record, monkeypatch):
    client.get("/inovasi/")
    cache.clear()
    later = freshness.monotonic() + freshness.COPY_SECONDS + 1
    monkeypatch.setattr(freshness, "monotonic", lambda: later)
    assert client.get("/inovasi/").context is not None
