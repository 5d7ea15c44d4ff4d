"""The catalogue's filters: validation of the query string for the page and the API.

The filtering itself lives in catalog.selectors (so facets can reuse it); this FilterSet only turns
GET parameters into clean values, or into clear messages when they are wrong.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from innovations.models import SDG, Category, Form, Innovation, Kind, Stage, SustainabilityStatus
from jipp.models import Region
from jipp.selectors import region_by_code
from jipp.text import clean_text

from .selectors import SEARCH_MAX_LENGTH, catalog_refine

AWARD_LABELS = [
    ("any", _("Any award")),
    ("top99", _("KIPP Top 99")),
    ("top45", _("KIPP Top 45")),
    ("outstanding", _("KIPP Outstanding Achievement")),
]
REPLICATED_LABELS = [("yes", _("Replicated")), ("no", _("Not replicated yet"))]
SORT_LABELS = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest")),
    ("replicated", _("Most replicated")),
    ("title", _("Title")),
]


class RegionField(forms.CharField):
    """A region given by its BPS code (7601) or its Kemendagri code (76.05)."""

    @staticmethod
    def codes() -> list[str]:
        """Every code `clean` accepts: both codes of every region (the API schema lists them)."""
        pairs = Region.objects.values_list("bps_code", "kemendagri_code")
        return sorted({code for pair in pairs for code in pair})

    def clean(self, value: Any) -> Region | None:
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        region = region_by_code(code=code[:13])
        if region is None:
            raise forms.ValidationError(
                _("No region has the code “%(code)s”. Use a BPS code such as 7601 or a Kemendagri code such as 76.05."),
                params={"code": code[:20]},
            )
        return region


class RegionFilter(django_filters.Filter):
    field_class = RegionField


class SearchField(forms.CharField):
    """Search words. The length limit counts what was sent; control characters (a NUL, Word's
    breaks) are then dropped rather than refused, as everywhere text comes in (jipp.text)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strip=False, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean(self, value: Any) -> str:
        return clean_text(super().clean(value)).strip()


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ReplicatedField(forms.ChoiceField):
    def clean(self, value: Any) -> bool | None:
        cleaned = super().clean(value)
        return None if cleaned in ("", None) else cleaned == "yes"


class ReplicatedFilter(django_filters.ChoiceFilter):
    field_class = ReplicatedField


@extend_schema_field(OpenApiTypes.STR)
class CategoryFilter(django_filters.ChoiceFilter):
    """A category slug (choices are data, so the schema cannot list them)."""


@extend_schema_field(OpenApiTypes.INT)
class SDGFilter(django_filters.ChoiceFilter):
    """An SDG goal number, 1 to 17."""


def _category_choices() -> list[tuple[str, str]]:
    return [(category.slug, str(category)) for category in Category.objects.all()]


def _sdg_choices() -> list[tuple[str, str]]:
    return [(str(sdg.number), str(sdg)) for sdg in SDG.objects.all()]


class CatalogFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": _("Please search with at most %(limit_value)d characters.")},
    )
    region = RegionFilter(label=_("Region"), help_text=_("BPS code (7601) or Kemendagri code (76.05)."))
    year = YearFilter(
        label=_("Year of implementation"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("The year must be a number such as 2023.")},
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    form = django_filters.ChoiceFilter(label=_("Form"), choices=Form.choices)
    category = CategoryFilter(label=_("Category"), choices=_category_choices)
    sdg = SDGFilter(label=_("SDG goal"), choices=_sdg_choices)
    award = django_filters.ChoiceFilter(label=_("Award"), choices=AWARD_LABELS)
    replicated = ReplicatedFilter(label=_("Replicated"), choices=REPLICATED_LABELS)
    sustainability = django_filters.ChoiceFilter(label=_("Sustainability"), choices=SustainabilityStatus.choices)
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORT_LABELS, empty_label=None)

    class Meta:
        model = Innovation
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        # Without a search every record is equally relevant and the list is newest first: say so.
        if "sort" in self.form.fields and not (data or {}).get("q"):
            self.form.fields["sort"].choices = [
                ("relevance", _("Best match when searching, otherwise newest")),
                *SORT_LABELS[1:],
            ]

    def filter_queryset(self, queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
        return catalog_refine(queryset, values=self.values())

    def values(self) -> dict[str, Any]:
        """The clean values, keyed by the names the selectors use."""
        return dict(self.form.cleaned_data)


class ApiFilterSet(CatalogFilterSet):
    """The API's names: `search` and `ordering`, as DRF clients expect."""

    search = SearchFilter(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": _("Please search with at most %(limit_value)d characters.")},
    )
    ordering = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORT_LABELS)
    q = None  # type: ignore[assignment]
    sort = None  # type: ignore[assignment]

    def values(self) -> dict[str, Any]:
        values = dict(self.form.cleaned_data)
        values["q"] = values.pop("search", "")
        values["sort"] = values.pop("ordering", "")
        return values
