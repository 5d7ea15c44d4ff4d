"""Read-only open-data API of KIPP results (/api/v1/competitions/): published results only, no scores."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jipp import openapi
from jipp.throttling import AnonCountThrottle

from .selectors import edition_results, editions_with_results
from .serializers import EditionResultsSerializer, EditionSerializer


class PublicReadOnly:
    # Like the catalogue's API: no credentials are read, so the anonymous rate limit applies to all.
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonCountThrottle]


@extend_schema(
    summary="KIPP editions with published results",
    tags=["competitions"],
    parameters=[openapi.RETRY_AFTER],
    responses=openapi.responses(EditionSerializer(many=True), invalid=False),
)
class EditionList(PublicReadOnly, generics.ListAPIView):
    serializer_class = EditionSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return editions_with_results()


@extend_schema(
    summary="The published results of one KIPP edition: finalists and winners by stage",
    tags=["competitions"],
    parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH, description="The edition's year, e.g. 2025."),
        openapi.RETRY_AFTER,
    ],
    responses=openapi.responses(EditionResultsSerializer, invalid=False),
)
class EditionResults(PublicReadOnly, APIView):
    def get(self, request: Request, year: int) -> Response:
        edition = editions_with_results().filter(year=year).first()
        if edition is None:
            raise Http404
        page = request.build_absolute_uri(reverse("competitions:results", kwargs={"year": edition.year}))
        data = {"year": edition.year, "theme": edition.theme, "page": page, "stages": edition_results(edition=edition)}
        return Response(EditionResultsSerializer(data, context={"request": request}).data)


# Included by jipp/urls.py under /api/v1/competitions/, outside the language prefixes.
app_name = "competitions_api"
urlpatterns = [
    path("", EditionList.as_view(), name="editions"),
    path("<int:year>/results/", EditionResults.as_view(), name="results"),
]
