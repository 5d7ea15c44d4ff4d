"""Context of the catalogue's home page sections (registered in CatalogConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .figures import headline_kept, newest_kept
from .freshness import catalog_version


def intro_context(request: HttpRequest) -> dict[str, Any]:
    return {}


def figures_context(request: HttpRequest) -> dict[str, Any]:
    return {"figures": headline_kept(version=catalog_version(request))}


def newest_context(request: HttpRequest) -> dict[str, Any]:
    return {"newest": newest_kept(version=catalog_version(request))}
