"""Views: evidence documents and photos, added by the operator and served only through these views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jipp.permissions import can
from jipp.uploads import download_name, limit_upload_size

from ..forms.evidence import EvidenceForm
from ..models import Evidence, Innovation
from ..selectors import evidence_visible_to, innovation_staff_scope
from ..services.evidence import FILE_TYPES, evidence_add_files, evidence_max_bytes, evidence_remove
from ..templatetags.evidence_panel import evidence_panel_context


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def evidence_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    # The size limit must be in place before the body is parsed, so the CSRF check (which reads the
    # body) runs inside this view instead of in the middleware.
    limit_upload_size(request, limit=evidence_max_bytes())
    return _evidence_add(request, slug)


def _back_url(innovation: Innovation, back: str) -> str:
    """The evidence panel of the page the operator came from: the record's edit page or the record."""
    name = "innovations:edit" if back == "edit" else "innovations:detail"
    return reverse(name, kwargs={"slug": innovation.slug}) + "#evidence"


def _panel(request: HttpRequest, innovation: Innovation, form: EvidenceForm, *, added: int = 0) -> HttpResponse:
    # Always 200: htmx swaps only successful answers, and a refusal must show where the form was.
    context = evidence_panel_context(user=request.user, innovation=innovation, form=form)
    return render(request, "innovations/panels/evidence.html", {**context, "added": added})


def _added_message(count: int) -> str:
    return ngettext("%(count)d file added.", "%(count)d files added.", count) % {"count": count}


@csrf_protect
def _evidence_add(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = get_object_or_404(innovation_staff_scope(user=request.user), slug=slug)
    if not can(request.user, "innovations.change_innovation", innovation):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "innovations/evidence_form.html", {"innovation": innovation, "form": EvidenceForm()})
    form = EvidenceForm(request.POST, request.FILES)
    added: list[Evidence] = []
    if form.is_valid():
        added, refused = evidence_add_files(
            innovation=innovation,
            by=request.user,
            uploads=form.cleaned_data["file"],
            caption=form.cleaned_data["caption"],
        )
        back = form.cleaned_data["back"]
        if not form.refused and not refused:
            if request.htmx:
                return _panel(request, innovation, EvidenceForm(initial={"back": back}), added=len(added))
            messages.success(request, _added_message(len(added)))
            return redirect(_back_url(innovation, back))
        # The caption stays typed for the refused files; the added ones are listed in the panel.
        for refusal in [*form.refused, *refused]:
            form.add_error("file", refusal.as_error())
    if request.htmx:
        return _panel(request, innovation, form, added=len(added))
    if added:
        messages.success(request, _added_message(len(added)))
    return render(request, "innovations/evidence_form.html", {"innovation": innovation, "form": form}, status=422)


@login_required
@require_POST
def evidence_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(
        Evidence.objects.filter(innovation__in=innovation_staff_scope(user=request.user)).select_related("innovation"),
        pk=pk,
    )
    innovation = evidence.innovation
    evidence_remove(evidence=evidence, by=request.user)
    back = "edit" if request.POST.get("back") == "edit" else "detail"
    if request.htmx:
        return _panel(request, innovation, EvidenceForm(initial={"back": back}))
    messages.success(request, _("File removed."))
    return redirect(_back_url(innovation, back))


def _download_name(evidence: Evidence, content_type: str) -> str:
    return download_name(evidence.original_name, FILE_TYPES[content_type].extension, fallback=f"bukti-{evidence.pk}")


def _serve(request: HttpRequest, pk: int, *, preview: bool) -> FileResponse:
    evidence = get_object_or_404(evidence_visible_to(user=request.user), pk=pk)
    if not can(request.user, "innovations.view_innovation", evidence.innovation):
        raise Http404
    stored = evidence.preview if preview else evidence.file
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    is_image = preview or evidence.kind == Evidence.Kind.PHOTO
    content_type = "image/webp" if preview else evidence.content_type
    response = FileResponse(
        handle,
        # A photo's type was checked by decoding its header, and nosniff keeps it an image.
        as_attachment=not is_image,
        filename=_download_name(evidence, content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Published evidence may be cached by the browser only; a draft's files never by a proxy.
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(request, pk, preview=False)


@require_GET
def evidence_preview(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(request, pk, preview=True)


urlpatterns = [
    path("<slug:slug>/bukti/tambah/", evidence_add_view, name="evidence_add"),
    path("bukti/<int:pk>/hapus/", evidence_delete_view, name="evidence_delete"),
    path("bukti/<int:pk>/berkas/", evidence_file, name="evidence_file"),
    path("bukti/<int:pk>/pratinjau/", evidence_preview, name="evidence_preview"),
]
