"""Views: bulk import of innovation records by hub administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from jipp.permissions import can

from ..forms.imports import ImportUploadForm
from ..models import ImportBatch
from ..selectors import import_batches_visible_to
from ..services.imports import (
    COLUMNS,
    XLSX_CONTENT_TYPE,
    error_message,
    import_batch_annotated_copy,
    import_batch_create,
    template_csv,
    template_xlsx,
)
from ..tasks import enqueue_import

PAGE_SIZE = 20


def _ensure_importer(request: HttpRequest) -> None:
    if not can(request.user, "innovations.import_innovations"):
        raise PermissionDenied


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _ensure_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = import_batch_create(
            name=upload.name,
            content=upload.read(),
            by=request.user,
            institution=form.cleaned_data["institution"],
            dry_run=form.cleaned_data["dry_run"],
        )
        # import_batch_create has committed (requests are not one transaction), so the worker finds the
        # batch; sending it here rather than on commit lets the page say whether the queue took it.
        if batch.status == ImportBatch.Status.PENDING:
            if enqueue_import(import_id=batch.pk):
                messages.success(request, _("The file is uploaded; it is being checked."))
            else:
                messages.warning(
                    request,
                    _(
                        "The file is saved, but the background queue cannot be reached right now. The import "
                        "starts by itself as soon as the queue is back; this page shows its progress."
                    ),
                )
        return redirect("innovations:import_detail", pk=batch.pk)
    page = Paginator(import_batches_visible_to(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "innovations/imports/list.html",
        {"form": form, "page": page, "columns": COLUMNS},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_importer(request)
    batch = get_object_or_404(import_batches_visible_to(user=request.user), pk=pk)
    errors = [{**error, "message": error_message(error)} for error in batch.errors]
    running = batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
    # Checking every row is quick; writing them is what takes minutes, so the bar follows each phase.
    writing = running and not batch.dry_run and batch.total_rows > 0 and batch.processed_rows == batch.total_rows
    done = batch.written_rows if writing else batch.processed_rows
    percent = round(100 * done / batch.total_rows) if batch.total_rows else 0
    context = {
        "batch": batch,
        "errors": errors,
        "percent": percent,
        "running": running,
        "writing": writing,
        "annotated": any(error.get("row") for error in batch.errors),
    }
    template = "innovations/imports/_progress.html" if request.htmx else "innovations/imports/detail.html"
    return render(request, template, context)


@login_required
def import_annotated(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded file with a column saying what is wrong in each row, to fix and upload again."""
    _ensure_importer(request)
    batch = get_object_or_404(import_batches_visible_to(user=request.user), pk=pk)
    copy = import_batch_annotated_copy(batch=batch)
    if copy is None:
        raise Http404
    name, content_type, content = copy
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _ensure_importer(request)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(template_xlsx(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="templat-impor-inovasi.xlsx"'
    else:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-impor-inovasi.csv"'
    return response


urlpatterns = [
    path("impor/", import_list, name="import_list"),
    path("impor/templat/", import_template, name="import_template"),
    path("impor/<int:pk>/", import_detail, name="import_detail"),
    path("impor/<int:pk>/kesalahan/", import_annotated, name="import_annotated"),
]
