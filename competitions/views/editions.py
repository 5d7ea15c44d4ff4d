"""Views: the secretariat configures an edition, its stages and the rubric of each scoring stage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jipp.permissions import ensure_can

from ..forms.editions import (
    AuditFilterForm,
    CriterionFormSet,
    EditionForm,
    StagesForm,
    categories_text,
    criterion_initial,
)
from ..history import history_rows
from ..models import Edition, Stage
from ..selectors import edition_audit, edition_summary, editions_visible_to, editions_with_stages, stages_of
from ..services.editions import (
    criteria_reset_default,
    criteria_save,
    default_categories,
    edition_announce,
    edition_announce_problems,
    edition_create,
    edition_update,
    stages_save,
)

AUDIT_TAIL = 20
AUDIT_PAGE_SIZE = 50


def _edition(request: HttpRequest, year: int) -> Edition:
    ensure_can(request.user, "competitions.manage_editions")
    return get_object_or_404(editions_visible_to(user=request.user), year=year)


def _scoring_stage(edition: Edition, kind: str) -> Stage:
    stage = edition.stages.filter(kind=kind).first()
    if stage is None or not stage.is_scoring:
        raise Http404
    return stage


@login_required
@require_GET
def edition_list(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "competitions.manage_editions")
    return render(request, "competitions/edition_list.html", {"editions": editions_with_stages(user=request.user)})


def _render_edition_form(request: HttpRequest, form: EditionForm, edition: Edition | None) -> HttpResponse:
    return render(
        request,
        "competitions/edition_form.html",
        {"form": form, "edition": edition},
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edition_create_view(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "competitions.manage_editions")
    if request.method == "POST":
        form = EditionForm(request.POST)
        if form.is_valid():
            try:
                edition = edition_create(by=request.user, **form.edition_values())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Edition saved as a draft. Now set its stages and their dates."))
                return redirect("competitions:edition_stages", year=edition.year)
        return _render_edition_form(request, form, None)
    year = timezone.localdate().year
    form = EditionForm(initial={"year": year, "categories": categories_text(default_categories(year))})
    return _render_edition_form(request, form, None)


def _rules_frozen(edition: Edition) -> bool:
    registration = edition.stages.filter(kind=Stage.Kind.REGISTRATION).first()
    return registration is not None and registration.has_opened()


@login_required
@require_http_methods(["GET", "POST"])
def edition_edit(request: HttpRequest, year: int) -> HttpResponse:
    edition = _edition(request, year)
    frozen = _rules_frozen(edition)
    form = EditionForm(request.POST or None, instance=edition, rules_frozen=frozen)
    if request.method == "POST" and form.is_valid():
        try:
            edition = edition_update(edition=edition, by=request.user, **form.edition_values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Edition saved."))
            return redirect("competitions:edition_detail", year=edition.year)
    return _render_edition_form(request, form, edition)


@login_required
@require_GET
def edition_detail(request: HttpRequest, year: int) -> HttpResponse:
    edition = _edition(request, year)
    return render(
        request,
        "competitions/edition_detail.html",
        {
            **edition_summary(edition=edition),
            "stages": stages_of(edition=edition),
            "groups": edition.groups.all(),
            "categories": edition.categories.all(),
            "problems": edition_announce_problems(edition=edition) if edition.status == Edition.Status.DRAFT else [],
            "history": history_rows(edition_audit(edition=edition)[:AUDIT_TAIL], user=request.user),
        },
    )


@login_required
@require_GET
def edition_audit_view(request: HttpRequest, year: int) -> HttpResponse:
    """The whole audit trail of an edition, with what each record changed: who, when and what."""
    edition = _edition(request, year)
    filters = AuditFilterForm(request.GET or None)
    action = filters.cleaned_data["action"] if filters.is_valid() else ""
    page = Paginator(edition_audit(edition=edition, action=action), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "competitions/edition_audit.html",
        {
            "edition": edition,
            "filters": filters,
            "page": page,
            "history": history_rows(page.object_list, user=request.user),
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edition_stages(request: HttpRequest, year: int) -> HttpResponse:
    edition = _edition(request, year)
    form = StagesForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            stages_save(edition=edition, by=request.user, stages=form.stages())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Stages saved."))
            return redirect("competitions:edition_detail", year=edition.year)
    return render(
        request,
        "competitions/edition_stages.html",
        {"form": form, "edition": edition},
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage_rubric(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    edition = _edition(request, year)
    stage = _scoring_stage(edition, kind)
    frozen = stage.has_opened()
    if request.method == "POST":
        formset = CriterionFormSet(request.POST, prefix="criteria")
        if formset.is_valid():
            try:
                criteria_save(stage=stage, by=request.user, criteria=formset.criteria())
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Rubric saved."))
                return redirect("competitions:edition_detail", year=edition.year)
    else:
        formset = CriterionFormSet(prefix="criteria", initial=criterion_initial(stage))
    return render(
        request,
        "competitions/stage_rubric.html",
        {
            "edition": edition,
            "stage": stage,
            "formset": formset,
            "frozen": frozen,
            "criteria": stage.criteria.order_by("order", "pk"),
        },
        status=422 if formset.is_bound and not formset.is_valid() else 200,
    )


@login_required
@require_POST
def stage_rubric_default(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    edition = _edition(request, year)
    stage = _scoring_stage(edition, kind)
    try:
        criteria_reset_default(stage=stage, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The default rubric is in place."))
    return redirect("competitions:stage_rubric", year=edition.year, kind=stage.kind)


@login_required
@require_POST
def edition_announce_view(request: HttpRequest, year: int) -> HttpResponse:
    edition = _edition(request, year)
    try:
        edition_announce(edition=edition, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Edition announced: operators can enter innovations once registration opens."))
    return redirect("competitions:edition_detail", year=edition.year)


urlpatterns = [
    path("kelola/", edition_list, name="edition_list"),
    path("kelola/baru/", edition_create_view, name="edition_create"),
    path("kelola/<int:year>/", edition_detail, name="edition_detail"),
    path("kelola/<int:year>/ubah/", edition_edit, name="edition_edit"),
    path("kelola/<int:year>/tahapan/", edition_stages, name="edition_stages"),
    path("kelola/<int:year>/umumkan/", edition_announce_view, name="edition_announce"),
    path("kelola/<int:year>/riwayat/", edition_audit_view, name="edition_audit"),
    path("kelola/<int:year>/tahapan/<slug:kind>/rubrik/", stage_rubric, name="stage_rubric"),
    path("kelola/<int:year>/tahapan/<slug:kind>/rubrik/bawaan/", stage_rubric_default, name="stage_rubric_default"),
]
