"""When the public side last changed: ETag and Last-Modified of the public pages, keys of their caches.

Every write the public pages show (a record published, changed while public or archived; its
awards, evidence, replications, sustainability reports, SDGs and categories; an institution or a
region) replaces the token of the one CatalogVersion row (catalog.signals; records_published and
records_changed for writes in bulk, such as an import or the KIPP awards of a competition's
results). A page reads the row once per request (`catalog_version`), answers 304 to a client that
already holds this version (`public_page`) and keys what it caches on the token (`cached`), so
nothing cached outlives a publication: it is simply no longer asked for.

The token changes inside the writing transaction: a rolled-back write takes its token with it, and
a cache filled in between is keyed on a token nobody will read again. Entries also expire after
CACHE_SECONDS, in case a future bulk write forgets its signal.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from django.utils.http import http_date, quote_etag

from .models import CatalogVersion

VERSION_PK = 1
CACHE_SECONDS = 300
T = TypeVar("T")


@dataclass(frozen=True)
class Version:
    token: str | None  # None: no version row (a flushed test database): nothing is cached
    changed_at: datetime | None


def catalog_version(request: HttpRequest | None = None) -> Version:
    """The current version; read once per request when `request` is given."""
    if request is not None and hasattr(request, "_catalog_version"):
        return request._catalog_version  # type: ignore[no-any-return]
    row = CatalogVersion.objects.filter(pk=VERSION_PK).values_list("token", "changed_at").first()
    version = Version(*row) if row else Version(None, None)
    if request is not None:
        request._catalog_version = version  # type: ignore[attr-defined]
    return version


def catalog_changed() -> None:
    """Give the public side a new version (inside the caller's transaction)."""
    token, now = secrets.token_hex(16), timezone.now()
    if not CatalogVersion.objects.filter(pk=VERSION_PK).update(token=token, changed_at=now):
        CatalogVersion.objects.update_or_create(pk=VERSION_PK, defaults={"token": token, "changed_at": now})


def cached(key: str, compute: Callable[[], T], *, version: Version | None = None) -> T:
    """`compute()`, kept in the cache for the current version (and at most CACHE_SECONDS)."""
    version = version or catalog_version()
    if version.token is None:
        return compute()
    full_key = "catalog:" + hashlib.sha256(f"{version.token}|{key}".encode()).hexdigest()
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value


def _etag(request: HttpRequest, version: Version) -> str:
    parts = [
        version.token or "",
        request.get_full_path(),
        translation.get_language() or "",
        request.headers.get("Accept-Language", ""),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Boosted", ""),
    ]
    return quote_etag(hashlib.sha256("|".join(parts).encode()).hexdigest()[:32])


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Conditional GET for anonymous visitors: ETag and Last-Modified from the catalogue's version,
    304 when the client's copy is current. Signed-in users get the page as before (it names them and
    may carry messages)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        version = catalog_version(request)
        if version.token is None or version.changed_at is None:
            return view(request, *args, **kwargs)
        etag = _etag(request, version)
        last_modified = int(version.changed_at.timestamp())
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return not_modified
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("ETag"):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
        return response

    return wrapper


def values_key(values: dict[str, Any]) -> str:
    """A stable text of cleaned filter values (a region by its code), for cache keys."""
    parts = []
    for name in sorted(values):
        value = values[name]
        if value in (None, ""):
            continue
        parts.append(f"{name}={getattr(value, 'bps_code', value)!s}")
    return "&".join(parts)


class CachedCountPaginator(Paginator):
    """Django's paginator whose COUNT is kept for the catalogue's version: the same filtered list
    is counted once per publication, not on every page of it."""

    version: Version | None = None

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:
            return 0
        return cached(
            f"count|{sql}|{params!r}",
            lambda: Paginator.count.func(self),  # type: ignore[attr-defined]
            version=self.version,
        )
