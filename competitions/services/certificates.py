"""Writes and output: the winners' certificates.

A certificate is issued once per winning entry and outcome when the final result is published; its
verification code is printed on the PDF, and the public page /kipp/sertifikat/<code>/ confirms it.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from jipp.pdf import html_to_pdf

from ..models import WINNING_OUTCOMES, Certificate, Decision, Stage


def certificates_issue(*, stage: Stage) -> list[Certificate]:
    """A certificate for each winner of `stage` that has none for its outcome yet; call it inside the
    transaction that publishes the stage. Returns the new certificates."""
    winners = Decision.objects.filter(stage=stage, outcome__in=WINNING_OUTCOMES)
    issued = set(Certificate.objects.filter(entry__in=winners.values("entry")).values_list("entry_id", "outcome"))
    now = timezone.now()
    certificates = [
        Certificate(entry_id=entry_id, outcome=outcome, issued_at=now)
        for entry_id, outcome in winners.values_list("entry_id", "outcome")
        if (entry_id, outcome) not in issued
    ]
    return Certificate.objects.bulk_create(certificates)


def certificate_pdf(*, certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as a tagged PDF; `verify_url` is the absolute address of its public check."""
    html = render_to_string(
        "competitions/results/certificate_pdf.html",
        {"certificate": certificate, "entry": certificate.entry, "verify_url": verify_url},
    )
    return html_to_pdf(html, base_url=verify_url)
