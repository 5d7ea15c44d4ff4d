"""sitemap.xml's KIPP section: the results index and each edition's results page once something of
it is published, in both languages (registered with jipp.sitemaps)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .selectors import results_published_years

# (year, or None for the index; when its latest result was published)
Item = tuple[int | None, datetime | None]


class ResultsSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self) -> list[Item]:
        years = results_published_years()
        return [(None, max(years.values(), default=None)), *years.items()]

    def location(self, item: Item) -> str:
        year = item[0]
        if year is None:
            return reverse("competitions:results_index")
        return reverse("competitions:results", kwargs={"year": year})

    def lastmod(self, item: Item) -> datetime | None:
        return item[1]
