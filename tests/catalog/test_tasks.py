"""The catalogue's Celery wrappers (catalog/tasks.py)."""

import pytest

from catalog import figures, tasks
from catalog.freshness import catalog_changed, catalog_version, forget_catalog_version
from tests.catalog.factories import InnovationFactory

pytestmark = pytest.mark.django_db


def test_warm_public_figures_keeps_the_statistics_twice_computed_once(monkeypatch):
    InnovationFactory()
    catalog_changed()
    forget_catalog_version()
    token = catalog_version().token
    computed = []
    statistics = figures._statistics
    monkeypatch.setattr(figures, "_statistics", lambda version: computed.append(1) or statistics(version))
    tasks.warm_public_figures.delay(token=token)
    tasks.warm_public_figures.delay(token=token)
    assert computed == [1, 1]  # one a language, the second run found them kept
