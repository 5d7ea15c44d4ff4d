"""The open-data APIs' rate limit for anonymous clients."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import AnonRateThrottle

from .cache import cache_count


class AnonCountThrottle(AnonRateThrottle):
    """DRF's anonymous rate per address, counted in fixed windows of the rate's period: one atomic
    count a request (jipp.cache.cache_count). DRF's own throttle reads and rewrites each address's list
    of request times, two round trips and a list as long as the rate, and two requests at once can both
    take the last place. A client may spend one window's allowance at its end and the next one's at the
    start: the bound is twice the rate over any period, which is what a courtesy limit needs."""

    wait_seconds: float | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.wait_seconds = (window + 1) * self.duration - now
        return cache_count(f"{self.key}:{window}", timeout=self.duration) <= self.num_requests

    def wait(self) -> float | None:
        return self.wait_seconds
