"""Views: replications between institutions, and the yearly sustainability reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from jipp.permissions import can, ensure_can
from jipp.uploads import limit_upload_size

from ..forms.replication import (
    AgreementForm,
    DecisionNoteForm,
    ImplementForm,
    RejectForm,
    ReplicationFilterForm,
    ReplicationRequestForm,
)
from ..forms.sustainability import SustainabilityForm
from ..models import InvalidTransitionError, Replication
from ..selectors import (
    innovation_staff_scope,
    innovations_published,
    open_replication,
    replica_candidates,
    replication_actions,
    replications_filtered,
    replications_visible_to,
    sustainability_history,
)
from ..services.replication import (
    agreement_document_type,
    agreement_max_bytes,
    replication_approve,
    replication_attach_agreement,
    replication_implement,
    replication_reject,
    replication_request,
)
from ..services.sustainability import sustainability_report

PAGE_SIZE = 25


def _ensure_network_member(request: HttpRequest) -> None:
    # Only operators (with an institution) and hub administrators take part in replications.
    if not can(request.user, "innovations.view_replications"):
        raise PermissionDenied


@login_required
def replication_list(request: HttpRequest) -> HttpResponse:
    _ensure_network_member(request)
    is_hub = can(request.user, "innovations.view_queue")
    filters = ReplicationFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    replications = replications_filtered(
        user=request.user, status=chosen.get("status", ""), regency=chosen.get("regency")
    )
    context: dict = {"filters": filters, "is_hub": is_hub}
    if is_hub:
        context["page"] = Paginator(replications, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        institution_id = request.user.institution_id
        context["incoming"] = replications.filter(origin__institution_id=institution_id)[:200]
        context["outgoing"] = replications.filter(institution_id=institution_id)[:200]
    return render(request, "innovations/replication/list.html", context)


@login_required
def replication_create(request: HttpRequest, slug: str) -> HttpResponse:
    origin = get_object_or_404(innovations_published().select_related("institution__region"), slug=slug)
    if not can(request.user, "innovations.request_replication", origin):
        raise PermissionDenied
    existing = open_replication(origin=origin, user=request.user)
    if existing is not None and request.method == "GET":
        messages.info(request, _("Your institution already replicates this innovation: here is where it stands."))
        return redirect("innovations:replication_detail", pk=existing.pk)
    form = ReplicationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            replication = replication_request(origin=origin, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your institution's interest in replicating this innovation is recorded."))
            return redirect("innovations:replication_detail", pk=replication.pk)
    return render(request, "innovations/replication/create.html", {"origin": origin, "form": form})


def _visible_replication(request: HttpRequest, pk: int) -> Replication:
    return get_object_or_404(replications_visible_to(user=request.user), pk=pk)


def _detail_context(request: HttpRequest, replication: Replication, **forms) -> dict:
    actions = replication_actions(replication=replication, user=request.user)
    context = {
        "replication": replication,
        "events": replication.events.select_related("actor"),
        "actions": actions,
        "agreement_form": AgreementForm(),
        "approve_form": DecisionNoteForm(),
        "reject_form": RejectForm(),
        "implement_form": ImplementForm(candidates=replica_candidates(replication=replication))
        if "implement" in actions
        else None,
    }
    context.update(forms)
    return context


@login_required
def replication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_network_member(request)
    replication = _visible_replication(request, pk)
    return render(request, "innovations/replication/detail.html", _detail_context(request, replication))


def _step_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _ensure_network_member(request)
    replication = _visible_replication(request, pk)
    if action == "attach_agreement":
        form = AgreementForm(request.POST, request.FILES)
        context_key = "agreement_form"
    elif action == "approve":
        form = DecisionNoteForm(request.POST)
        context_key = "approve_form"
    elif action == "reject":
        form = RejectForm(request.POST)
        context_key = "reject_form"
    else:
        form = ImplementForm(request.POST, candidates=replica_candidates(replication=replication))
        context_key = "implement_form"
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "attach_agreement":
                replication_attach_agreement(
                    replication=replication, by=request.user, document=data["document"], note=data["note"]
                )
            elif action == "approve":
                replication_approve(replication=replication, by=request.user, note=data["note"])
            elif action == "reject":
                replication_reject(replication=replication, by=request.user, reason=data["reason"])
            else:
                replication_implement(
                    replication=replication, by=request.user, replica=data["replica"], note=data["note"]
                )
        except InvalidTransitionError as error:
            # Somebody else took a step meanwhile: the page shows where it now stands.
            messages.error(request, error.message)
            return redirect("innovations:replication_detail", pk=replication.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The replication is updated."))
            return redirect("innovations:replication_detail", pk=replication.pk)
    context = _detail_context(request, replication, **{context_key: form})
    return render(request, "innovations/replication/detail.html", context, status=400)


@csrf_exempt
@login_required
@require_POST
def replication_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    # The size limit must be in place before the body is parsed, so the CSRF check (which reads the
    # body) runs in csrf_protect below instead of in the middleware.
    limit_upload_size(request, limit=agreement_max_bytes())
    return csrf_protect(_step_view)(request, pk, "attach_agreement")


@login_required
@require_POST
def replication_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_view(request, pk, "approve")


@login_required
@require_POST
def replication_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_view(request, pk, "reject")


@login_required
@require_POST
def replication_implement_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_view(request, pk, "implement")


@login_required
def replication_document(request: HttpRequest, pk: int) -> FileResponse:
    """The agreement, for the two institutions and the hub only (never served from MEDIA_URL)."""
    _ensure_network_member(request)
    replication = _visible_replication(request, pk)
    if not replication.agreement_document:
        raise Http404
    handle = replication.agreement_document.open("rb")
    # Named and typed by the content, whatever the stored name says (older uploads kept the
    # uploader's extension).
    detected = agreement_document_type(handle)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"kesepakatan-replikasi-{replication.pk}.{detected.extension if detected else 'bin'}",
        content_type=detected.content_type if detected else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def sustainability_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The yearly reports of one record; the owner and the hub add or correct a year's report here."""
    ensure_can(request.user, "innovations.view_sustainability")
    innovation = get_object_or_404(
        innovation_staff_scope(user=request.user).filter(revision_of__isnull=True), slug=slug
    )
    may_report = can(request.user, "innovations.report_sustainability", innovation)
    if request.method == "POST" and not may_report:
        raise PermissionDenied
    initial = {}
    year = request.GET.get("year", "")
    # ASCII digits only: "²".isdigit() is true, yet int() refuses it.
    if year.isascii() and year.isdigit() and len(year) <= 4:
        # "Edit" of a year's report: the form starts from what was reported.
        existing = sustainability_history(innovation=innovation).filter(year=int(year)).first()
        if existing is not None:
            initial = {"year": existing.year, "status": existing.status, "reason": existing.reason}
    form = SustainabilityForm(request.POST or None, initial=initial) if may_report else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            sustainability_report(innovation=innovation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The sustainability report is saved."))
            return redirect("innovations:sustainability", slug=innovation.slug)
    return render(
        request,
        "innovations/sustainability/page.html",
        {
            "innovation": innovation,
            "updates": sustainability_history(innovation=innovation),
            "form": form,
            "may_report": may_report,
        },
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("replikasi/", replication_list, name="replication_list"),
    path("replikasi/baru/<slug:slug>/", replication_create, name="replication_create"),
    path("replikasi/<int:pk>/", replication_detail, name="replication_detail"),
    path("replikasi/<int:pk>/kesepakatan/", replication_agreement, name="replication_agreement"),
    path("replikasi/<int:pk>/setujui/", replication_approve_view, name="replication_approve"),
    path("replikasi/<int:pk>/tolak/", replication_reject_view, name="replication_reject"),
    path("replikasi/<int:pk>/terapkan/", replication_implement_view, name="replication_implement"),
    path("replikasi/<int:pk>/dokumen/", replication_document, name="replication_document"),
    path("keberlanjutan/<slug:slug>/", sustainability_page, name="sustainability"),
]
