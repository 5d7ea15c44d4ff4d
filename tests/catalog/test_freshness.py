"""Conditional GET and the caches of the public side: current until the next publication, not after."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog import selectors, sitemaps
from catalog.freshness import CachedCountPaginator, catalog_version
from tests.catalog.factories import AwardFactory, InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/inovasi/", "/statistik/", "/inovasi/feed/", "/sitemap.xml"])
def test_public_page_not_modified_for_the_current_etag(client, url):
    InnovationFactory()
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (first.status_code, again.status_code, again.content) == (200, 304, b"")


def test_public_page_etag_changes_when_a_record_is_published(client):
    InnovationFactory()
    before = client.get("/inovasi/")["ETag"]
    InnovationFactory(title="Posyandu Terbaru")
    response = client.get("/inovasi/", HTTP_IF_NONE_MATCH=before)
    assert (response.status_code, "Posyandu Terbaru" in response.content.decode()) == (200, True)


def test_detail_last_modified_answers_if_modified_since(client):
    record = InnovationFactory()
    response = client.get(record.get_absolute_url())
    again = client.get(record.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_public_page_without_etag_for_a_signed_in_user(client, django_user_model):
    InnovationFactory()
    client.force_login(django_user_model.objects.create_user(username="pembaca", password="x-Y-z-12345"))
    assert client.get("/inovasi/").has_header("ETag") is False


def test_statistics_figures_follow_a_publication(client):
    InnovationFactory()
    first = client.get(reverse("catalog:statistics")).context["figures"].innovations
    InnovationFactory()
    assert (first, client.get(reverse("catalog:statistics")).context["figures"].innovations) == (1, 2)


def test_catalogue_count_follows_an_archived_record(client):
    _kept, archived = InnovationFactory(), InnovationFactory()
    before = client.get("/inovasi/").context["page_obj"].paginator.count
    archived.state = "archived"
    archived.save()
    assert (before, client.get("/inovasi/").context["page_obj"].paginator.count) == (2, 1)


def test_catalog_version_changes_with_an_award():
    record = InnovationFactory()
    before = catalog_version().token
    record.awards.create(year=2024, competition="kipp", rank="top99")
    assert catalog_version().token != before


def test_sitemap_becomes_an_index_of_sections_within_the_limit(client, monkeypatch):
    for number in range(3):
        InnovationFactory(slug=f"peta-{number}")
    monkeypatch.setattr(sitemaps, "SITEMAP_MAX_URLS", 4)
    monkeypatch.setattr(sitemaps.InnovationSitemap, "limit", 4)
    index = client.get("/sitemap.xml").content.decode()
    second = client.get("/sitemap-innovations.xml?p=2").content.decode()
    assert (
        "<sitemapindex" in index,
        "/sitemap-innovations.xml?p=2</loc>" in index,
        second.count("<url>"),
        "/inovasi/peta-2/" in second,
    ) == (True, True, 2, True)


def test_sitemap_index_dates_the_records_by_the_catalogue_last_change(client, monkeypatch):
    from datetime import datetime

    from tests.catalog.xml_helpers import parse_xml

    for number in range(3):
        InnovationFactory(slug=f"peta-{number}")
    AwardFactory()  # a change the public side shows, after the records' own
    monkeypatch.setattr(sitemaps, "SITEMAP_MAX_URLS", 4)
    monkeypatch.setattr(sitemaps.InnovationSitemap, "limit", 4)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = parse_xml(client.get("/sitemap.xml").content)
    dates = {
        entry.findtext(f"{namespace}loc").rsplit("/", 1)[-1]: entry.findtext(f"{namespace}lastmod")
        for entry in index.iter(f"{namespace}sitemap")
    }
    changed_at = catalog_version().changed_at
    assert datetime.fromisoformat(dates["sitemap-innovations.xml"]) == changed_at


def test_ranked_page_read_by_ids_keeps_the_order_and_annotations():
    # Created in another order than rank and date give: B (both words in the title), C (one), then
    # D and A (both in the summary), D published later.
    days_ago = {"A": 3, "B": 2, "C": 1, "D": 0}
    for name, title, summary in [
        ("A", "Sekolah Lapang", "Kesehatan dan posyandu."),
        ("B", "Posyandu Kesehatan", "Ibu dan anak."),
        ("C", "Kesehatan Keliling", "Posyandu desa."),
        ("D", "Bank Sampah", "Posyandu dan kesehatan."),
        ("E", "Pertanian Lapang", "Padi."),
    ]:
        InnovationFactory(
            title=title,
            slug=f"uji-{name.lower()}",
            summary=summary,
            published_at=timezone.now() - timedelta(days=days_ago.get(name, 9)),
        )
    values = {"q": "kesehatan posyandu"}
    paginator = CachedCountPaginator(selectors.catalog_innovations(values=values), 2)
    pages = [[(row.slug, row.rank, row.replication_count) for row in paginator.page(number)] for number in (1, 2)]
    assert pages == [[("uji-b", 16, 0), ("uji-c", 12, 0)], [("uji-d", 8, 0), ("uji-a", 8, 0)]]


@pytest.mark.parametrize("in_process", [False, True])
def test_catalog_changed_asks_a_worker_for_the_figures_after_commit(
    monkeypatch, django_capture_on_commit_callbacks, in_process
):
    from catalog import freshness
    from jipp.celery import app

    sent = []
    monkeypatch.setattr(freshness, "enqueue", lambda task, **kwargs: sent.append((task.name, kwargs)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        freshness.catalog_changed()
    before_commit = list(sent)
    eager, app.conf.task_always_eager = app.conf.task_always_eager, in_process
    try:
        for callback in callbacks:
            callback()
    finally:
        app.conf.task_always_eager = eager
    token = catalog_version().token
    expected = [] if in_process else [("catalog.warm_public_figures", {"token": token})]
    assert (before_commit, sent) == ([], expected)
