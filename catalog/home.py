"""Context of the catalogue's home page sections (registered in CatalogConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation

from . import selectors
from .freshness import cached, catalog_version


def intro_context(request: HttpRequest) -> dict[str, Any]:
    return {}


def figures_context(request: HttpRequest) -> dict[str, Any]:
    version = catalog_version(request)
    return {"figures": cached("headline", selectors.catalog_headline_figures, version=version)}


def newest_context(request: HttpRequest) -> dict[str, Any]:
    version = catalog_version(request)
    language = translation.get_language()
    return {"newest": cached(f"newest|{language}", lambda: selectors.catalog_newest(limit=5), version=version)}
