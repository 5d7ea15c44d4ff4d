"""Views: a hub's maturity self-assessments, year by year, and their comparison."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..charts import maturity_chart
from ..forms.maturity import AssessmentForm, StartForm
from ..models import Hub, MaturityAssessment, MaturityOption
from ..permissions import can
from ..selectors import assessment_answers, assessment_of, hub_assessments, maturity_comparison, maturity_questions
from ..services.maturity import (
    AnswerInput,
    answers_save,
    assessment_reopen,
    assessment_start,
    assessment_submit,
    maturity_scores,
)
from ..uploads import download_name
from .hub import apply_errors, hub_for, managed_hub


def _readable_hub(request: HttpRequest, slug: str) -> Hub:
    hub = hub_for(request, slug)
    if not can(request.user, "jipp.view_maturity", hub):
        raise PermissionDenied
    return hub


def _assessment(hub: Hub, year: int) -> MaturityAssessment:
    try:
        return assessment_of(hub=hub, year=year)
    except MaturityAssessment.DoesNotExist:
        raise Http404 from None


@login_required
def maturity_overview(request: HttpRequest, slug: str) -> HttpResponse:
    hub = _readable_hub(request, slug)
    can_manage = can(request.user, "jipp.manage_hub", hub)
    start_form = StartForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if start_form is None:
            raise PermissionDenied
        if start_form.is_valid():
            try:
                assessment = assessment_start(hub=hub, year=start_form.cleaned_data["year"], by=request.user)
            except ValidationError as error:
                apply_errors(start_form, error)
            else:
                return redirect("jipp:maturity_assessment", slug=hub.slug, year=assessment.year)
    comparison = maturity_comparison(hub=hub)
    return render(
        request,
        "jipp/hub/maturity_overview.html",
        {
            "hub": hub,
            "can_manage": can_manage,
            "assessments": hub_assessments(hub=hub),
            "comparison": comparison,
            "chart": maturity_chart(comparison),
            "start_form": start_form,
        },
    )


def _answers_from(form: AssessmentForm) -> list[AnswerInput]:
    options = {option.pk: option for question in form.questions for option in question.options.all()}
    given = []
    for question in form.questions:
        chosen = form.cleaned_data.get(f"option_{question.pk}")
        option: MaturityOption | None = options.get(chosen) if chosen else None
        given.append(
            AnswerInput(
                question=question,
                option=option,
                note=form.cleaned_data.get(f"note_{question.pk}", ""),
                evidence=form.cleaned_data.get(f"evidence_{question.pk}"),
                remove_evidence=bool(form.cleaned_data.get(f"remove_{question.pk}")),
            )
        )
    return given


@login_required
def maturity_assessment(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The year's answers: a form for the hub's administrators while a draft, read-only otherwise."""
    hub = _readable_hub(request, slug)
    assessment = _assessment(hub, year)
    editable = can(request.user, "jipp.manage_hub", hub) and assessment.status == MaturityAssessment.Status.DRAFT
    if request.method == "POST" and not editable:
        raise PermissionDenied
    answers = assessment_answers(assessment=assessment)
    questions = list(maturity_questions())
    # A question answered once but no longer asked still shows, so the answers and scores add up.
    asked = {question.pk for question in questions}
    questions += [answer.question for answer in answers.values() if answer.question_id not in asked]
    form = AssessmentForm(request.POST or None, request.FILES or None, questions=questions, answers=answers)
    if request.method == "POST" and form.is_valid():
        try:
            answers_save(assessment=assessment, answers=_answers_from(form), by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The answers were saved."))
            return redirect("jipp:maturity_assessment", slug=hub.slug, year=assessment.year)
    scores = assessment.scores if assessment.status == MaturityAssessment.Status.SUBMITTED else None
    return render(
        request,
        "jipp/hub/maturity_assessment.html",
        {
            "hub": hub,
            "assessment": assessment,
            "form": form,
            "editable": editable,
            "can_manage": can(request.user, "jipp.manage_hub", hub),
            "scores": scores or maturity_scores(answers.values()),
            "answered": len(answers),
            "asked": len(asked),
        },
    )


@login_required
@require_POST
def maturity_submit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    assessment = _assessment(hub, year)
    try:
        assessment_submit(assessment=assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The self-assessment of %(year)s was submitted.") % {"year": year})
    return redirect("jipp:maturity_assessment", slug=hub.slug, year=year)


@login_required
@require_POST
def maturity_reopen(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    assessment = _assessment(hub, year)
    try:
        assessment_reopen(assessment=assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The self-assessment of %(year)s is a draft again.") % {"year": year})
    return redirect("jipp:maturity_assessment", slug=hub.slug, year=year)


@login_required
def maturity_evidence(request: HttpRequest, slug: str, year: int, answer: int) -> FileResponse:
    hub = _readable_hub(request, slug)
    assessment = _assessment(hub, year)
    stored = get_object_or_404(assessment.answers.exclude(evidence=""), pk=answer)
    # The stored name carries the detected type's extension.
    filename = download_name(stored.evidence_name, PurePosixPath(stored.evidence.name).suffix, fallback="bukti")
    return FileResponse(stored.evidence.open("rb"), as_attachment=True, filename=filename)
