"""The sections of sitemap.xml, contributed by the apps whose pages are public.

A lower app never imports a higher one: catalog (which serves sitemap.xml) registers its pages and
records here in its ready(), competitions its published KIPP results in its own.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

# Read by the sitemap view at each request, so sections registered in any app's ready() are in.
SITEMAPS: dict[str, type[Sitemap]] = {}


def register(name: str, sitemap: type[Sitemap]) -> None:
    SITEMAPS.setdefault(name, sitemap)
