"""Read-only open-data API (/api/v1/): published records, regions, institutions; JSON or CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import renderers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from innovations.models import Innovation

from . import selectors
from .filters import ApiFilterSet
from .serializers import (
    InnovationDetailSerializer,
    InnovationListSerializer,
    InstitutionSerializer,
    RegionSerializer,
)

# A CSV download is the whole filtered list, not one page; this bounds a single response.
CSV_MAX_ROWS = 10_000
# Cells a spreadsheet would run as a formula are prefixed with an apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "slug",
    "title",
    "summary",
    "stage",
    "kind",
    "form",
    "year",
    "region",
    "region_bps_code",
    "region_kemendagri_code",
    "institution",
    "institution_code",
    "sdgs",
    "awards",
    "replication_count",
    "url",
    "updated_at",
]


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _flatten(record: dict[str, Any]) -> dict[str, Any]:
    region = record.get("region") or {}
    institution = record.get("institution") or {}
    return {
        **{key: record.get(key) for key in CSV_COLUMNS},
        "region": region.get("name"),
        "region_bps_code": region.get("bps_code"),
        "region_kemendagri_code": region.get("kemendagri_code"),
        "institution": institution.get("name"),
        "institution_code": institution.get("code"),
        "sdgs": ";".join(str(number) for number in record.get("sdgs", [])),
        "awards": ";".join(
            f"{award['competition']} {award['year']} {award['rank']}" for award in record.get("awards", [])
        ),
    }


class InnovationCSVRenderer(renderers.BaseRenderer):
    """The innovation list as CSV; the columns are documented in docs/api.md."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        buffer = io.StringIO()
        if isinstance(data, dict) and "results" not in data:
            # An error (400, 404, 429): a one-column CSV carrying the message.
            writer = csv.writer(buffer)
            writer.writerow(["error"])
            for value in data.values():
                writer.writerow([_safe_cell(str(value))])
            return buffer.getvalue().encode("utf-8")
        rows = data["results"] if isinstance(data, dict) else data
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for record in rows:
            writer.writerow({key: _safe_cell(value) for key, value in _flatten(record).items()})
        return buffer.getvalue().encode("utf-8")


class CatalogPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class PublicReadOnly:
    # Open data needs no sign-in: no credentials are read, so a wrong password sent to the API can
    # neither count towards the sign-in lockout nor lift the anonymous rate limit.
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    pagination_class = CatalogPagination


@extend_schema_view(
    list=extend_schema(
        summary="Published innovations",
        parameters=[OpenApiParameter("format", str, enum=["json", "csv"], description="Response format.")],
    ),
    retrieve=extend_schema(summary="One published innovation with its evidence and lineage"),
)
class InnovationViewSet(PublicReadOnly, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiFilterSet
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, InnovationCSVRenderer]

    def get_queryset(self) -> QuerySet[Innovation]:
        if self.action == "retrieve":
            return selectors.catalog_detail_queryset().prefetch_related(
                "sdgs", "awards", "categories", "evidence", "sustainability_updates"
            )
        # ApiFilterSet always runs (even without parameters) and adds the annotations and order.
        return selectors.innovations_published()

    def _wants_csv(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "csv"

    def get_serializer_class(self) -> type:
        return InnovationDetailSerializer if self.action == "retrieve" else InnovationListSerializer

    def paginate_queryset(self, queryset: Any) -> Any:
        if self._wants_csv():
            return None
        return super().paginate_queryset(queryset)

    def filter_queryset(self, queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and self._wants_csv():
            return queryset[:CSV_MAX_ROWS]
        return queryset

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._wants_csv() and response.status_code == 200:
            response["Content-Disposition"] = 'attachment; filename="inovasi.csv"'
        return response


@extend_schema_view(list=extend_schema(summary="Regions (province and regencies) with both code systems"))
class RegionViewSet(PublicReadOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    lookup_field = "bps_code"
    queryset = selectors.regions_public()


@extend_schema_view(list=extend_schema(summary="Institutions with their number of published innovations"))
class InstitutionViewSet(PublicReadOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = InstitutionSerializer
    lookup_field = "code"
    queryset = selectors.institutions_public()
