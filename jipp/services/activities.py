"""Writes of a hub's activities: planning, changing, cancelling, attendance, minutes and attachments.

Every change a calendar shows (time, place, link, title, cancellation) raises the activity's
SEQUENCE, so calendar programs replace the event they imported.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ..models import Activity, ActivityAttachment, ActivityAttendance, Hub, Institution, User
from ..permissions import ensure_can
from ..selectors import hub_member_institution_ids
from ..uploads import checked_upload

CALENDAR_FIELDS = ("title", "description", "starts_at", "ends_at", "mode", "place", "link")


@dataclass(frozen=True)
class ActivityData:
    kind: str
    title: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    mode: str
    place: str
    link: str


@dataclass(frozen=True)
class AttendanceLine:
    attended: bool
    names: str = ""


def _refuse_non_members(hub: Hub, institutions: Iterable[Institution]) -> list[Institution]:
    chosen = list(institutions)
    members = set(hub_member_institution_ids(hub=hub))
    outsiders = [institution for institution in chosen if institution.pk not in members]
    if outsiders:
        raise ValidationError(
            {
                "invited": _("Only member institutions can be invited; not: %(names)s.")
                % {"names": ", ".join(sorted(institution.name for institution in outsiders))}
            }
        )
    return chosen


def _fill(activity: Activity, data: ActivityData) -> None:
    for field, value in vars(data).items():
        setattr(activity, field, value.strip() if isinstance(value, str) else value)
    activity.full_clean(exclude=["hub", "invited", "created_by", "uid", "sequence"])


@transaction.atomic
def activity_create(*, hub: Hub, data: ActivityData, invited: Iterable[Institution], by: User) -> Activity:
    """Plan an activity of `hub` and invite member institutions.

    Raises PermissionDenied unless `by` administers the hub, and ValidationError for a missing place
    (on site) or link (online), an end before the start, or an invited institution that is not a member.
    """
    ensure_can(by, "jipp.manage_hub", hub)
    chosen = _refuse_non_members(hub, invited)
    activity = Activity(hub=hub, created_by=by)
    _fill(activity, data)
    activity.save()
    activity.invited.set(chosen)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: ActivityData, invited: Iterable[Institution], by: User) -> Activity:
    """Change an activity; a change a calendar shows raises its SEQUENCE."""
    ensure_can(by, "jipp.manage_hub", activity)
    activity = Activity.objects.select_for_update().select_related("hub").get(pk=activity.pk)
    chosen = _refuse_non_members(activity.hub, invited)
    before = {field: getattr(activity, field) for field in CALENDAR_FIELDS}
    _fill(activity, data)
    if any(getattr(activity, field) != value for field, value in before.items()):
        activity.sequence = F("sequence") + 1
    activity.save()
    activity.invited.set(chosen)
    activity.refresh_from_db()
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, by: User) -> Activity:
    """Cancel an activity; it stays listed and in the calendars, marked cancelled."""
    ensure_can(by, "jipp.manage_hub", activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.cancelled:
        raise ValidationError(_("This activity is already cancelled."), code="cancelled")
    activity.cancelled = True
    activity.sequence = F("sequence") + 1
    activity.save(update_fields=["cancelled", "sequence", "updated_at"])
    activity.refresh_from_db()
    return activity


@transaction.atomic
def activity_report(
    *, activity: Activity, minutes: str, attendance: Mapping[int, AttendanceLine], by: User
) -> Activity:
    """Record the minutes and, per institution id, who attended. Institutions not in `attendance`
    keep what was recorded; an institution must be invited or a member of the hub."""
    ensure_can(by, "jipp.manage_hub", activity)
    activity = Activity.objects.select_for_update().select_related("hub").get(pk=activity.pk)
    allowed = set(hub_member_institution_ids(hub=activity.hub)) | set(activity.invited.values_list("pk", flat=True))
    unknown = set(attendance) - allowed
    if unknown:
        raise ValidationError(_("Attendance can only be recorded for member institutions."), code="not_member")
    activity.minutes = minutes.strip()
    activity.save(update_fields=["minutes", "updated_at"])
    for institution_id, line in attendance.items():
        ActivityAttendance.objects.update_or_create(
            activity=activity,
            institution_id=institution_id,
            defaults={"attended": line.attended, "names": line.names.strip()},
        )
    return activity


@transaction.atomic
def activity_attachment_add(*, activity: Activity, upload: File, caption: str = "", by: User) -> ActivityAttachment:
    """Keep a file of the activity (slides, signed minutes, photos): PDF, Office document or photo.

    Raises ValidationError for a file too large or of another type; nothing is stored then.
    """
    ensure_can(by, "jipp.manage_hub", activity)
    stored_type = checked_upload(upload)
    original_name = (upload.name or "").rsplit("/", 1)[-1][:255]
    attachment = ActivityAttachment(
        activity=activity,
        caption=caption.strip(),
        original_name=original_name,
        content_type=stored_type.content_type,
        size=upload.size or 0,
        uploaded_by=by,
    )
    # The stored name comes from the detected type, never from the uploader's name.
    attachment.file.save(f"upload.{stored_type.extension}", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def activity_attachment_delete(*, attachment: ActivityAttachment, by: User) -> None:
    ensure_can(by, "jipp.manage_hub", attachment.activity)
    file_name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(file_name))
