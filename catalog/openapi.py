"""The catalogue API's OpenAPI description, kept to what the API really accepts.

Clients generate code from the schema and schemathesis checks every operation against it
(tests/catalog/test_api_schema.py), so the list's parameters are read from the same form fields that
validate them (their enums from the database, at each schema request). What every operation answers,
errors included, is jipp.openapi's.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.encoding import force_str
from drf_spectacular.extensions import OpenApiFilterExtension

from .filters import ApiFilterSet, RegionField, SDGFilter


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


def allow_empty_query_values(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: an empty query value (`?region=`, as an HTML form sends an unset filter)
    means "not given" everywhere in this API (django-filter, pagination, format), so say so."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
