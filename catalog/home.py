"""Context of the catalogue's home page sections (registered in CatalogConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import selectors


def intro_context(request: HttpRequest) -> dict[str, Any]:
    return {}


def figures_context(request: HttpRequest) -> dict[str, Any]:
    return {"figures": selectors.catalog_headline_figures()}


def newest_context(request: HttpRequest) -> dict[str, Any]:
    return {"newest": selectors.catalog_newest(limit=5)}
