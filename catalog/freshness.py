"""When the public side last changed: ETag and Last-Modified of the public pages, keys of their caches.

Every write the public pages show (a record published, changed while public or archived; its
awards, evidence, replications, sustainability reports, SDGs and categories; an institution or a
region) replaces the token of the one CatalogVersion row (catalog.signals; records_published and
records_changed for writes in bulk, such as an import or the KIPP awards of a competition's
results). A page reads the row at most once per request (`catalog_version`), answers 304 to a client
that already holds this version (`public_page`) and keys what it caches on the token (`cached`), so
nothing cached outlives a publication: it is simply no longer asked for.

Each process keeps the version it read for CATALOG_VERSION_MEMO_SECONDS (1 s by default; 0 turns the
memo off), so that a page served from the cache asks the database nothing. `catalog_changed` drops
the memo of its own process at once and again when its transaction commits: the writer's process
never serves a page older than its own write. Other processes (the other web workers, a Celery
worker's import) are seen by each web process within those seconds: a publication shows on every
page at most CATALOG_VERSION_MEMO_SECONDS after its commit. A token this process wrote and has not
seen committed is never kept, since its transaction may still roll back.

The token changes inside the writing transaction: a rolled-back write takes its token with it, and
a cache filled in between is keyed on a token nobody will read again. Entries also expire after
CACHE_SECONDS, in case a future bulk write forgets its signal.

An anonymous visitor's whole page is kept too (`public_page`, and `cached_api_response` for the
API's JSON), keyed on the token, the address (parameters sorted) and the language: a repeated request
reads the kept page and nothing else. The page's CSRF tokens (the base template's language switch and
htmx header) are stored as a placeholder and replaced by a fresh token for each visitor, who then
gets the CSRF cookie as from a rendered page; the Content-Security-Policy carries no nonce (nothing
inline, jipp/settings.py), so a kept page needs no other substitution. Pages with messages, cookies
set by the view or other than 200 are never kept.

Each process also holds copies of the kept pages it served lately (PAGE_COPY_BYTES, 4 MB by default,
for at most COPY_SECONDS each), under the same keys: a popular page is then not read from Redis and
unpickled for every request, and a copy is never older than its version, whose token is in its key.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial, wraps
from time import monotonic
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import _unmask_cipher_token, get_token  # type: ignore[attr-defined]
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from django.utils.http import http_date, quote_etag

from jipp.broker import enqueue

from .models import CatalogVersion

VERSION_PK = 1
CACHE_SECONDS = 300
# A page larger than this (a sitemap section of 5,000 addresses is about 1 MB) is rendered each time.
PAGE_MAX_BYTES = 2_000_000
# Stands for the visitor's CSRF token in a kept page; not 64 letters and digits, so never a token.
CSRF_PLACEHOLDER = b"{{csrf-token}}"
MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
T = TypeVar("T")
Action = TypeVar("Action", bound=Callable[..., Any])


@dataclass(frozen=True)
class Version:
    token: str | None  # None: no version row (a flushed test database): nothing is cached
    changed_at: datetime | None


class _Memo:
    """The version this process read last and until when (monotonic) it may be used without asking."""

    lock = threading.Lock()
    entry: tuple[Version, float] | None = None  # replaced whole, so a reader never sees half of it
    # Counts the forgettings: a read that a write's commit overtook (another thread of this process)
    # is not kept, or it would outlive the commit.
    generation = 0
    # Tokens written here whose transaction has not been seen to commit (in order, the oldest first;
    # a rolled-back one stays until pushed out, harmlessly: the database no longer holds it).
    uncommitted: dict[str, None] = {}
    UNCOMMITTED_MAX = 64


def forget_catalog_version() -> None:
    """The next `catalog_version` of this process reads the database."""
    with _Memo.lock:
        _Memo.generation += 1
        _Memo.entry = None


def catalog_version(request: HttpRequest | None = None) -> Version:
    """The current version: read once per request when `request` is given, and by this process at
    most once every CATALOG_VERSION_MEMO_SECONDS."""
    if request is not None and hasattr(request, "_catalog_version"):
        return request._catalog_version  # type: ignore[no-any-return]
    entry, now = _Memo.entry, monotonic()
    if entry is not None and now < entry[1]:
        version = entry[0]
    else:
        generation = _Memo.generation
        row = CatalogVersion.objects.filter(pk=VERSION_PK).values_list("token", "changed_at").first()
        version = Version(*row) if row else Version(None, None)
        seconds = settings.CATALOG_VERSION_MEMO_SECONDS
        if seconds > 0:
            with _Memo.lock:
                if generation == _Memo.generation and version.token not in _Memo.uncommitted:
                    _Memo.entry = (version, now + seconds)
    if request is not None:
        request._catalog_version = version  # type: ignore[attr-defined]
    return version


def catalog_changed() -> None:
    """Give the public side a new version (inside the caller's transaction)."""
    token, now = secrets.token_hex(16), timezone.now()
    with _Memo.lock:
        _Memo.uncommitted[token] = None
        while len(_Memo.uncommitted) > _Memo.UNCOMMITTED_MAX:
            del _Memo.uncommitted[next(iter(_Memo.uncommitted))]
    forget_catalog_version()
    if not CatalogVersion.objects.filter(pk=VERSION_PK).update(token=token, changed_at=now):
        CatalogVersion.objects.update_or_create(pk=VERSION_PK, defaults={"token": token, "changed_at": now})
    transaction.on_commit(partial(_committed, token))


def _committed(token: str) -> None:
    """The transaction that wrote `token` committed: it may be kept, and is read again; a worker
    computes the figures of the home, catalogue and statistics pages for it before a visitor asks."""
    with _Memo.lock:
        _Memo.uncommitted.pop(token, None)
    forget_catalog_version()
    from jipp.celery import app

    # Tasks run in-process on the embedded default: the publishing request would wait for figures that a
    # catalogue of that size gives its first visitor in milliseconds.
    if not app.conf.task_always_eager:
        from .tasks import warm_public_figures

        enqueue(warm_public_figures, token=token)


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


def page_key(request: HttpRequest, version: Version, *variants: str) -> str:
    """The cache key of an anonymous page: the version, the address with its parameters sorted (so
    ?a=1&b=2 and ?b=2&a=1 are one entry), the active language and `variants`."""
    query = urlencode(sorted((name, value) for name, values in request.GET.lists() for value in values))
    parts = [
        version.token or "",
        request.build_absolute_uri(request.path),
        query,
        translation.get_language() or "",
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Boosted", ""),
        *variants,
    ]
    return "page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def _has_messages(request: HttpRequest) -> bool:
    # Messages are meant for one visitor: a page showing them is neither served from nor kept in the cache.
    return bool(len(messages.get_messages(request)))


KeptPage = tuple[bytes, list[tuple[str, str]], bool]  # content, headers, whether it holds CSRF_PLACEHOLDER


class _Copies:
    """Kept pages this process served or rendered lately, by their key, least recently served first.
    Reading a page from Redis and unpickling it was half of a kept page's time; the key holds the
    version token, so a copy is as current as the cache's entry. Bounded by PAGE_COPY_BYTES (the
    pages' bytes) and by COPY_SECONDS, as the cache's entries are by CACHE_SECONDS."""

    lock = threading.Lock()
    pages: OrderedDict[str, tuple[float, KeptPage]] = OrderedDict()  # key -> (until, page)
    size = 0


COPY_SECONDS = 60


def forget_page_copies() -> None:
    with _Copies.lock:
        _Copies.pages.clear()
        _Copies.size = 0


def _copied_page(key: str) -> KeptPage | None:
    with _Copies.lock:
        found = _Copies.pages.get(key)
        if found is None:
            return None
        if found[0] <= monotonic():
            del _Copies.pages[key]
            _Copies.size -= len(found[1][0])
            return None
        _Copies.pages.move_to_end(key)
        return found[1]


def _copy_page(key: str, page: KeptPage) -> None:
    limit = settings.PAGE_COPY_BYTES
    # A page of more than a quarter of the room (a sitemap section) would push out the popular ones.
    if len(page[0]) > limit // 4:
        return
    with _Copies.lock:
        replaced = _Copies.pages.pop(key, None)
        if replaced is not None:
            _Copies.size -= len(replaced[1][0])
        _Copies.pages[key] = (monotonic() + COPY_SECONDS, page)
        _Copies.size += len(page[0])
        while _Copies.size > limit:
            _key, (_until, oldest) = _Copies.pages.popitem(last=False)
            _Copies.size -= len(oldest[0])


def cached_page(request: HttpRequest, key: str) -> HttpResponse | None:
    """The kept page for `key`, with a fresh CSRF token for this visitor, or None."""
    if _has_messages(request):
        return None
    entry = _copied_page(key)
    if entry is None:
        entry = cache.get(key)
        if entry is None:
            return None
        _copy_page(key, entry)
    content, headers, uses_csrf = entry
    if uses_csrf:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def keep_page(request: HttpRequest, key: str, response: HttpResponseBase) -> None:
    """Keep a rendered anonymous page for `key`, unless it is not the same for every visitor."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Set-Cookie")
        or _has_messages(request)
    ):
        return
    content = response.content  # type: ignore[attr-defined]
    if len(content) > PAGE_MAX_BYTES:
        return
    uses_csrf = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) and "CSRF_COOKIE" in request.META
    if uses_csrf:
        secret = request.META["CSRF_COOKIE"]
        content = MASKED_TOKEN.sub(
            lambda found: CSRF_PLACEHOLDER if _unmask_cipher_token(found[0].decode()) == secret else found[0],
            content,
        )
    headers = [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]
    page = (content, headers, uses_csrf)
    cache.set(key, page, CACHE_SECONDS)
    _copy_page(key, page)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For anonymous visitors: conditional GET (ETag and Last-Modified from the catalogue's version,
    304 when the client's copy is current), then the whole page from the cache for this version
    (`page_key`). Signed-in users get the page as before (it names them, may carry messages and
    staff links) and never fill the cache."""

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
        key = page_key(request, version)
        response = cached_page(request, key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # a sitemap's TemplateResponse: kept as the bytes it renders to
            keep_page(request, key, response)
        if response.status_code == 200 and not response.has_header("ETag"):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
        return response

    return wrapper  # type: ignore[return-value]


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

    def __init__(self, object_list: Any, per_page: int, *, known_count: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
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

    def page(self, number: Any) -> Page:
        page = super().page(number)
        results = self.object_list
        if not isinstance(results, QuerySet) or tuple(results.query.order_by[:1]) != ("-rank",):
            return page
        # Ordered by a search's rank: the page's ids are read with the rank alone, then its rows by
        # id. In one query every match (most of the records, for a common word) carried its joins,
        # its replication count and its wide row through the sort: a third of the time at 100,000.
        ids = list(cast(QuerySet, page.object_list).values_list("pk", flat=True))
        rows = {row.pk: row for row in results.filter(pk__in=ids).order_by()}
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return page


def cached_api_response(action: Action) -> Action:
    """A DRF action's JSON answer kept like an anonymous page (`page_key`, with the negotiated media
    type). Applied to the action, so that the rate limit and content negotiation (DRF's `initial`)
    still run for every request; downloads and the browsable API are rendered each time."""

    @wraps(action)
    def wrapper(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        plain = request._request
        if request.accepted_renderer.format != "json" or request.user.is_authenticated:
            return action(self, request, *args, **kwargs)
        version = catalog_version(plain)
        if version.token is None:
            return action(self, request, *args, **kwargs)
        key = page_key(plain, version, "api", request.accepted_media_type)
        response = cached_page(plain, key)
        if response is not None:
            return response
        response = action(self, request, *args, **kwargs)
        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(lambda rendered: keep_page(plain, key, rendered))
        return response

    return wrapper  # type: ignore[return-value]
