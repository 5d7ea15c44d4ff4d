"""Template helpers of the public catalogue."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jipp.models import Region

from ..selectors import HIGHLIGHT_START, HIGHLIGHT_STOP

register = template.Library()

# The characters that could end a <script> element or open a comment, as JSON escapes.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def highlight(text: str | None) -> SafeString:
    """Escape the text, then turn the search markers into <mark> elements."""
    escaped = escape(text or "")
    return mark_safe(escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))  # noqa: S308


@register.simple_tag
def json_ld(data: dict[str, Any]) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.filter
def public_date(value: datetime.date | None) -> str:
    """The one date format of the public pages: "19 February 2020", "19 Februari 2020"."""
    return date_format(value, "j F Y") if value else ""


@register.simple_tag
def region_in_words(region: Region) -> SafeString:
    """The region as a reader says it; its two codes stay in the markup, for machines."""
    if region.level == Region.Level.PROVINCE:
        words = _("%(province)s Province (provincial agency)") % {"province": region.name}
    else:
        province = region.parent.name if region.parent else ""
        words = _("%(regency)s Regency, %(province)s Province") % {"regency": region.name, "province": province}
    return format_html(
        '<data value="{}" data-kemendagri="{}">{}</data>', region.bps_code, region.kemendagri_code, words
    )


@register.simple_tag
def bar_percent(value: int, maximum: int) -> str:
    """A bar's length as a share of the longest, for an SVG width that scales without scaling text."""
    return f"{round(value * 100 / maximum) if maximum else 0}%"
