"""Who the client is behind a proxy, and the limits on guessing passwords and sending e-mails."""

from __future__ import annotations

import hashlib
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the address
    the outermost of them saw (counted from the right of X-Forwarded-For, since a client can write
    anything to the left). The same rule as DRF's NUM_PROXIES, so sign-in and the API agree."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    addresses = [address.strip() for address in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))] or remote


class SignInLockoutHandler(AxesDatabaseHandler):
    """Axes locks a username at one address (AXES_LOCKOUT_PARAMETERS); this adds a looser limit on
    all failures from one address, so that trying one password on many accounts is paused too."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if self._address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            # An address over its limit counts as every username there having reached theirs.
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def _address_failures(self, request: Any) -> int:
        attempts = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def rate_limit_exceeded(scope: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one use of `key` in `scope` in Django's cache; True once more than `limit` uses fell in
    the window of `seconds` that began with the first. Shared by all processes when CACHE_URL
    points at Redis; per process with the default local-memory cache."""
    cache_key = f"rate:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # the window ended between add and incr
        cache.set(cache_key, 1, timeout=seconds)
        used = 1
    return used > limit
