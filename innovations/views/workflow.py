"""Views: the staff side of innovation records (operators' records, the hub's verification queue)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jipp.permissions import can, ensure_can

from ..forms.workflow import (
    AwardFormSet,
    DecisionForm,
    InnovationFilter,
    InnovationForm,
    QueueFilter,
    ReturnForm,
    SimilarQueryForm,
    award_initial,
    awards_locked,
)
from ..models import Innovation, InvalidTransitionError, State, innovation_field_label
from ..selectors import (
    innovation_changes,
    innovation_events,
    innovation_pending_revision,
    innovation_return_comment,
    innovation_staff_scope,
    innovation_state_counts,
    innovation_versions,
    innovations_in_queue,
    innovations_of_institution,
    innovations_returned,
    innovations_similar,
    queue_count,
    queue_counts_by_region,
)
from ..services.workflow import (
    REQUIRED_FOR_SUBMISSION,
    blanked_field_labels,
    innovation_archive,
    innovation_create,
    innovation_publish,
    innovation_restore,
    innovation_return,
    innovation_revision_start,
    innovation_submit,
    innovation_update,
    revision_blanked_fields,
)

PAGE_SIZE = 20


def _staff_record(request: HttpRequest, slug: str) -> Innovation:
    return get_object_or_404(
        innovation_staff_scope(user=request.user).select_related("institution", "region", "revision_of"), slug=slug
    )


def _checked_form_url(innovation: Innovation) -> str:
    """The record form checked for submission: its error summary lists what sending still needs."""
    return f"{reverse('innovations:edit', kwargs={'slug': innovation.slug})}?check=1"


def _filtered_page(request: HttpRequest, filterset: Any) -> dict[str, Any]:
    """One page of a filtered staff list, and its filters as a query string for the page links."""
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page, "records": page.object_list, "query": query.urlencode()}


@login_required
@require_GET
def innovation_list(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "innovations.view_records")
    filterset = InnovationFilter(request.GET or None, queryset=innovations_of_institution(user=request.user))
    return render(request, "innovations/list.html", _filtered_page(request, filterset))


def _render_form(
    request: HttpRequest,
    form: InnovationForm,
    awards: Any,
    innovation: Innovation | None,
    status: int = 200,
    error_heading: str = "",
) -> HttpResponse:
    title = str(form["title"].value() or "")
    summary = str(form["summary"].value() or "")
    similar = innovations_similar(title=title, summary=summary, exclude_pk=innovation.pk if innovation else None)
    return render(
        request,
        "innovations/form.html",
        {
            "form": form,
            "awards": awards,
            "innovation": innovation,
            "similar": similar,
            "similar_title": title.strip(),
            "error_links": [*form.error_links(), *(awards.error_links() if awards.is_bound else [])],
            "error_heading": error_heading or _("Some fields need your attention; nothing you typed was lost."),
            "essentials": [capfirst(innovation_field_label(name)) for name in (*REQUIRED_FOR_SUBMISSION, "sdgs")],
            "return_comment": innovation_return_comment(innovation=innovation) if innovation else None,
        },
        status=status,
    )


def _save(request: HttpRequest, innovation: Innovation | None) -> HttpResponse:
    """Save what was typed as a draft; with "submit", send it too, or keep the draft and say what is missing."""
    wants_submit = request.POST.get("action") == "submit"
    form = InnovationForm(request.POST, instance=innovation)
    awards = AwardFormSet(request.POST, prefix="awards", locked=awards_locked(innovation))
    if not (form.is_valid() and awards.is_valid()):
        if wants_submit:
            # Show what sending would also need beside what cannot be saved, so one round fixes both.
            form = InnovationForm(request.POST, instance=innovation, for_submission=True)
            form.is_valid()
        return _render_form(request, form, awards, innovation, status=422 if innovation is None else 200)
    values = {
        "fields": form.content_fields(),
        "sdgs": form.cleaned_data["sdgs"],
        "categories": form.cleaned_data["categories"],
        "awards": awards.awards(),
    }
    if innovation is None:
        innovation = innovation_create(by=request.user, **values)
    else:
        innovation = innovation_update(innovation=innovation, by=request.user, **values)
    if not wants_submit:
        messages.success(request, _("Draft saved."))
        if request.POST.get("action") == "save_evidence":
            # "Save draft and add files" on a new record: its edit page now has the evidence panel.
            return redirect(reverse("innovations:edit", kwargs={"slug": innovation.slug}) + "#evidence")
        return redirect("innovations:edit", slug=innovation.slug)
    try:
        innovation_submit(innovation=innovation, by=request.user)
    except InvalidTransitionError as error:
        messages.error(request, error.message)
        return redirect("innovations:edit", slug=innovation.slug)
    except ValidationError:
        # The draft stays saved; the form says what is missing.
        return redirect(_checked_form_url(innovation))
    messages.success(request, _("Sent to the hub for verification."))
    return redirect("innovations:detail", slug=innovation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def innovation_create_view(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "innovations.add_innovation")
    if request.method == "POST":
        return _save(request, None)
    return _render_form(request, InnovationForm(), AwardFormSet(prefix="awards"), None)


@login_required
@require_http_methods(["GET", "POST"])
def innovation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = _staff_record(request, slug)
    if not can(request.user, "innovations.change_innovation", innovation):
        if can(request.user, "innovations.revise_innovation", innovation):
            messages.info(request, _("This record is published: propose a change to edit it."))
            return redirect("innovations:detail", slug=innovation.slug)
        raise PermissionDenied
    if request.method == "POST":
        return _save(request, innovation)
    awards = AwardFormSet(prefix="awards", initial=award_initial(innovation), locked=awards_locked(innovation))
    if request.GET.get("check"):
        form = InnovationForm.checked_for_submission(innovation)
        heading = _("The draft is saved but not sent yet. To send it to the hub, fill in:")
        return _render_form(request, form, awards, innovation, error_heading=heading)
    return _render_form(request, InnovationForm(instance=innovation), awards, innovation)


@login_required
@require_GET
def innovation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = _staff_record(request, slug)
    return render(
        request,
        "innovations/detail.html",
        {
            "innovation": innovation,
            "events": innovation_events(innovation=innovation),
            "return_comment": innovation_return_comment(innovation=innovation),
            "pending_revision": innovation_pending_revision(innovation=innovation),
            "similar": innovations_similar(
                title=innovation.title, summary=innovation.summary, exclude_pk=innovation.pk
            ),
            "sdgs": innovation.sdgs.order_by("number"),
            "categories": innovation.categories.all(),
            "awards": innovation.awards.all(),
            "return_form": ReturnForm(),
            "decision_form": DecisionForm(prefix="decision"),
            "blanked": blanked_field_labels(revision_blanked_fields(revision=innovation)),
        },
    )


@login_required
@require_POST
def innovation_submit_view(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = _staff_record(request, slug)
    try:
        innovation_submit(innovation=innovation, by=request.user)
    except InvalidTransitionError as error:
        messages.error(request, error.message)
    except ValidationError:
        return redirect(_checked_form_url(innovation))
    else:
        messages.success(request, _("Sent to the hub for verification."))
    return redirect("innovations:detail", slug=innovation.slug)


@login_required
@require_POST
def innovation_revise(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = _staff_record(request, slug)
    revision = innovation_revision_start(innovation=innovation, by=request.user)
    messages.info(request, _("The published version stays public until the hub verifies your change."))
    return redirect("innovations:edit", slug=revision.slug)


@login_required
@require_GET
def verification_queue(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "innovations.view_queue")
    filterset = QueueFilter(request.GET or None, queryset=innovations_in_queue(user=request.user))
    return render(
        request,
        "innovations/queue.html",
        {**_filtered_page(request, filterset), "counts": queue_counts_by_region(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def innovation_return_view(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = _staff_record(request, slug)
    ensure_can(request.user, "innovations.verify_innovation", innovation)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            innovation_return(innovation=innovation, by=request.user, comment=form.cleaned_data["comment"])
        except InvalidTransitionError as error:
            messages.error(request, error.message)
        except ValidationError as error:
            form.add_error("comment", error)
        else:
            messages.success(request, _("Returned to the institution with your comment."))
            return redirect("innovations:queue")
    return render(request, "innovations/return.html", {"innovation": innovation, "form": form})


def _decide(request: HttpRequest, slug: str, service: Any, done: str, **options: Any) -> HttpResponse:
    innovation = _staff_record(request, slug)
    form = DecisionForm(request.POST, prefix="decision")
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        innovation = service(innovation=innovation, by=request.user, comment=comment, **options)
    except InvalidTransitionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("innovations:detail", slug=innovation.slug)


@login_required
@require_POST
def innovation_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    confirmed = DecisionForm(request.POST, prefix="decision")["empty_fields"].value()
    return _decide(request, slug, innovation_publish, _("Verified and published."), allow_blanking=bool(confirmed))


@login_required
@require_POST
def innovation_archive_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _decide(request, slug, innovation_archive, _("Archived: the record is no longer public."))


@login_required
@require_POST
def innovation_restore_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _decide(request, slug, innovation_restore, _("Restored: the record is public again."))


@login_required
@require_GET
def innovation_changes_view(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = _staff_record(request, slug)
    ensure_can(request.user, "innovations.verify_innovation", innovation)
    baseline, changes = innovation_changes(innovation=innovation)
    return render(
        request, "innovations/changes.html", {"innovation": innovation, "baseline": baseline, "changes": changes}
    )


@login_required
@require_GET
def innovation_history(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = _staff_record(request, slug)
    ensure_can(request.user, "innovations.view_history", innovation)
    return render(
        request,
        "innovations/history.html",
        {"innovation": innovation, "versions": innovation_versions(innovation=innovation)},
    )


@login_required
@require_GET
def similar_innovations(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "innovations.find_similar")
    query = SimilarQueryForm(request.GET)
    query.is_valid()
    records = innovations_similar(**query.query())
    return render(request, "innovations/_similar.html", {"similar": records})


# How many waiting records the dashboard lists before pointing to the whole queue.
DASHBOARD_QUEUE_SIZE = 5


def dashboard_context(request: HttpRequest) -> dict[str, Any] | None:
    """The dashboard's innovations panel: what needs the user's action, then records per state.

    The selectors are scoped, so each list is simply empty for a role it does not concern; the
    template decides by permission which of them to show.
    """
    if not can(request.user, "innovations.view_records"):
        return None
    counts = innovation_state_counts(user=request.user)
    return {
        "states": [(value, label, counts[value]) for value, label in State.choices],
        "queue": innovations_in_queue(user=request.user)[:DASHBOARD_QUEUE_SIZE],
        "queue_count": queue_count(user=request.user),
        "returned": innovations_returned(user=request.user),
    }


urlpatterns = [
    path("", innovation_list, name="list"),
    path("baru/", innovation_create_view, name="create"),
    path("verifikasi/", verification_queue, name="queue"),
    path("mirip/", similar_innovations, name="similar"),
    path("<slug:slug>/", innovation_detail, name="detail"),
    path("<slug:slug>/ubah/", innovation_edit, name="edit"),
    path("<slug:slug>/kirim/", innovation_submit_view, name="submit"),
    path("<slug:slug>/ajukan-perubahan/", innovation_revise, name="revise"),
    path("<slug:slug>/kembalikan/", innovation_return_view, name="return"),
    path("<slug:slug>/terbitkan/", innovation_publish_view, name="publish"),
    path("<slug:slug>/arsipkan/", innovation_archive_view, name="archive"),
    path("<slug:slug>/pulihkan/", innovation_restore_view, name="restore"),
    path("<slug:slug>/perbandingan/", innovation_changes_view, name="changes"),
    path("<slug:slug>/riwayat/", innovation_history, name="history"),
]
