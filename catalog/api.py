"""Read-only open-data API (/api/v1/): published records, regions, institutions; JSON, CSV or XLSX."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.utils.translation.trans_real import parse_accept_lang_header
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, renderers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from innovations.models import Award, Innovation
from innovations.selectors import with_replication_count
from jipp import downloads, openapi
from jipp.throttling import AnonCountThrottle

from . import selectors
from .filters import ApiFilterSet
from .freshness import CachedCountPaginator, cached_api_response, catalog_version
from .openapi import ApiFilterParameters  # noqa: F401 (registers the list's parameters with drf-spectacular)
from .serializers import (
    InnovationDetailSerializer,
    InnovationListSerializer,
    InstitutionSerializer,
    RegionSerializer,
)

# A CSV or XLSX download is the whole filtered list, not one page; this bounds a single response.
CSV_MAX_ROWS = 10_000
# Records read and written at a time while a CSV is streamed.
CSV_STREAM_BATCH = 500
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


# The CSV's columns read as values: those of the record and its region and institution.
CSV_VALUES = {
    "slug": "slug",
    "title": "title",
    "summary": "summary",
    "stage": "stage",
    "kind": "kind",
    "form": "form",
    "year": "implementation_date",  # its year (Innovation.implementation_year)
    "region": "region__name",
    "region_bps_code": "region__bps_code",
    "region_kemendagri_code": "region__kemendagri_code",
    "institution": "institution__name",
    "institution_code": "institution__code",
    "replication_count": "replication_count",
    "updated_at": "updated_at",
}


def _csv_rows(ids: list[int], request: Request) -> list[list[Any]]:
    """The CSV rows of the published records `ids`, in that order, as `_flatten` makes them from the
    list serializer's data, but read as values: three queries and no object per record (building
    and serialising the records was four fifths of a 10,000-record export). The serializer's own
    fields write the record's values (choices, the date in the active time zone) as the JSON has them;
    tests/catalog/test_downloads.py compares the two ways."""
    fields = InnovationListSerializer().fields
    written = {
        column: fields[column].to_representation
        for column in ("slug", "title", "summary", "stage", "kind", "form", "year", "replication_count", "updated_at")
    }
    found = with_replication_count(selectors.innovations_published().filter(pk__in=ids))
    records = {row[0]: row[1:] for row in found.order_by().values_list("pk", *CSV_VALUES.values())}
    sdgs: defaultdict[int, list[str]] = defaultdict(list)
    for record, number in (
        Innovation.sdgs.through.objects.filter(innovation_id__in=ids)
        .order_by("sdg__number")
        .values_list("innovation_id", "sdg__number")
    ):
        sdgs[record].append(str(number))
    awards: defaultdict[int, list[str]] = defaultdict(list)
    for record, competition, year, rank in (
        Award.objects.filter(innovation_id__in=ids)
        .order_by("-year", "competition", "pk")  # as the serializer reads them (Award's order)
        .values_list("innovation_id", "competition", "year", "rank")
    ):
        awards[record].append(f"{competition} {year} {rank}")
    rows = []
    for pk in ids:
        if pk not in records:
            continue
        row = dict(zip(CSV_VALUES, records[pk], strict=True))
        row["year"] = row["year"].year if row["year"] else None
        for column, write in written.items():
            if row[column] is not None:
                row[column] = write(row[column])
        row["sdgs"] = ";".join(sdgs[pk])
        row["awards"] = ";".join(awards[pk])
        row["url"] = request.build_absolute_uri(reverse("catalog:detail", kwargs={"slug": row["slug"]}))
        rows.append([row[column] for column in CSV_COLUMNS])
    return rows


def _error_lines(data: dict[str, Any]) -> list[str]:
    """An error as lines of text: the message ({"detail": ...}) or "parameter: message" for each
    message about a wrong parameter."""
    if set(data) == {"detail"}:
        return [str(data["detail"])]
    return [
        f"{name}: {message}"
        for name, messages in data.items()
        for message in (messages if isinstance(messages, list) else [messages])
    ]


def _table(data: Any) -> list[list[Any]]:
    """The innovation list as a header row and one row per record; an error (400, 429) as a
    one-column table carrying the messages."""
    if isinstance(data, dict) and "results" not in data:
        return [["error"], *([line] for line in _error_lines(data))]
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
    """Pages of 20 records, `page_size` up to 100. A page or page size that is not a whole number in
    range is a 400 naming the parameter (DRF would quietly use the default); a page past the end a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = _("There is no page {page_number} in this list.")

    def check_parameters(self, request: Request) -> None:
        errors: dict[str, list[str]] = {}
        if not self._whole_number(request, self.page_query_param, maximum=None):
            errors[self.page_query_param] = [str(_("The page must be a whole number, 1 or more."))]
        if not self._whole_number(request, self.page_size_query_param, maximum=self.max_page_size):
            errors[self.page_size_query_param] = [
                _("The page size must be a whole number from 1 to %(maximum)d.") % {"maximum": self.max_page_size}
            ]
        if errors:
            raise exceptions.ValidationError(errors)

    @staticmethod
    def _whole_number(request: Request, name: str, *, maximum: int | None) -> bool:
        """Whether the parameter is absent, empty or a whole number from 1 to `maximum`."""
        value = request.query_params.get(name, "")
        if value == "":
            return True
        if not (value.isascii() and value.isdigit()):
            return False
        return 1 <= int(value) <= (maximum or int(value))

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        # The version this request has read already (catalog.freshness), not asked for again.
        self.version = catalog_version(request._request)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list: Any, per_page: int) -> CachedCountPaginator:
        # The COUNT of a filtered list is kept until the next publication.
        paginator = CachedCountPaginator(object_list, per_page)
        paginator.version = self.version
        return paginator

    def get_page_size(self, request: Request) -> int:
        self.check_parameters(request)
        return int(request.query_params.get(self.page_size_query_param) or self.page_size)

    def get_page_number(self, request: Request, paginator: Any) -> int:
        return int(request.query_params.get(self.page_query_param) or 1)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class TooManyRequests(exceptions.Throttled):
    """429 with a translated message (DRF's "Expected available in ..." has no Indonesian) and the
    wait in Retry-After."""

    def __init__(self, wait: float | None) -> None:
        if wait is None:
            super().__init__(detail=_("Too many requests. Please wait a moment and try again."))
            return
        seconds = math.ceil(wait)
        super().__init__(
            detail=ngettext(
                "Too many requests. Please try again in %(seconds)d second.",
                "Too many requests. Please try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds}
        )
        self.wait = seconds


def client_language(request: HttpRequest) -> str:
    """The first language of the request's Accept-Language that the portal speaks, else Indonesian.
    Only the header counts (not the site's language cookie): the answer varies by Accept-Language,
    which LocaleMiddleware names in Vary, so caches keep the languages apart."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _activate_client_language(request: HttpRequest) -> None:
    # The API lives outside the /en/ prefix, where LocaleMiddleware always picks Indonesian.
    translation.activate(client_language(request))
    request.LANGUAGE_CODE = translation.get_language()


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other URL under /api/ (a slug with a dot, a stray segment): the endpoints' JSON 404, not
    the site's HTML page."""
    _activate_client_language(request)
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)


class PublicReadOnly:
    # Open data needs no sign-in: no credentials are read, so a wrong password sent to the API can
    # neither count towards the sign-in lockout nor lift the anonymous rate limit.
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonCountThrottle]
    pagination_class = CatalogPagination

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        _activate_client_language(request._request)
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def throttled(self, request: Request, wait: float | None) -> None:
        raise TooManyRequests(wait)

    def http_method_not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise exceptions.MethodNotAllowed(request.method, detail=_("The open-data API only answers GET requests."))


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter's backend; its own class so that catalog.openapi describes the parameters from
    the filter set's form fields."""


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
            openapi.RETRY_AFTER,
        ],
        responses=openapi.responses(
            InnovationListSerializer, invalid=True, media_types=(openapi.JSON, openapi.CSV, openapi.XLSX)
        ),
    ),
    retrieve=extend_schema(
        summary="One published innovation with its evidence and lineage",
        parameters=[openapi.RETRY_AFTER],
        responses=openapi.responses(InnovationDetailSerializer, invalid=False),
    ),
)
class InnovationViewSet(PublicReadOnly, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filter_backends = [ApiFilterBackend]
    filterset_class = ApiFilterSet
    renderer_classes = [
        renderers.JSONRenderer,
        renderers.BrowsableAPIRenderer,
        InnovationCSVRenderer,
        InnovationXLSXRenderer,
    ]

    def get_renderers(self) -> list[renderers.BaseRenderer]:
        # Only the list is a table; one record with its sections and lineage is JSON.
        if self.action == "retrieve":
            return [renderers.JSONRenderer(), renderers.BrowsableAPIRenderer()]
        return super().get_renderers()

    @cached_api_response
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        separator = request.query_params.get("separator", "")
        if separator and separator not in downloads.SEPARATORS:
            raise exceptions.ValidationError({"separator": [_("The separator must be “comma” or “semicolon”.")]})
        if self._download_format() == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            self.paginator.check_parameters(request)
            ids = list(queryset.values_list("pk", flat=True))
            if len(ids) > CSV_STREAM_BATCH:
                return self._csv_stream(ids)
        return super().list(request, *args, **kwargs)

    @cached_api_response
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().retrieve(request, *args, **kwargs)

    def _csv_stream(self, ids: list[int]) -> StreamingHttpResponse:
        """A long list's CSV written as it is read, CSV_STREAM_BATCH records at a time, instead of
        the whole table built in memory: `ids` holds the order (taken once), each batch is read by id
        as values (`_csv_rows`). A short list goes through the renderer in one piece."""
        delimiter = downloads.csv_separator(self.request.query_params)
        request = self.request

        def chunks() -> Iterator[bytes]:
            yield downloads.csv_text([CSV_COLUMNS], delimiter=delimiter).encode("utf-8")
            for start in range(0, len(ids), CSV_STREAM_BATCH):
                rows = _csv_rows(ids[start : start + CSV_STREAM_BATCH], request)
                # Without the BOM, which only the first chunk carries.
                yield downloads.csv_text(rows, delimiter=delimiter)[len(downloads.BOM) :].encode("utf-8")

        return StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")

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
            # A download is the whole list, but the page parameters are documented for every format.
            self.paginator.check_parameters(self.request)
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


@extend_schema_view(
    list=extend_schema(
        summary="Regions (province and regencies) with both code systems",
        parameters=[openapi.RETRY_AFTER],
        responses=openapi.responses(RegionSerializer, invalid=True),
    ),
    retrieve=extend_schema(
        summary="One region by its BPS code",
        parameters=[openapi.RETRY_AFTER],
        responses=openapi.responses(RegionSerializer, invalid=False),
    ),
)
class RegionViewSet(PublicReadOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    lookup_field = "bps_code"
    queryset = selectors.regions_public()


@extend_schema_view(
    list=extend_schema(
        summary="Institutions with their number of published innovations",
        parameters=[openapi.RETRY_AFTER],
        responses=openapi.responses(InstitutionSerializer, invalid=True),
    ),
    retrieve=extend_schema(
        summary="One institution by its code",
        parameters=[openapi.RETRY_AFTER],
        responses=openapi.responses(InstitutionSerializer, invalid=False),
    ),
)
class InstitutionViewSet(PublicReadOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = InstitutionSerializer
    lookup_field = "code"
    queryset = selectors.institutions_public()
