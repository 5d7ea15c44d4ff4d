import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    """The API's anonymous rate limit counts in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/ leaves English active in the thread, and reverse() would then build /en/ URLs
    for the next test: start each test in the default language."""
    with translation.override("id"):
        yield
