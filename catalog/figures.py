"""The figures the public pages show, each kept for the catalogue's version (freshness.cached): the
facet counts, the statistics, the headline figures and the newest records.

The pages read them from here, and so does the worker that computes them right after a publication
(catalog.tasks.warm_public_figures), so that the first visitor after it does not wait for them: one
place for what is kept and under which key.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from . import selectors
from .freshness import Version, cached, values_key

CHARTS = {
    "regency": (gettext_lazy("Innovations per region"), selectors.statistics_per_regency),
    "year": (gettext_lazy("Innovations per year of implementation"), selectors.statistics_per_year),
    "stage": (gettext_lazy("Innovations per stage"), selectors.statistics_per_stage),
    "sdg": (gettext_lazy("Innovations per SDG goal"), selectors.statistics_per_sdg),
    "awards": (gettext_lazy("Awards per year"), selectors.statistics_awards_per_year),
}


def facets_kept(*, values: dict[str, Any], version: Version) -> selectors.Facets:
    """The catalogue's facets and total for clean filter `values`, in the active language. The counts
    are kept once for every language (the labels are not), so the second language asks no count."""
    filters = values_key(values)

    def labelled() -> selectors.Facets:
        counts = cached(
            f"facet-counts|{filters}", lambda: selectors.catalog_facet_counts(values=values), version=version
        )
        return selectors.catalog_facets(values=values, counts=counts)

    return cached(f"facets|{translation.get_language()}|{filters}", labelled, version=version)


def _statistics(version: Version) -> dict[str, Any]:
    counts = cached("statistics-counts", selectors.statistics_counts, version=version)
    return {
        "charts": [{"key": key, "title": str(title), "chart": build(counts)} for key, (title, build) in CHARTS.items()],
        "matrix": selectors.statistics_replication_matrix(),
        "figures": headline_kept(version=version),
    }


def statistics_kept(*, version: Version) -> dict[str, Any]:
    """Every figure of the statistics page, in the active language (its counts and headline figures kept
    once for both languages)."""
    return cached(f"statistics|{translation.get_language()}", lambda: _statistics(version), version=version)


def headline_kept(*, version: Version) -> selectors.HeadlineFigures:
    return cached("headline", selectors.catalog_headline_figures, version=version)


def newest_kept(*, version: Version) -> list[Any]:
    return cached(f"newest|{translation.get_language()}", lambda: selectors.catalog_newest(limit=5), version=version)


def public_figures_compute(*, version: Version) -> None:
    """Compute and keep, in every language, what the home page, the catalogue without filters and the
    statistics page show for `version` (what is kept already is left)."""
    headline_kept(version=version)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            facets_kept(values={}, version=version)
            statistics_kept(version=version)
            newest_kept(version=version)
