"""Views: the secretariat assigns scorers to the entries of a scoring stage and records conflicts of interest."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jipp.models import User
from jipp.permissions import ensure_can

from ..conflicts import ConflictIndex
from ..forms.assignments import AssignForm, AssignmentImportForm, AutoAssignForm, ConflictForm
from ..models import Assignment, ConflictOfInterest, Edition, Entry, Stage
from ..selectors import (
    assignment_matrix,
    editions_visible_to,
    reviewer_loads,
    stage_pool,
    stage_ranking_with_agreement,
    stage_scorers,
)
from ..services.assignments import (
    assignment_add,
    assignment_reassign,
    assignment_release,
    assignments_auto,
    assignments_import,
    conflict_declare,
)

MATRIX_PAGE_SIZE = 25


def _edition(request: HttpRequest, year: int) -> Edition:
    ensure_can(request.user, "competitions.assign_reviewers")
    return get_object_or_404(editions_visible_to(user=request.user), year=year)


def _stage(request: HttpRequest, year: int, kind: str) -> Stage:
    edition = _edition(request, year)
    stage = Stage.objects.filter(edition=edition, kind=kind).select_related("edition").first()
    if stage is None or not stage.is_scoring:
        raise Http404
    return stage


def _scoring_stages(edition: Edition) -> list[Stage]:
    return [stage for stage in edition.stages.order_by("order") if stage.is_scoring]


def _pool(stage: Stage) -> Any:
    return stage_pool(stage=stage).select_related("edition", "category", "institution__region").order_by("number")


def _render_matrix(
    request: HttpRequest,
    stage: Stage,
    *,
    auto_form: AutoAssignForm | None = None,
    import_form: AssignmentImportForm | None = None,
    import_errors: list[str] | None = None,
) -> HttpResponse:
    scorers = list(stage_scorers(stage=stage))
    page = Paginator(_pool(stage), MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    loads = reviewer_loads(stage=stage, reviewers=scorers)
    failed = bool(import_errors) or any(form is not None and form.errors for form in (auto_form, import_form))
    return render(
        request,
        "competitions/assignments/matrix.html",
        {
            "edition": stage.edition,
            "stage": stage,
            "scorers": scorers,
            "page": page,
            "rows": assignment_matrix(stage=stage, entries=list(page.object_list), reviewers=scorers),
            "loads": loads,
            "load_range": (
                min((load.active for load in loads), default=0),
                max((load.active for load in loads), default=0),
            ),
            "auto_form": auto_form
            or AutoAssignForm(scorers=stage_scorers(stage=stage), per_entry=stage.reviewers_per_entry),
            "import_form": import_form or AssignmentImportForm(),
            "import_errors": import_errors or [],
            "scoring_stages": _scoring_stages(stage.edition),
        },
        status=422 if failed else 200,
    )


@login_required
@require_GET
def assignment_matrix_view(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    return _render_matrix(request, _stage(request, year, kind))


@login_required
@require_POST
def assignments_auto_view(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    stage = _stage(request, year, kind)
    form = AutoAssignForm(request.POST, scorers=stage_scorers(stage=stage), per_entry=stage.reviewers_per_entry)
    if not form.is_valid():
        return _render_matrix(request, stage, auto_form=form)
    try:
        result = assignments_auto(
            stage=stage,
            by=request.user,
            reviewers=list(form.cleaned_data["reviewers"]) or None,
            per_entry=form.cleaned_data["per_entry"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_matrix(request, stage, auto_form=form)
    messages.success(
        request,
        ngettext("%(count)s assignment made.", "%(count)s assignments made.", result.created)
        % {"count": result.created}
        + " "
        + _("Loads now range from %(low)s to %(high)s entries.")
        % {"low": result.lowest_load, "high": result.highest_load},
    )
    if result.short:
        messages.warning(
            request,
            _("Not enough reviewers without a conflict of interest for: %(entries)s.")
            % {"entries": ", ".join(f"{entry.code} (−{missing})" for entry, missing in result.short)},
        )
    return redirect("competitions:assignments", year=year, kind=kind)


@login_required
@require_POST
def assignments_import_view(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    stage = _stage(request, year, kind)
    form = AssignmentImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_matrix(request, stage, import_form=form)
    upload = form.cleaned_data["file"]
    try:
        result = assignments_import(stage=stage, by=request.user, name=upload.name, content=upload.read())
    except ValidationError as error:
        return _render_matrix(request, stage, import_form=form, import_errors=error.messages)
    messages.success(
        request,
        _("From the file: %(added)s assignments made, %(unchanged)s already in place.")
        % {"added": result.added, "unchanged": result.unchanged},
    )
    return redirect("competitions:assignments", year=year, kind=kind)


def _render_entry(request: HttpRequest, stage: Stage, entry: Entry, form: AssignForm | None = None) -> HttpResponse:
    scorers = list(stage_scorers(stage=stage))
    assignments = list(
        Assignment.objects.filter(stage=stage, entry=entry).select_related("reviewer__institution", "review")
    )
    taken = {assignment.reviewer_id for assignment in assignments if assignment.released_at is None}
    index = ConflictIndex(reviewers=scorers, entries=[entry])
    conflicts = [(scorer, index.reason(scorer.pk, entry.pk)) for scorer in scorers]
    free = [scorer.pk for scorer, reason in conflicts if reason is None and scorer.pk not in taken]
    choices = User.objects.filter(pk__in=free).select_related("institution").order_by("last_name", "username")
    return render(
        request,
        "competitions/assignments/entry.html",
        {
            "edition": stage.edition,
            "stage": stage,
            "entry": entry,
            "assignments": assignments,
            "conflicts": [(scorer, reason) for scorer, reason in conflicts if reason is not None],
            "form": form or AssignForm(scorers=choices),
            "reassign_form": AssignForm(scorers=choices, prefix="to"),
        },
        status=422 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_assignments(request: HttpRequest, year: int, kind: str, pk: int) -> HttpResponse:
    stage = _stage(request, year, kind)
    entry = get_object_or_404(_pool(stage), pk=pk)
    if request.method == "GET":
        return _render_entry(request, stage, entry)
    form = AssignForm(request.POST, scorers=stage_scorers(stage=stage))
    if form.is_valid():
        try:
            assignment_add(stage=stage, entry=entry, reviewer=form.cleaned_data["reviewer"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Assigned."))
            return redirect("competitions:entry_assignments", year=year, kind=kind, pk=entry.pk)
    return _render_entry(request, stage, entry, form)


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    ensure_can(request.user, "competitions.assign_reviewers")
    return get_object_or_404(
        Assignment.objects.filter(stage__edition__in=editions_visible_to(user=request.user)).select_related(
            "stage__edition", "entry"
        ),
        pk=pk,
    )


def _back_to_entry(assignment: Assignment) -> HttpResponse:
    return redirect(
        "competitions:entry_assignments",
        year=assignment.stage.edition.year,
        kind=assignment.stage.kind,
        pk=assignment.entry_id,
    )


@login_required
@require_POST
def assignment_release_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    try:
        assignment_release(assignment=assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Released. A review already submitted is kept and still counts."))
    return _back_to_entry(assignment)


@login_required
@require_POST
def assignment_reassign_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    form = AssignForm(request.POST, scorers=stage_scorers(stage=assignment.stage), prefix="to")
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return _back_to_entry(assignment)
    try:
        assignment_reassign(assignment=assignment, reviewer=form.cleaned_data["reviewer"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reassigned. A review already submitted is kept and still counts."))
    return _back_to_entry(assignment)


def _conflict_scorers() -> Any:
    return (
        User.objects.filter(is_active=True, groups__name__in=[Stage.Scorer.REVIEWER, Stage.Scorer.PANELIST])
        .distinct()
        .select_related("institution")
        .order_by("last_name", "first_name", "username")
    )


@login_required
@require_http_methods(["GET", "POST"])
def conflict_list(request: HttpRequest, year: int) -> HttpResponse:
    edition = _edition(request, year)
    entries = Entry.objects.filter(edition=edition).exclude(status=Entry.Status.WITHDRAWN).order_by("number")
    form = ConflictForm(request.POST or None, scorers=_conflict_scorers(), entries=entries.select_related("edition"))
    if request.method == "POST" and form.is_valid():
        try:
            conflict_declare(
                edition=edition,
                reviewer=form.cleaned_data["reviewer"],
                entry=form.cleaned_data["entry"],
                institution=form.cleaned_data["institution"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Conflict of interest recorded; assignments it covers were released."))
            return redirect("competitions:conflicts", year=year)
    # Institution conflicts hold in every edition; entry conflicts belong to this one.
    conflicts = (
        ConflictOfInterest.objects.filter(Q(entry__edition=edition) | Q(institution__isnull=False))
        .select_related("reviewer", "entry__edition", "institution", "declared_by")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "competitions/assignments/conflicts.html",
        {
            "edition": edition,
            "form": form,
            "conflicts": conflicts,
            "scoring_stages": _scoring_stages(edition),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


SCORES_PAGE_SIZE = 50


@login_required
@require_GET
def stage_scores(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    ensure_can(request.user, "competitions.view_scores")
    stage = _stage(request, year, kind)
    result = stage_ranking_with_agreement(stage=stage)
    flagged_only = request.GET.get("flagged") == "1"
    ranking = [ranked for ranked in result.ranking if ranked.flagged] if flagged_only else result.ranking
    page = Paginator(ranking, SCORES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "competitions/assignments/scores.html",
        {
            "edition": stage.edition,
            "stage": stage,
            "previous_stage": result.previous_stage,
            "scores": result.scores,
            "page": page,
            "ranking": page.object_list,
            "flagged_only": flagged_only,
            "flagged_count": sum(1 for ranked in result.ranking if ranked.flagged),
            "query": "flagged=1" if flagged_only else "",
            "scoring_stages": _scoring_stages(stage.edition),
        },
    )


urlpatterns = [
    path("kelola/<int:year>/tahapan/<slug:kind>/penugasan/", assignment_matrix_view, name="assignments"),
    path("kelola/<int:year>/tahapan/<slug:kind>/penugasan/otomatis/", assignments_auto_view, name="assignments_auto"),
    path("kelola/<int:year>/tahapan/<slug:kind>/penugasan/unggah/", assignments_import_view, name="assignments_import"),
    path("kelola/<int:year>/tahapan/<slug:kind>/penugasan/<int:pk>/", entry_assignments, name="entry_assignments"),
    path("kelola/penugasan/<int:pk>/lepas/", assignment_release_view, name="assignment_release"),
    path("kelola/penugasan/<int:pk>/alihkan/", assignment_reassign_view, name="assignment_reassign"),
    path("kelola/<int:year>/konflik/", conflict_list, name="conflicts"),
    path("kelola/<int:year>/tahapan/<slug:kind>/nilai/", stage_scores, name="stage_scores"),
]
