"""Views: the public results of KIPP (published stages only, never a score), certificate checks, a
winner's certificate, and the home page's KIPP section."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from jipp.permissions import ensure_can

from ..models import Certificate
from ..selectors import certificate_verified, edition_results, editions_with_results, entries_visible_to, latest_result
from ..services.certificates import certificate_pdf

# Entries the home page lists under the latest result before linking to the whole page.
HOME_ENTRIES = 6


@require_GET
def results_index(request: HttpRequest) -> HttpResponse:
    return render(request, "competitions/results/index.html", {"editions": editions_with_results()})


@require_GET
def results(request: HttpRequest, year: int) -> HttpResponse:
    edition = get_object_or_404(editions_with_results(), year=year)
    now = timezone.now()
    sections = edition_results(edition=edition)
    return render(
        request,
        "competitions/results/edition.html",
        {
            "edition": edition,
            "sections": sections,
            "open_objections": {
                section.stage.pk
                for section in sections
                if section.stage.objections_close_at
                and section.stage.announced_at
                and section.stage.announced_at <= now < section.stage.objections_close_at
            },
        },
    )


@require_GET
def certificate_verify(request: HttpRequest) -> HttpResponse:
    """The form to type a verification code; a typed code goes to its own page."""
    code = "".join(request.GET.get("code", "").split()).upper()
    if code:
        return redirect("competitions:certificate_check", code=code[:20])
    return render(request, "competitions/results/certificate_verify.html", {})


@require_GET
def certificate_check(request: HttpRequest, code: str) -> HttpResponse:
    certificate = certificate_verified(code=code)
    return render(
        request,
        "competitions/results/certificate_check.html",
        {"certificate": certificate, "code": code},
        status=200 if certificate is not None else 404,
    )


@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int, outcome: str) -> HttpResponse:
    entry = get_object_or_404(entries_visible_to(user=request.user), pk=pk)
    ensure_can(request.user, "competitions.download_certificate", entry)
    certificate = get_object_or_404(Certificate, entry=entry, outcome=outcome)
    certificate.entry = entry
    verify_url = request.build_absolute_uri(
        reverse("competitions:certificate_check", kwargs={"code": certificate.code})
    )
    response = HttpResponse(
        certificate_pdf(certificate=certificate, verify_url=verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{entry.code}-{outcome}.pdf"'
    return response


def home_context(request: HttpRequest) -> dict[str, Any]:
    latest = latest_result()
    if latest is None:
        return {"latest": None}
    decisions = latest["decisions"]
    return {"latest": latest, "shown": decisions[:HOME_ENTRIES], "more": max(len(decisions) - HOME_ENTRIES, 0)}


urlpatterns = [
    path("", results_index, name="results_index"),
    path("<int:year>/", results, name="results"),
    path("sertifikat/", certificate_verify, name="certificate_verify"),
    path("sertifikat/<str:code>/", certificate_check, name="certificate_check"),
    path("kelola/peserta/<int:pk>/sertifikat/<slug:outcome>/", certificate_download, name="certificate_download"),
]
