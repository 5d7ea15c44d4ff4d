"""Views: anyone's objection to an announced finalist (public, rate-limited), and the secretariat's
list of objections and answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jipp.permissions import ensure_can
from jipp.security import client_address, rate_limit_exceeded

from ..forms.objections import AnswerForm, ObjectionForm
from ..models import Objection
from ..selectors import editions_visible_to, objections_of, public_finalist
from ..services.decisions import objection_answer, objection_file

# Objections one address may file per hour: enough for a person, a wall for a script.
OBJECTIONS_PER_ADDRESS = 5
OBJECTION_WINDOW_SECONDS = 3600


@require_http_methods(["GET", "POST"])
def objection_create(request: HttpRequest, year: int, number: int) -> HttpResponse:
    found = public_finalist(year=year, number=number)
    if found is None:
        raise Http404
    entry, stage = found
    is_open = stage.objections_close_at is not None and timezone.now() < stage.objections_close_at
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST" and is_open and form.is_valid():
        if rate_limit_exceeded(
            "kipp-objection", client_address(request), limit=OBJECTIONS_PER_ADDRESS, seconds=OBJECTION_WINDOW_SECONDS
        ):
            form.add_error(None, _("Too many objections from your connection. Please wait an hour and try again."))
            status = 429
        else:
            try:
                objection_file(entry=entry, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your objection was received. The secretariat will answer it."))
                return redirect("competitions:results", year=year)
    if form.is_bound and form.errors and status == 200:
        status = 422
    return render(
        request,
        "competitions/results/objection_form.html",
        {"entry": entry, "stage": stage, "edition": entry.edition, "form": form, "is_open": is_open},
        status=status,
    )


@login_required
@require_GET
def objection_list(request: HttpRequest, year: int) -> HttpResponse:
    ensure_can(request.user, "competitions.answer_objections")
    edition = get_object_or_404(editions_visible_to(user=request.user), year=year)
    return render(
        request,
        "competitions/decisions/objection_list.html",
        {"edition": edition, "objections": objections_of(edition=edition)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can(request.user, "competitions.answer_objections")
    objection = get_object_or_404(
        Objection.objects.select_related("entry__edition", "entry__institution", "answered_by"), pk=pk
    )
    form = AnswerForm(request.POST or None, initial={"answer": objection.answer})
    if request.method == "POST" and form.is_valid():
        try:
            objection_answer(objection=objection, by=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Answer saved."))
            return redirect("competitions:objection_list", year=objection.entry.edition.year)
    return render(
        request,
        "competitions/decisions/objection_answer.html",
        {"objection": objection, "edition": objection.entry.edition, "form": form},
        status=422 if form.is_bound and form.errors else 200,
    )


urlpatterns = [
    path("<int:year>/keberatan/<int:number>/", objection_create, name="objection_create"),
    path("kelola/<int:year>/keberatan/", objection_list, name="objection_list"),
    path("kelola/keberatan/<int:pk>/", objection_answer_view, name="objection_answer"),
]
