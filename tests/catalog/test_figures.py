"""The figures kept per catalogue version (catalog/figures.py)."""

import pytest
from django.core.cache import cache
from django.utils import translation

from catalog import figures
from catalog.freshness import catalog_changed, catalog_version, forget_catalog_version
from tests.catalog.factories import InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    InnovationFactory()
    cache.clear()
    catalog_changed()
    forget_catalog_version()
    return catalog_version()


def _counting(monkeypatch, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(figures.selectors, name)
    monkeypatch.setattr(figures.selectors, name, lambda **kwargs: calls.append(1) or real(**kwargs))
    return calls


def test_facets_kept_counted_once_for_both_languages(monkeypatch, version):
    calls = _counting(monkeypatch, "catalog_facet_counts")
    labels = []
    for language in ("id", "en"):
        with translation.override(language):
            facets = figures.facets_kept(values={}, version=version)
            labels.append(facets.options["stage"][0].label)
    assert (len(calls), facets.total, labels) == (1, 1, ["Inisiatif", "Initiative"])


def test_statistics_kept_counted_once_for_both_languages(monkeypatch, version):
    calls = _counting(monkeypatch, "statistics_counts")
    for language in ("id", "en"):
        with translation.override(language):
            figures.statistics_kept(version=version)
    assert len(calls) == 1
