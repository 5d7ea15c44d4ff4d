import pytest

from tests.competitions.factories import open_edition, published_record


@pytest.fixture
def edition(db):
    return open_edition()


@pytest.fixture
def record(operator):
    return published_record(operator.institution, title="Layanan Kesehatan Keliling", slug="layanan-keliling")


@pytest.fixture
def english():
    """Messages read in English: the Indonesian of new strings is merged later (locale/id/sources)."""
    from django.utils import translation

    with translation.override("en"):
        yield
