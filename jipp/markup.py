"""Markdown written by hub administrators, rendered to HTML that is safe to show and to e-mail.

Markdown passes raw HTML through, so its output is sanitised afterwards (nh3, the Rust ammonia
library): only the tags Markdown itself produces survive, links only to http(s) and mailto, each
with rel="noopener noreferrer"; scripts, styles, event handlers and other tags are removed.
"""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


def markdown_html(text: str) -> SafeString:
    """`text` as sanitised HTML. Headings start at h3: the page around it has its own h1 and h2."""
    rendered = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    for level in (2, 1):  # "# x" and "## x" become h3, under the page's own headings
        rendered = rendered.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 just above)
