"""Views: the secretariat's administrative selection, one entry at a time or in bulk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from jipp.permissions import ensure_can

from ..forms.selection import BulkSelectionForm, SelectionForm
from ..models import Entry
from ..selectors import editions_visible_to, entries_for_selection, entries_visible_to
from ..services.selection import entries_select, entry_select


@login_required
@require_http_methods(["GET", "POST"])
def selection_list(request: HttpRequest, year: int) -> HttpResponse:
    ensure_can(request.user, "competitions.select_entries")
    edition = get_object_or_404(editions_visible_to(user=request.user), year=year)
    entries = entries_for_selection(user=request.user, edition=edition)
    status = request.GET.get("status", "")
    if status in Entry.Status.values:
        entries = entries.filter(status=status)
    form = BulkSelectionForm(request.POST or None, entries=entries_for_selection(user=request.user, edition=edition))
    if request.method == "POST" and form.is_valid():
        ids = [entry.pk for entry in form.cleaned_data["entries"]]
        try:
            marked = entries_select(
                edition=edition,
                entry_ids=ids,
                by=request.user,
                passed=form.passed,
                reasons=form.cleaned_data["reasons"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s entry marked.", "%(count)s entries marked.", len(marked)) % {"count": len(marked)},
            )
            skipped = len(ids) - len(marked)
            if skipped:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s entry was left as it is: it is no longer in the administrative selection.",
                        "%(count)s entries were left as they are: they are no longer in the administrative selection.",
                        skipped,
                    )
                    % {"count": skipped},
                )
            return redirect("competitions:selection", year=edition.year)
    checked = {str(value) for value in (form["entries"].value() or [])} if form.is_bound else set()
    return render(
        request,
        "competitions/selection_list.html",
        {
            "edition": edition,
            "entries": entries,
            "form": form,
            "checked": checked,
            "status": status,
            "status_choices": Entry.Status.choices,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_select_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(entries_visible_to(user=request.user), pk=pk)
    ensure_can(request.user, "competitions.select_entries", entry)
    initial = {}
    if entry.status in (Entry.Status.PASSED, Entry.Status.FAILED):
        initial = {"outcome": entry.status, "reasons": entry.admin_reasons, "note": entry.admin_note}
    form = SelectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry_select(
                entry=entry,
                by=request.user,
                passed=form.passed,
                reasons=form.cleaned_data["reasons"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(code)s marked.") % {"code": entry.code})
            return redirect("competitions:selection", year=entry.edition.year)
    return render(
        request,
        "competitions/entry_select.html",
        {"entry": entry, "form": form},
        status=422 if form.is_bound and form.errors else 200,
    )


urlpatterns = [
    path("kelola/<int:year>/seleksi/", selection_list, name="selection"),
    path("kelola/peserta/<int:pk>/seleksi/", entry_select_view, name="entry_select"),
]
