"""The public API's OpenAPI description, kept to what the API really accepts and answers.

Clients generate code from the schema and schemathesis checks every operation against it
(tests/catalog/test_api_schema.py), so the list's parameters are read from the same form fields that
validate them (their enums from the database, at each schema request), and every answer, errors
included, is listed with its shape and media type.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.encoding import force_str
from drf_spectacular.extensions import OpenApiFilterExtension, OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from . import downloads
from .filters import ApiFilterSet, RegionField, SDGFilter
from .serializers import ErrorSerializer, ValidationErrorSerializer

JSON = "application/json"
CSV = "text/csv"
XLSX = downloads.XLSX_CONTENT_TYPE


def filter_schema(name: str, filter_: django_filters.Filter, field: forms.Field) -> dict[str, Any]:
    """The JSON schema of exactly the values `field` accepts."""
    if isinstance(field, RegionField):
        return {"type": "string", "enum": field.codes()}
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices  # a list, or an iterator that reads the database each time
        values = [str(value) for value, _label in choices if value != ""]
        if isinstance(filter_, SDGFilter):
            return {"type": "integer", "enum": sorted(int(value) for value in values)}
        return {"type": "string", "enum": values}
    if isinstance(field, forms.IntegerField):
        bounds = {"minimum": field.min_value, "maximum": field.max_value}
        return {"type": "integer", **{key: value for key, value in bounds.items() if value is not None}}
    if isinstance(field, forms.CharField):
        return {"type": "string", **({"maxLength": field.max_length} if field.max_length else {})}
    raise TypeError(f"The API schema does not know the filter {name!r} ({type(field).__name__}).")


class ApiFilterParameters(OpenApiFilterExtension):
    """The innovation list's filters (ApiFilterSet) as query parameters."""

    target_class = "catalog.api.ApiFilterBackend"
    priority = 1  # before drf-spectacular's own django-filter extension, which guesses

    def get_schema_operation_parameters(self, auto_schema: Any, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        filterset = ApiFilterSet()
        parameters = []
        for name, field in filterset.form.fields.items():
            filter_ = filterset.filters[name]
            description = filter_.extra.get("help_text") or filter_.label or ""
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "description": force_str(description),
                    "schema": filter_schema(name, filter_, field),
                }
            )
        return parameters


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


def allow_empty_query_values(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: an empty query value (`?region=`, as an HTML form sends an unset filter)
    means "not given" everywhere in this API (django-filter, pagination, format), so say so."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
