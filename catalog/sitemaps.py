"""sitemap.xml's sections of the main public pages and every published record, in both languages
(registered with jipp.sitemaps in CatalogConfig.ready)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from innovations.models import Innovation

from . import selectors


class InnovationSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self) -> list[Innovation]:
        return list(selectors.innovations_published().order_by("pk").only("slug", "updated_at"))

    def lastmod(self, item: Innovation) -> datetime:
        return item.updated_at


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["home", "catalog:list", "catalog:statistics"]

    def location(self, item: str) -> str:
        return reverse(item)
