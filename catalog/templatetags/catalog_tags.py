"""Template helpers of the public catalogue."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag(takes_context=True)
def replicate_url(context: template.Context, innovation: Any) -> str:
    """The "replicate this innovation" URL for a user allowed to ask, else ""."""
    user = context["request"].user
    if not user.is_authenticated or not user.has_perm("innovations.request_replication", innovation):
        return ""
    try:
        return reverse("innovations:replication_create", kwargs={"slug": innovation.slug})
    except NoReverseMatch:
        return ""


@register.simple_tag
def bar_width(value: int, maximum: int, width: int = 400) -> int:
    return round(value * width / maximum) if maximum else 0
