"""Whole anonymous pages kept per catalogue version (catalog.freshness.public_page and
cached_api_response): a repeated request reads the version and nothing else, a publication is seen
at once, signed-in users never see or fill a kept page, and a kept page's CSRF token still works."""

import re

import pytest
from django.conf import settings
from django.test import Client

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


@pytest.fixture
def record():
    return InnovationFactory(title="Posyandu Keliling Mamuju")


@pytest.mark.parametrize("url", PAGES)
def test_repeated_anonymous_request_reads_only_the_version(client, record, url, django_assert_num_queries):
    url = url.format(slug=record.slug)
    first = client.get(url)
    with django_assert_num_queries(1):
        again = client.get(url)
    assert (first.status_code, again.status_code, again["Content-Type"]) == (200, 200, first["Content-Type"])


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
    with django_assert_num_queries(1):
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
