"""Views: a hub's activities, publicly and for its administrators, with their calendar files."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..calendars import activities_calendar
from ..forms.activities import ActivityForm, AttachmentForm, ReportForm
from ..models import Activity, ActivityAttachment, Hub, Institution
from ..permissions import can
from ..selectors import activities_past, activities_upcoming, activity_of, hub_member_institution_ids
from ..services.activities import (
    ActivityData,
    AttendanceLine,
    activity_attachment_add,
    activity_attachment_delete,
    activity_cancel,
    activity_create,
    activity_report,
    activity_update,
)
from ..uploads import download_name
from .hub import apply_errors, hub_for, managed_hub

FEED_LIMIT = 200


def _activity(hub: Hub, pk: int) -> Activity:
    try:
        return activity_of(hub=hub, pk=pk)
    except Activity.DoesNotExist:
        raise Http404 from None


def activity_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Public: what, when and where. Invited members and administrators also get the link,
    attendance, minutes and attachments."""
    hub = hub_for(request, slug)
    activity = _activity(hub, pk)
    details = can(request.user, "jipp.view_activity_details", activity)
    context = {
        "hub": hub,
        "activity": activity,
        "details": details,
        "can_manage": can(request.user, "jipp.manage_hub", hub),
        "invited": activity.invited.select_related("region").order_by("region__bps_code", "name"),
    }
    if details:
        context["attendance"] = activity.attendance.select_related("institution__region")
        context["attachments"] = activity.attachments.all()
    return render(request, "jipp/hub/activity_detail.html", context)


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def activity_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = hub_for(request, slug)
    activity = _activity(hub, pk)
    content = activities_calendar(
        activities=[
            (
                activity,
                request.build_absolute_uri(activity_url(hub, activity)),
                can(request.user, "jipp.view_activity_details", activity),
            )
        ],
        name=hub.name,
    )
    return _calendar_response(content, f"kegiatan-{activity.pk}.ics")


@require_GET
def activity_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """Upcoming activities as a calendar to subscribe to. Calendar programs fetch it without signing
    in, so links appear only for a signed-in invited member downloading it."""
    hub = hub_for(request, slug)
    upcoming = activities_upcoming(hub=hub)[:FEED_LIMIT]
    content = activities_calendar(
        activities=[
            (
                activity,
                request.build_absolute_uri(activity_url(hub, activity)),
                can(request.user, "jipp.view_activity_details", activity),
            )
            for activity in upcoming
        ],
        name=hub.name,
    )
    return _calendar_response(content, f"{hub.slug}.ics")


def activity_url(hub: Hub, activity: Activity) -> str:
    return reverse("jipp:activity_detail", kwargs={"slug": hub.slug, "pk": activity.pk})


@login_required
def activity_attachment(request: HttpRequest, slug: str, pk: int, attachment: int) -> FileResponse:
    hub = hub_for(request, slug)
    activity = _activity(hub, pk)
    if not can(request.user, "jipp.view_activity_details", activity):
        raise PermissionDenied
    stored = get_object_or_404(activity.attachments, pk=attachment)
    # The stored name carries the detected type's extension.
    filename = download_name(stored.original_name, PurePosixPath(stored.file.name).suffix, fallback="lampiran")
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=filename, content_type=stored.content_type)


# The hub administrator's pages ---------------------------------------------------------------------


def _members(hub: Hub):  # type: ignore[no-untyped-def]
    return (
        Institution.objects.filter(pk__in=hub_member_institution_ids(hub=hub))
        .select_related("region")
        .order_by("region__bps_code", "name")
    )


def _data(form: ActivityForm) -> ActivityData:
    fields = ("kind", "title", "description", "starts_at", "ends_at", "mode", "place", "link")
    return ActivityData(**{field: form.cleaned_data[field] for field in fields})


@login_required
def activity_manage_list(request: HttpRequest, slug: str) -> HttpResponse:
    hub = managed_hub(request, slug)
    return render(
        request,
        "jipp/hub/activity_manage_list.html",
        {
            "hub": hub,
            "upcoming": activities_upcoming(hub=hub).prefetch_related("invited"),
            "past": activities_past(hub=hub, limit=100).prefetch_related("attendance"),
        },
    )


@login_required
def activity_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    hub = managed_hub(request, slug)
    form = ActivityForm(request.POST or None, members=_members(hub))
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(hub=hub, data=_data(form), invited=form.cleaned_data["invited"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The activity was planned."))
            return redirect("jipp:activity_detail", slug=hub.slug, pk=activity.pk)
    return render(request, "jipp/hub/activity_form.html", {"hub": hub, "form": form})


@login_required
def activity_edit_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    activity = _activity(hub, pk)
    initial = {
        field: getattr(activity, field)
        for field in ("kind", "title", "description", "starts_at", "ends_at", "mode", "place", "link")
    }
    initial["invited"] = list(activity.invited.all())
    form = ActivityForm(request.POST or None, members=_members(hub), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(activity=activity, data=_data(form), invited=form.cleaned_data["invited"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The activity was changed."))
            return redirect("jipp:activity_detail", slug=hub.slug, pk=activity.pk)
    return render(request, "jipp/hub/activity_form.html", {"hub": hub, "form": form, "activity": activity})


@login_required
@require_POST
def activity_cancel_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    activity = _activity(hub, pk)
    try:
        activity_cancel(activity=activity, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The activity was cancelled."))
    return redirect("jipp:activity_detail", slug=hub.slug, pk=activity.pk)


@login_required
def activity_report_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Attendance and minutes, with the attachments."""
    hub = managed_hub(request, slug)
    activity = _activity(hub, pk)
    recorded = {line.institution_id: line for line in activity.attendance.all()}
    invited = list(activity.invited.select_related("region").order_by("region__bps_code", "name"))
    others = [
        institution
        for institution in Institution.objects.filter(pk__in=recorded).select_related("region")
        if institution not in invited
    ]
    form = ReportForm(
        request.POST or None, institutions=invited + others, recorded=recorded, initial={"minutes": activity.minutes}
    )
    if request.method == "POST" and form.is_valid():
        attendance = {
            institution.pk: AttendanceLine(
                attended=form.cleaned_data[f"attended_{institution.pk}"],
                names=form.cleaned_data[f"names_{institution.pk}"],
            )
            for institution in form.institutions
        }
        try:
            activity_report(
                activity=activity, minutes=form.cleaned_data["minutes"], attendance=attendance, by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The attendance and minutes were saved."))
            return redirect("jipp:activity_report", slug=hub.slug, pk=activity.pk)
    return render(
        request,
        "jipp/hub/activity_report.html",
        {
            "hub": hub,
            "activity": activity,
            "form": form,
            "attachment_form": AttachmentForm(),
            "attachments": activity.attachments.all(),
        },
    )


@login_required
@require_POST
def activity_attachment_add_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    activity = _activity(hub, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            activity_attachment_add(
                activity=activity,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file was added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("jipp:activity_report", slug=hub.slug, pk=activity.pk)


@login_required
@require_POST
def activity_attachment_delete_view(request: HttpRequest, slug: str, pk: int, attachment: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    activity = _activity(hub, pk)
    stored: ActivityAttachment = get_object_or_404(activity.attachments, pk=attachment)
    activity_attachment_delete(attachment=stored, by=request.user)
    messages.success(request, _("The file was removed."))
    return redirect("jipp:activity_report", slug=hub.slug, pk=activity.pk)
