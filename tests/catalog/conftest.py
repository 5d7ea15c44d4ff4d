import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    """The API's anonymous rate limit counts in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()
