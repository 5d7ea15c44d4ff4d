"""A record as PDF with WeasyPrint, without any network access."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The PDF is self-contained (inline CSS, system fonts): fetching anything would let a record's
    # text make the server send requests, so every fetch is refused.
    raise ValueError(_("External resources are not loaded into the PDF."))


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
