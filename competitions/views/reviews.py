"""Views: a reviewer (or panelist) scores the entries assigned to them while their stage is open.

Every page starts from `reviewer_assignments`, the scorer's own active assignments in open stages
minus conflicts: any other entry, through any URL here, is a 404. In a blind stage the proposal
comes through competitions.blinding and evidence downloads are named after the entry's code.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jipp.models import User
from jipp.permissions import can, ensure_can

from ..blinding import blind_snapshot, redactor_for, redactors_for
from ..forms.assignments import SelfConflictForm
from ..forms.reviews import ReviewForm
from ..models import Assignment, EntryEvidence, Review
from ..selectors import reviewer_assignments, reviews_beside, scoring_stages_in_progress
from ..services.assignments import conflict_declare
from ..services.reviews import review_save
from ..snapshots import profile_rows, section_rows
from .entries import entry_evidence_response


def _scorer(request: HttpRequest) -> User:
    ensure_can(request.user, "competitions.score_entries")
    return cast(User, request.user)


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    user = _scorer(request)
    assignments = list(reviewer_assignments(user=user))
    redactors = redactors_for([assignment.entry for assignment in assignments if assignment.stage.blind])
    rows = []
    for assignment in assignments:
        entry = assignment.entry
        review: Review | None = getattr(assignment, "review", None)
        title = redactors[entry.pk].redact(entry.title) if assignment.stage.blind else entry.title
        rows.append({"assignment": assignment, "entry": entry, "title": title, "review": review})
    return render(request, "competitions/reviews/list.html", {"rows": rows})


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(reviewer_assignments(user=_scorer(request)), pk=pk)


def _proposal(assignment: Assignment) -> dict[str, Any]:
    entry = assignment.entry
    if assignment.stage.blind:
        snapshot = blind_snapshot(entry.snapshot, code=entry.code, redactor=redactor_for(entry))
    else:
        snapshot = entry.snapshot
    return {
        "blind": assignment.stage.blind,
        "title": snapshot.get("title", ""),
        "snapshot": snapshot,
        "sections": section_rows(snapshot),
        "profile": profile_rows(snapshot),
        "evidence": snapshot.get("evidence", []),
    }


def _render_review(request: HttpRequest, assignment: Assignment, form: ReviewForm) -> HttpResponse:
    review: Review | None = getattr(assignment, "review", None)
    return render(
        request,
        "competitions/reviews/review.html",
        {
            "assignment": assignment,
            "stage": assignment.stage,
            "entry": assignment.entry,
            "review": review,
            "form": form,
            "rows": form.rows(),
            "others": reviews_beside(assignment=assignment),
            "conflict_form": SelfConflictForm(),
            **_proposal(assignment),
        },
        status=422 if form.is_bound and (form.errors or form.non_field_errors()) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    criteria = list(assignment.stage.criteria.order_by("order", "pk"))
    review: Review | None = getattr(assignment, "review", None)
    scores = list(review.scores.all()) if review is not None else []
    if request.method == "GET":
        return _render_review(request, assignment, ReviewForm(criteria=criteria, scores=scores))
    form = ReviewForm(request.POST, criteria=criteria, scores=scores)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            review_save(assignment=assignment, by=_scorer(request), scores=form.scores(), submit=submit)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if review is not None and review.status == Review.Status.SUBMITTED:
                messages.success(request, _("Changes saved. You can change the review until the stage closes."))
            elif submit:
                messages.success(request, _("Review submitted. You can change it until the stage closes."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect("competitions:review", pk=assignment.pk)
    return _render_review(request, assignment, form)


@login_required
@require_GET
def review_evidence(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    assignment = _assignment(request, pk)
    evidence = get_object_or_404(
        EntryEvidence.objects.select_related("entry__edition"), entry_id=assignment.entry_id, pk=evidence_pk
    )
    return entry_evidence_response(evidence, blind=assignment.stage.blind)


@login_required
@require_POST
def review_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    form = SelfConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect("competitions:review", pk=assignment.pk)
    try:
        conflict_declare(
            edition=assignment.stage.edition,
            reviewer=_scorer(request),
            entry=assignment.entry,
            reason=form.cleaned_data["reason"],
            by=_scorer(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("competitions:review", pk=assignment.pk)
    messages.success(
        request,
        _(
            "Conflict of interest declared: the entry was taken off your list and the secretariat will assign "
            "it to someone else."
        ),
    )
    return redirect("competitions:review_list")


urlpatterns = [
    path("penilaian/", review_list, name="review_list"),
    path("penilaian/<int:pk>/", review_page, name="review"),
    path("penilaian/<int:pk>/bukti/<int:evidence_pk>/", review_evidence, name="review_evidence"),
    path("penilaian/<int:pk>/konflik/", review_conflict, name="review_conflict"),
]


def dashboard_context(request: HttpRequest) -> dict[str, Any] | None:
    """The dashboard's scoring section: a scorer's reviews to do; the secretariat's scoring stages."""
    user = request.user
    scores = can(user, "competitions.score_entries")
    assigns = can(user, "competitions.assign_reviewers")
    if not (scores or assigns):
        return None
    context: dict[str, Any] = {"scores": scores, "assigns": assigns}
    if scores:
        counted = Counter(
            getattr(getattr(assignment, "review", None), "status", "todo")
            for assignment in reviewer_assignments(user=user)
        )
        context["review_counts"] = {
            "todo": counted["todo"],
            "draft": counted["draft"],
            "submitted": counted["submitted"],
        }
    if assigns:
        context["scoring_stages"] = scoring_stages_in_progress()
    return context
