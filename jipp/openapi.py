"""What every public API operation answers, for its OpenAPI description (catalog's and competitions').

Clients generate code from the schema and schemathesis checks every operation against it
(tests/catalog/test_api_schema.py), so every answer, errors included, is listed with its shape and
media type. Errors come from jipp.views.api_exception_handler.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .downloads import XLSX_CONTENT_TYPE

JSON = "application/json"
CSV = "text/csv"
XLSX = XLSX_CONTENT_TYPE


class ErrorSerializer(serializers.Serializer):
    """Every error but a wrong parameter: {"detail": "..."}, in the client's language."""

    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """A wrong parameter (400): each parameter named with its messages, e.g.
    {"year": ["The year must be a number such as 2023."]}. Its OpenAPI shape is ValidationErrorSchema."""


class ValidationErrorSchema(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "description": "Each wrong parameter with what is wrong, in the client's language.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"year": ["The year must be a number such as 2023."]},
        }


RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429, 503],
    description="Seconds to wait before asking again.",
)


def responses(ok: Any, *, invalid: bool, media_types: tuple[str, ...] = (JSON,)) -> dict[Any, Any]:
    """`ok` as the 200 answer (a serializer for JSON; CSV is text and XLSX a file), with the errors
    a public operation can answer, 400 only where it takes parameters (`invalid`). Errors come in
    the format asked for, except a 404: a download is never paged, and an unknown format is answered
    in JSON."""
    bodies = {JSON: ok, CSV: OpenApiTypes.STR, XLSX: OpenApiTypes.BINARY}
    error_bodies = {JSON: ErrorSerializer, CSV: OpenApiTypes.STR, XLSX: OpenApiTypes.BINARY}
    answers: dict[Any, Any] = {(200, media_type): bodies[media_type] for media_type in media_types}
    if invalid:
        answers |= {
            (400, media_type): OpenApiResponse(
                ValidationErrorSerializer if media_type == JSON else error_bodies[media_type],
                description="A parameter has a value the API does not accept.",
            )
            for media_type in media_types
        }
    answers[(404, JSON)] = OpenApiResponse(ErrorSerializer, description="No such published record, page or format.")
    for status, description in [
        (429, "Too many requests from this address; see Retry-After."),
        (503, "The database is unreachable for a moment; see Retry-After."),
    ]:
        answers |= {
            (status, media_type): OpenApiResponse(error_bodies[media_type], description=description)
            for media_type in media_types
        }
    return answers
