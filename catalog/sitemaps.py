"""sitemap.xml's sections of the main public pages and every published record, in both languages
(registered with jipp.sitemaps in CatalogConfig.ready)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from innovations.models import Innovation

from . import selectors
from .freshness import cached, catalog_version

# The protocol's limit of addresses in one sitemap file.
SITEMAP_MAX_URLS = 50_000
SITEMAP_FILE_URLS = 5_000


class _LanguagePairs(Sequence):
    """(record, language) for every record of `records` and every language, in that order, read
    from the database one slice at a time (for Django's paginator)."""

    def __init__(self, records: QuerySet[Innovation], languages: list[str]) -> None:
        self.records, self.languages = records, languages

    def count(self) -> int:  # type: ignore[override]
        return self.records.count() * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        per = len(self.languages)
        first, last = start // per, (stop + per - 1) // per if stop is not None else None
        pairs = [(record, language) for record in self.records[first:last] for language in self.languages]
        return pairs[start - first * per : (stop - first * per) if stop is not None else None]


class InnovationSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"
    # Django pages (record, language) pairs: 5,000 addresses a file, a tenth of the protocol's limit,
    # since rendering 50,000 takes Django 25 s. Past one page, sitemap.xml is an index of the pages
    # of each section (see sitemap_root).
    limit = SITEMAP_FILE_URLS

    def _items(self) -> _LanguagePairs:  # type: ignore[override]
        # Django builds the list of every (record, language) pair to page it: 100,000 records read
        # for one page of the index. The same pairs, read one page at a time.
        return _LanguagePairs(self.items(), self._languages())

    def items(self) -> QuerySet[Innovation]:
        # A queryset, not a list: the paginator reads one page of it with LIMIT/OFFSET.
        return selectors.innovations_published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item: Innovation) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        # The time of the catalogue's last change the public side shows (every publication, change or
        # archive gives a new version): the records' latest updated_at without reading them, which
        # was a sequential scan of the public set, 70 ms at 100,000 records.
        version = catalog_version()
        if version.changed_at is not None:
            return version.changed_at
        return selectors.innovations_published().aggregate(latest=Max("updated_at"))["latest"]


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["home", "catalog:list", "catalog:statistics"]

    def location(self, item: str) -> str:
        return reverse(item)


def sitemap_root(request: HttpRequest, sitemaps: dict[str, type[Sitemap]]) -> HttpResponse:
    """sitemap.xml: every address in one file while they fit in one (each section on one page and
    at most 50,000 in all), else an index of the sections' pages (sitemap-<section>.xml?p=N), each
    within the limit. The number of addresses is counted once per version of the catalogue."""

    def fits() -> bool:
        total = 0
        for section in sitemaps.values():
            site = section() if isinstance(section, type) else section
            paginator = site.paginator
            if paginator.num_pages > 1:
                return False
            total += paginator.count * (len(site._languages()) if site.i18n else 1)
        return total <= SITEMAP_MAX_URLS

    if "p" not in request.GET and not cached("sitemap-fits", fits):
        return sitemap_views.index(request, sitemaps, sitemap_url_name="sitemap_section")
    return sitemap_views.sitemap(request, sitemaps)
