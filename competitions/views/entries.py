"""Views: entrants enter their published innovations and withdraw them; staff read the frozen proposal."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovations.services.evidence import FILE_TYPES
from jipp.permissions import can, ensure_can

from ..forms.entries import EntryFilterForm, EntryForm
from ..history import history_rows
from ..models import Edition, Entry, EntryEvidence
from ..selectors import (
    editions_open_for_entry,
    editions_visible_to,
    entries_visible_to,
    entry_audit,
    innovations_enterable,
    stage_of,
)
from ..services.entries import entry_submit, entry_withdraw, may_withdraw
from ..snapshots import profile_rows, section_rows

PAGE_SIZE = 30


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "competitions.view_entries")
    filters = EntryFilterForm(request.GET or None, editions=editions_visible_to(user=request.user))
    entries = filters.filter(entries_visible_to(user=request.user)).order_by("-edition__year", "number")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    open_editions = editions_open_for_entry() if can(request.user, "competitions.add_entry") else Edition.objects.none()
    return render(
        request,
        "competitions/entry_list.html",
        {
            "filters": filters,
            "page": page,
            "entries": page.object_list,
            "query": query.urlencode(),
            "open_editions": open_editions,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, year: int) -> HttpResponse:
    ensure_can(request.user, "competitions.add_entry")
    edition = get_object_or_404(editions_visible_to(user=request.user), year=year)
    form = EntryForm(request.POST or None, edition=edition, innovations=innovations_enterable(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            entry = entry_submit(
                by=request.user,
                edition=edition,
                innovation=form.cleaned_data["innovation"],
                group=form.cleaned_data["group"],
                category=form.cleaned_data["category"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Entered as %(code)s. The proposal is frozen: later edits of the record do not change it.")
                % {"code": entry.code},
            )
            return redirect("competitions:entry_detail", pk=entry.pk)
    return render(
        request,
        "competitions/entry_form.html",
        {"form": form, "edition": edition, "registration": stage_of(edition=edition, kind="registration")},
        status=422 if form.is_bound and form.errors else 200,
    )


def _staff_entry(request: HttpRequest, pk: int) -> Entry:
    """An entry of the user's staff scope; anybody else (a reviewer too) finds nothing: 404."""
    return get_object_or_404(entries_visible_to(user=request.user).select_related("innovation", "origin"), pk=pk)


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _staff_entry(request, pk)
    return render(
        request,
        "competitions/entry_detail.html",
        {
            "entry": entry,
            "sections": section_rows(entry.snapshot),
            "profile": profile_rows(entry.snapshot),
            "evidence": entry.snapshot.get("evidence", []),
            "may_withdraw": may_withdraw(entry=entry, user=request.user),
            "may_select": can(request.user, "competitions.select_entries", entry),
            "history": history_rows(entry_audit(entry=entry, user=request.user), user=request.user),
        },
    )


@login_required
@require_POST
def entry_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _staff_entry(request, pk)
    try:
        entry_withdraw(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Entry withdrawn."))
    return redirect("competitions:entry_detail", pk=entry.pk)


def entry_evidence_response(evidence: EntryEvidence, *, blind: bool) -> FileResponse:
    """The frozen copy of an evidence file. In a blind stage the download is named after the entry's
    number, never after the uploader's file name (which often names the institution)."""
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    file_type = FILE_TYPES.get(evidence.content_type)
    extension = file_type.extension if file_type else "bin"
    if blind:
        name = f"{evidence.entry.code}-{evidence.order + 1}.{extension}"
    else:
        name = f"{PurePosixPath(evidence.original_name).stem or evidence.entry.code}.{extension}"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def entry_evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    entry = _staff_entry(request, pk)
    evidence = get_object_or_404(EntryEvidence.objects.select_related("entry__edition"), entry=entry, pk=evidence_pk)
    return entry_evidence_response(evidence, blind=False)


urlpatterns = [
    path("kelola/peserta/", entry_list, name="entry_list"),
    path("kelola/peserta/<int:pk>/", entry_detail, name="entry_detail"),
    path("kelola/peserta/<int:pk>/tarik/", entry_withdraw_view, name="entry_withdraw"),
    path("kelola/peserta/<int:pk>/bukti/<int:evidence_pk>/", entry_evidence_file, name="entry_evidence_file"),
    path("kelola/<int:year>/daftar/", entry_create, name="entry_create"),
]
