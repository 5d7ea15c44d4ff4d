"""Views: the secretariat's ranked tables, cuts and decisions, and publishing a stage's result."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jipp import downloads
from jipp.models import AuditEvent
from jipp.permissions import ensure_can
from jipp.services.audit import audit_record

from ..forms.decisions import Action, DecisionFilterForm, DecisionForm, Mode
from ..models import Decision, Edition, Stage
from ..selectors import (
    DECISION_KINDS,
    decision_counts,
    decision_rows_of,
    decision_source,
    decision_stages,
    decision_table,
    editions_visible_to,
)
from ..services.decisions import decisions_cut, decisions_locked, decisions_mark
from ..services.exports import reviews_table, scores_table
from ..services.results import results_publish


def _edition(request: HttpRequest, year: int) -> Edition:
    ensure_can(request.user, "competitions.decide")
    return get_object_or_404(editions_visible_to(user=request.user), year=year)


def _decision_stage(edition: Edition, kind: str) -> Stage:
    if kind not in DECISION_KINDS:
        raise Http404
    return get_object_or_404(edition.stages.select_related("edition"), kind=kind)


@login_required
@require_GET
def decision_overview(request: HttpRequest, year: int) -> HttpResponse:
    edition = _edition(request, year)
    stages = []
    for stage in decision_stages(edition=edition):
        counts = decision_counts(stage=stage)
        stages.append(
            {
                "stage": stage,
                "source": decision_source(stage=stage),
                "counts": [(label, counts[value]) for value, label in Decision.Outcome.choices if counts[value]],
            }
        )
    return render(request, "competitions/decisions/overview.html", {"edition": edition, "stages": stages})


def _changed_message(marked: int, rest: int) -> str:
    text = ngettext("%(count)s decision changed.", "%(count)s decisions changed.", marked) % {"count": marked}
    if rest:
        text += " " + ngettext(
            "%(count)s other entry marked as not continued.", "%(count)s other entries marked as not continued.", rest
        ) % {"count": rest}
    return text


@login_required
@require_http_methods(["GET", "POST"])
def decision_stage(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    edition = _edition(request, year)
    stage = _decision_stage(edition, kind)
    filters = DecisionFilterForm(request.GET or None, edition=edition)
    group, category_id = filters.values()
    rows = decision_rows_of(decision_table(stage=stage), group=group, category_id=category_id)
    locked = decisions_locked(stage)
    form = DecisionForm(request.POST or None, stage=stage, entry_ids=[row.entry.pk for row in rows])
    proposed: set[int] = set()
    below: set[int] = set()
    if request.method == "POST" and not locked and form.is_valid():
        cut = form.cut
        try:
            chosen = cut.above(rows) if cut is not None else []
        except ValidationError as error:
            form.add_error(None, error)
        else:
            proposed = {row.entry.pk for row in chosen} if cut is not None else set(form.cleaned_data["entries"])
            if cut is not None and form.cleaned_data["rest_eliminated"]:
                below = {row.entry.pk for row in rows} - proposed
            if request.POST.get("action") == Action.CONFIRM:
                response = _confirm(request, form, stage, group, category_id)
                if response is not None:
                    return response
    query = request.GET.urlencode()
    return render(
        request,
        "competitions/decisions/stage.html",
        {
            "edition": edition,
            "stage": stage,
            "source": decision_source(stage=stage),
            "rows": rows,
            "filters": filters,
            "form": form,
            "locked": locked,
            "proposed": proposed,
            "below": below,
            "previewing": bool(proposed),
            "outcome_label": dict(form.fields["outcome"].choices).get(form.data.get("outcome", ""), ""),
            "checked": {str(pk) for pk in form["entries"].value() or []} if form.is_bound else set(),
            "query": f"?{query}" if query else "",
            "ticked_mode": Mode.TICKED,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


def _confirm(
    request: HttpRequest, form: DecisionForm, stage: Stage, group: str, category_id: int | None
) -> HttpResponse | None:
    values: dict[str, Any] = {"outcome": form.cleaned_data["outcome"], "note": form.cleaned_data["note"]}
    try:
        cut = form.cut
        if cut is None:
            marked = decisions_mark(stage=stage, by=request.user, entry_ids=form.cleaned_data["entries"], **values)
            rest: list[Any] = []
        else:
            marked, rest = decisions_cut(
                stage=stage,
                by=request.user,
                cut=cut,
                group=group,
                category_id=category_id,
                rest_eliminated=form.cleaned_data["rest_eliminated"],
                **values,
            )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _changed_message(len(marked), len(rest)))
    url = reverse("competitions:decision_stage", kwargs={"year": stage.edition.year, "kind": stage.kind})
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def results_publish_view(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    edition = _edition(request, year)
    stage = _decision_stage(edition, kind)
    try:
        stage = results_publish(stage=stage, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if stage.kind == Stage.Kind.FINALIST:
            messages.success(request, _("Finalists announced. The objection window is open."))
        else:
            messages.success(request, _("Results published."))
    return redirect("competitions:decision_stage", year=edition.year, kind=stage.kind)


EXPORTS = {
    "ulasan": (reviews_table, "ulasan"),
    "nilai": (scores_table, "nilai"),
}


@login_required
@require_GET
def export(request: HttpRequest, year: int, what: str, fmt: str) -> HttpResponse:
    """Every review score (`ulasan`) or every entry's score and place (`nilai`) as CSV or XLSX."""
    ensure_can(request.user, "competitions.export_scores")
    edition = get_object_or_404(editions_visible_to(user=request.user), year=year)
    if what not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    build, sheet = EXPORTS[what]
    filename = f"kipp-{edition.year}-{sheet}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(
            downloads.xlsx_bytes(build(edition=edition), title=sheet), content_type=downloads.XLSX_CONTENT_TYPE
        )
    else:
        text = downloads.csv_text(build(edition=edition), delimiter=downloads.csv_separator(request.GET))
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    audit_record(action=AuditEvent.Action.EXPORT, by=request.user, target=edition, data={"file": filename})
    return response


urlpatterns = [
    path("kelola/<int:year>/keputusan/", decision_overview, name="decision_overview"),
    path("kelola/<int:year>/keputusan/<slug:kind>/", decision_stage, name="decision_stage"),
    path("kelola/<int:year>/keputusan/<slug:kind>/terbitkan/", results_publish_view, name="results_publish"),
    path("kelola/<int:year>/ekspor/<slug:what>.<slug:fmt>", export, name="export"),
]
