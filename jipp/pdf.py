"""HTML to PDF with WeasyPrint, without any network access: a record's PDF, a winner's certificate."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The PDF is self-contained (inline CSS, system fonts): fetching anything would let typed
    # text make the server send requests, so every fetch is refused.
    raise ValueError(_("External resources are not loaded into the PDF."))


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """A tagged PDF (PDF/UA-1: structure, language and title for screen readers); links resolve against `base_url`."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=_refuse_fetch).write_pdf(pdf_variant="pdf/ua-1")
