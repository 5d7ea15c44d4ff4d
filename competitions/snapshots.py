"""Reading an entry's frozen snapshot back as labelled rows for pages (see Entry's docstring for its shape)."""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.text import capfirst

from innovations.models import SECTION_LIMITS, Innovation, innovation_field_label


def section_rows(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) of each section the proposal filled in, in the record's order."""
    sections = snapshot.get("sections", {})
    return [(capfirst(innovation_field_label(name)), sections[name]) for name in SECTION_LIMITS if sections.get(name)]


def _display(name: str, value: Any) -> str:
    field = Innovation._meta.get_field(name)
    choices = dict(getattr(field, "choices", None) or ())
    if value in choices:
        return str(choices[value])
    if name.endswith("_date") and isinstance(value, str):
        parsed = parse_date(value)
        return str(formats.date_format(parsed, "DATE_FORMAT")) if parsed else value
    if name == "budget" and value not in (None, ""):
        return "Rp " + str(formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True))
    return str(value)


def profile_rows(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of each profile field the proposal filled in, values as the record shows them."""
    return [
        (capfirst(innovation_field_label(name)), _display(name, value))
        for name, value in snapshot.get("profile", {}).items()
        if value not in (None, "")
    ]
