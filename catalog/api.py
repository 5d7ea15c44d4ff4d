"""Read-only open-data API (/api/v1/): published records, regions, institutions; JSON, CSV or XLSX."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import renderers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from innovations.models import Innovation

from . import downloads, selectors
from .filters import ApiFilterSet
from .serializers import (
    InnovationDetailSerializer,
    InnovationListSerializer,
    InstitutionSerializer,
    RegionSerializer,
)

# A CSV or XLSX download is the whole filtered list, not one page; this bounds a single response.
CSV_MAX_ROWS = 10_000
DOWNLOAD_FORMATS = {"csv", "xlsx"}

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


def _table(data: Any) -> list[list[Any]]:
    """The innovation list as a header row and one row per record; an error (400, 404, 429) as a
    one-column table carrying the message."""
    if isinstance(data, dict) and "results" not in data:
        return [["error"], *([str(value)] for value in data.values())]
    records = data["results"] if isinstance(data, dict) else data
    flat = (_flatten(record) for record in records)
    return [CSV_COLUMNS, *([row[key] for key in CSV_COLUMNS] for row in flat)]


class InnovationCSVRenderer(renderers.BaseRenderer):
    """The innovation list as CSV (UTF-8 with BOM; `separator=semicolon` for Excel set to
    Indonesian); the columns are documented in docs/api.md."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        request = (renderer_context or {}).get("request")
        delimiter = downloads.csv_separator(request.query_params) if request is not None else ","
        return downloads.csv_text(_table(data), delimiter=delimiter).encode("utf-8")


class InnovationXLSXRenderer(renderers.BaseRenderer):
    """The innovation list as an Excel workbook with the CSV's columns."""

    media_type = downloads.XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return downloads.xlsx_bytes(_table(data), title="inovasi")


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
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["json", "csv", "xlsx"],
                description="Response format; CSV and XLSX hold the whole filtered list.",
            ),
            OpenApiParameter(
                "separator",
                str,
                enum=list(downloads.SEPARATORS),
                description="CSV only: `semicolon` for Excel set to Indonesian (a locale with a decimal comma).",
            ),
        ],
    ),
    retrieve=extend_schema(summary="One published innovation with its evidence and lineage"),
)
class InnovationViewSet(PublicReadOnly, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiFilterSet
    renderer_classes = [
        renderers.JSONRenderer,
        renderers.BrowsableAPIRenderer,
        InnovationCSVRenderer,
        InnovationXLSXRenderer,
    ]

    def get_queryset(self) -> QuerySet[Innovation]:
        if self.action == "retrieve":
            return selectors.catalog_detail_queryset().prefetch_related(
                "sdgs", "awards", "categories", "evidence", "sustainability_updates"
            )
        # ApiFilterSet always runs (even without parameters) and adds the annotations and order.
        return selectors.innovations_published()

    def _download_format(self) -> str | None:
        """`csv` or `xlsx` when the whole list is downloaded as a file, else None."""
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer.format if renderer is not None and renderer.format in DOWNLOAD_FORMATS else None

    def get_serializer_class(self) -> type:
        return InnovationDetailSerializer if self.action == "retrieve" else InnovationListSerializer

    def paginate_queryset(self, queryset: Any) -> Any:
        if self._download_format():
            return None
        return super().paginate_queryset(queryset)

    def filter_queryset(self, queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and self._download_format():
            return queryset[:CSV_MAX_ROWS]
        return queryset

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        download = self._download_format()
        if download and response.status_code == 200:
            response["Content-Disposition"] = f'attachment; filename="inovasi.{download}"'
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
