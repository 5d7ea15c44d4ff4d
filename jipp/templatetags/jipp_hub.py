"""Template filters of the hub's pages."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def score(value: float | None) -> str:
    """A maturity score with one decimal in the reader's language (62,5 in Indonesian), or a dash."""
    if value is None or value == "":
        return "—"
    return number_format(value, decimal_pos=1)
