"""The catalogue's writes: the public figures computed ahead of the first visitor (catalog/services.py)."""

import pytest
from django.core.cache import cache

from catalog import figures, services
from catalog.freshness import catalog_changed, catalog_version, forget_catalog_version
from catalog.services import public_figures_warm
from tests.catalog.factories import AwardFactory, InnovationFactory, ReplicationFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/inovasi/", "/statistik/", "/en/", "/en/inovasi/", "/en/statistik/"]


def _not_computed(*args, **kwargs):
    raise AssertionError("computed while serving the page")


def _statuses(client) -> list[int]:
    return [client.get(path).status_code for path in PAGES]


def _new_version() -> str:
    cache.clear()
    catalog_changed()
    forget_catalog_version()
    return catalog_version().token


def test_public_figures_warm_keeps_every_figure_the_pages_show(client, monkeypatch):
    ReplicationFactory(origin=AwardFactory().innovation)
    InnovationFactory()
    warmed = public_figures_warm(token=_new_version())
    for name in ("catalog_facets", "catalog_headline_figures", "catalog_newest"):
        monkeypatch.setattr(figures.selectors, name, _not_computed)
    monkeypatch.setattr(figures, "_statistics", _not_computed)
    assert (warmed, _statuses(client)) == (True, [200] * len(PAGES))


def test_public_figures_warm_skips_a_replaced_version(monkeypatch):
    InnovationFactory()
    computed = []
    monkeypatch.setattr(services, "public_figures_compute", lambda *, version: computed.append(version.token))
    replaced = _new_version()
    current = _new_version()
    assert (public_figures_warm(token=replaced), public_figures_warm(token=current), computed) == (
        False,
        True,
        [current],
    )
