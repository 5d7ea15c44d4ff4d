"""Views: the hub administrator's notices: writing, previewing, sending or scheduling, and the
delivery dashboard (live progress per regency, retrying failed deliveries, CSV export)."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..downloads import csv_download, safe_cell
from ..forms.notices import HubNoticeSettingsForm, NoticeForm, PreviewForm, SendForm
from ..markup import markdown_html
from ..models import Delivery, Hub, HubSettings, Institution, Notice, NoticeAttachment
from ..selectors import (
    hub_member_institution_ids,
    hub_notices,
    hubs_administered,
    notice_addresses,
    notice_audience,
    notice_deliveries,
    notice_of,
    notice_progress,
    regencies,
)
from ..services.audit import Action, audit_record
from ..services.deliveries import deliveries_retry_failed, delivery_message, delivery_preview_body
from ..services.notices import (
    NOTICE_TEMPLATES,
    notice_attachment_delete,
    notice_create,
    notice_schedule,
    notice_send,
    notice_unschedule,
    notice_update,
)
from ..tasks import enqueue_deliveries
from ..uploads import download_name
from .hub import apply_errors, managed_hub

PAGE_SIZE = 50


def _notice(hub: Hub, pk: int) -> Notice:
    try:
        return notice_of(hub=hub, pk=pk)
    except Notice.DoesNotExist:
        raise Http404 from None


def _members(hub: Hub):  # type: ignore[no-untyped-def]
    return (
        Institution.objects.filter(pk__in=hub_member_institution_ids(hub=hub))
        .select_related("region")
        .order_by("region__bps_code", "name")
    )


@login_required
def notice_index(request: HttpRequest) -> HttpResponse:
    """The menu's entry: the notices of the hub the user administers (or a choice of hubs)."""
    hubs = list(hubs_administered(user=request.user).order_by("name"))
    if not hubs:
        raise PermissionDenied
    if len(hubs) == 1:
        return redirect("jipp:notice_list", slug=hubs[0].slug)
    return render(request, "jipp/notices/index.html", {"hubs": hubs})


@login_required
def notice_list(request: HttpRequest, slug: str) -> HttpResponse:
    hub = managed_hub(request, slug)
    notices = list(hub_notices(hub=hub)[:PAGE_SIZE])
    return render(request, "jipp/notices/list.html", {"hub": hub, "notices": notices})


def _notice_form(request: HttpRequest, hub: Hub, **kwargs):  # type: ignore[no-untyped-def]
    return NoticeForm(request.POST or None, request.FILES or None, members=_members(hub), regions=regencies(), **kwargs)


@login_required
def notice_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    hub = managed_hub(request, slug)
    initial = {}
    template = NOTICE_TEMPLATES.get(request.GET.get("template", ""))
    if template is not None:
        initial = {
            "kind": request.GET["template"],
            "subject": str(template.subject),
            "body": str(template.body),
            "link_title": str(template.link_title),
        }
    form = _notice_form(request, hub, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice = notice_create(
                hub=hub, data=form.notice_data(), attachments=form.cleaned_data["attachments"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The notice is saved as a draft. Check the preview, then send it."))
            return redirect("jipp:notice_detail", slug=hub.slug, pk=notice.pk)
    return render(
        request,
        "jipp/notices/form.html",
        {"hub": hub, "form": form, "templates": NOTICE_TEMPLATES, "kinds": dict(Notice.Kind.choices)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def notice_edit_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    notice = _notice(hub, pk)
    if notice.status not in (Notice.Status.DRAFT, Notice.Status.SCHEDULED):
        messages.error(request, _("This notice has been sent; it can no longer be changed."))
        return redirect("jipp:notice_detail", slug=hub.slug, pk=notice.pk)
    form = _notice_form(request, hub, initial=NoticeForm.initial_for(notice))
    if request.method == "POST" and form.is_valid():
        try:
            notice_update(
                notice=notice, data=form.notice_data(), attachments=form.cleaned_data["attachments"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The notice is saved."))
            return redirect("jipp:notice_detail", slug=hub.slug, pk=notice.pk)
    return render(
        request,
        "jipp/notices/form.html",
        {"hub": hub, "form": form, "notice": notice, "attachments": notice.attachments.all()},
        status=400 if request.method == "POST" else 200,
    )


def _preview(notice: Notice, institution: Institution | None) -> dict[str, object] | None:
    """The copy `institution` (the first recipient by default) would get: its first e-mail, or its
    inbox copy when it has no address."""
    audience = notice_audience(notice=notice)
    institution = institution or audience.first()
    if institution is None:
        return None
    addresses = notice_addresses(hub=notice.hub, institution_ids=[institution.pk])[institution.pk]
    first = addresses[0] if addresses else None
    delivery = Delivery(
        notice=notice,
        institution=institution,
        contact=first.contact if first else None,
        channel=Delivery.Channel.EMAIL if first else Delivery.Channel.INBOX,
        address=first.email if first else "",
    )
    return {
        "institution": institution,
        "addresses": addresses,
        "message": delivery_message(delivery=delivery),
        "body": delivery_preview_body(delivery=delivery),
    }


@login_required
@require_GET
def notice_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A draft or scheduled notice: its preview and the send form; a sent one: its delivery dashboard."""
    hub = managed_hub(request, slug)
    notice = _notice(hub, pk)
    context: dict[str, object] = {"hub": hub, "notice": notice, "attachments": list(notice.attachments.all())}
    if notice.status in (Notice.Status.DRAFT, Notice.Status.SCHEDULED):
        audience = notice_audience(notice=notice)
        preview_form = PreviewForm(request.GET or None, audience=audience)
        chosen = preview_form.cleaned_data.get("institution") if preview_form.is_valid() else None
        context |= {
            "recipient_count": audience.count(),
            "preview_form": preview_form,
            "preview": _preview(notice, chosen),
            "send_form": SendForm(),
        }
        return render(request, "jipp/notices/draft.html", context)
    state = request.GET.get("state", "")
    deliveries = notice_deliveries(notice=notice)
    if state in Delivery.State.values:
        deliveries = deliveries.filter(state=state)
    context |= {
        "body_html": markdown_html(notice.body),
        "progress": notice_progress(notice=notice),
        "page": Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page")),
        "state": state,
        "states": Delivery.State.choices,
    }
    return render(request, "jipp/notices/dashboard.html", context)


@login_required
@require_GET
def notice_progress_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The dashboard's live part, polled by htmx while deliveries are queued or being sent."""
    hub = managed_hub(request, slug)
    notice = _notice(hub, pk)
    return render(
        request,
        "jipp/notices/_progress.html",
        {"hub": hub, "notice": notice, "progress": notice_progress(notice=notice)},
    )


@login_required
@require_POST
def notice_send_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    notice = _notice(hub, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("jipp:notice_detail", slug=hub.slug, pk=notice.pk)
    try:
        if form.cleaned_data["when"] == "later":
            notice = notice_schedule(notice=notice, at=form.cleaned_data["scheduled_at"], by=request.user)
            when = date_format(timezone.localtime(notice.scheduled_at), "DATETIME_FORMAT")
            messages.success(request, _("The notice will be sent at %(when)s.") % {"when": when})
        else:
            notice = notice_send(notice=notice, by=request.user)
            messages.success(request, _("The notice is being sent. This page shows its progress."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("jipp:notice_detail", slug=hub.slug, pk=notice.pk)


@login_required
@require_POST
def notice_unschedule_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    notice = _notice(hub, pk)
    try:
        notice_unschedule(notice=notice, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The notice is a draft again; it will not be sent until you send it."))
    return redirect("jipp:notice_detail", slug=hub.slug, pk=notice.pk)


@login_required
@require_POST
def notice_retry_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    notice = _notice(hub, pk)
    ids = deliveries_retry_failed(notice=notice, by=request.user)
    enqueue_deliveries(ids)
    if ids:
        messages.success(request, _("%(count)s failed deliveries are being sent again.") % {"count": len(ids)})
    else:
        messages.info(request, _("No delivery has failed."))
    return redirect("jipp:notice_detail", slug=hub.slug, pk=notice.pk)


@login_required
@require_GET
def notice_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    notice = _notice(hub, pk)
    response, writer = csv_download(request, f"pengiriman-{notice.pk}.csv")
    audit_record(action=Action.EXPORT, by=request.user, target=notice, data={"file": f"pengiriman-{notice.pk}.csv"})
    writer.writerow(
        [
            _("Regency"),
            _("Institution"),
            _("Channel"),
            _("Address"),
            _("Contact"),
            _("State"),
            _("Attempts"),
            _("Error"),
            _("Sent at"),
            _("Acknowledged at"),
            _("Acknowledged by"),
            _("Reminders"),
        ]
    )

    def moment(value: object) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""  # type: ignore[arg-type]

    for delivery in notice_deliveries(notice=notice).iterator(chunk_size=1000):
        by = delivery.acknowledged_by
        row = [
            delivery.institution.region.name if delivery.institution.region else "",
            delivery.institution.name,
            delivery.get_channel_display(),
            delivery.address,
            delivery.contact.name if delivery.contact else "",
            delivery.get_state_display(),
            delivery.attempts,
            delivery.last_error,
            moment(delivery.sent_at),
            moment(delivery.acknowledged_at),
            (by.get_full_name() or by.username) if by else "",
            delivery.reminders_sent,
        ]
        writer.writerow([safe_cell(value) for value in row])
    return response


@login_required
@require_GET
def notice_attachment(request: HttpRequest, slug: str, pk: int, attachment: int) -> FileResponse:
    hub = managed_hub(request, slug)
    notice = _notice(hub, pk)
    try:
        stored = notice.attachments.get(pk=attachment)
    except NoticeAttachment.DoesNotExist:
        raise Http404 from None
    return attachment_response(stored)


def attachment_response(attachment: NoticeAttachment) -> FileResponse:
    """The file as a download under its original name, with the type read from its content."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        # The stored name carries the detected type's extension.
        filename=download_name(
            attachment.original_name, PurePosixPath(attachment.file.name).suffix, fallback="lampiran"
        ),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def notice_attachment_delete_view(request: HttpRequest, slug: str, pk: int, attachment: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    notice = _notice(hub, pk)
    try:
        stored = notice.attachments.get(pk=attachment)
    except NoticeAttachment.DoesNotExist:
        raise Http404 from None
    try:
        notice_attachment_delete(attachment=stored, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": stored.original_name})
    return redirect("jipp:notice_edit", slug=hub.slug, pk=notice.pk)


@login_required
def notice_settings_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The hub's automatic notices: on publication (each, a daily digest, or none) and reminders."""
    hub = managed_hub(request, slug)
    instance, _created = HubSettings.objects.get_or_create(hub=hub)
    form = HubNoticeSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The notice settings are saved."))
        return redirect("jipp:notice_list", slug=hub.slug)
    return render(
        request,
        "jipp/notices/settings.html",
        {"hub": hub, "form": form},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("pemberitahuan/", notice_index, name="notice_index"),
    path("<slug:slug>/kelola/pemberitahuan/", notice_list, name="notice_list"),
    path("<slug:slug>/kelola/pemberitahuan/baru/", notice_create_view, name="notice_create"),
    path("<slug:slug>/kelola/pemberitahuan/pengaturan/", notice_settings_view, name="notice_settings"),
    path("<slug:slug>/kelola/pemberitahuan/<int:pk>/", notice_detail, name="notice_detail"),
    path("<slug:slug>/kelola/pemberitahuan/<int:pk>/ubah/", notice_edit_view, name="notice_edit"),
    path("<slug:slug>/kelola/pemberitahuan/<int:pk>/kirim/", notice_send_view, name="notice_send"),
    path("<slug:slug>/kelola/pemberitahuan/<int:pk>/batal-jadwal/", notice_unschedule_view, name="notice_unschedule"),
    path("<slug:slug>/kelola/pemberitahuan/<int:pk>/progres/", notice_progress_view, name="notice_progress"),
    path("<slug:slug>/kelola/pemberitahuan/<int:pk>/ulangi/", notice_retry_view, name="notice_retry"),
    path("<slug:slug>/kelola/pemberitahuan/<int:pk>/pengiriman.csv", notice_export, name="notice_export"),
    path(
        "<slug:slug>/kelola/pemberitahuan/<int:pk>/lampiran/<int:attachment>/",
        notice_attachment,
        name="notice_attachment",
    ),
    path(
        "<slug:slug>/kelola/pemberitahuan/<int:pk>/lampiran/<int:attachment>/hapus/",
        notice_attachment_delete_view,
        name="notice_attachment_delete",
    ),
]
