"""What a hub does with its members: coaching, study visits, replication clinics, webinars.

- Activity: one event of a hub with its date and time, mode (online, on site or both), place or
  link, the member institutions invited, and afterwards its minutes. Its `uid` and `sequence` are
  the calendar identity (RFC 5545 UID and SEQUENCE): calendar programs update the event they
  imported from the ICS file instead of adding a second one. A cancelled activity stays, marked.
- ActivityAttendance: whether an invited (or walk-in) institution attended, and who came.
- ActivityAttachment: a file of the activity (slides, minutes, photos), stored under a generated
  name; the uploader's file name is kept only as metadata.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .hub import Hub
from .network import Institution, TimeStampedModel


class Activity(TimeStampedModel):
    class Kind(models.TextChoices):
        COACHING = "coaching", _("Coaching (pembinaan)")
        STUDY_VISIT = "study_visit", _("Study visit")
        REPLICATION_CLINIC = "replication_clinic", _("Replication clinic")
        WEBINAR = "webinar", _("Webinar")

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        ON_SITE = "on_site", _("On site")
        HYBRID = "hybrid", _("On site and online")

    hub = models.ForeignKey(Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    invited = models.ManyToManyField(
        Institution, verbose_name=_("invited institutions"), blank=True, related_name="invited_activities"
    )
    minutes = models.TextField(_("minutes"), blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["hub", "starts_at"], name="activity_hub_starts_at")]
        constraints = [
            models.CheckConstraint(name="activity_ends_after_start", condition=Q(ends_at__gte=F("starts_at"))),
            models.CheckConstraint(
                name="activity_kind_valid",
                condition=Q(kind__in=["coaching", "study_visit", "replication_clinic", "webinar"]),
            ),
            models.CheckConstraint(name="activity_mode_valid", condition=Q(mode__in=["online", "on_site", "hybrid"])),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Not a database constraint: a webinar is often announced before its link exists, but a form
        # must still say what is missing.
        errors = {}
        if self.mode in (self.Mode.ON_SITE, self.Mode.HYBRID) and not self.place.strip():
            errors["place"] = _("Give the place of an activity held on site.")
        if self.mode in (self.Mode.ONLINE, self.Mode.HYBRID) and not self.link.strip():
            errors["link"] = _("Give the link of an online activity.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The end must not be before the start.")
        if errors:
            raise ValidationError(errors)


class ActivityAttendance(TimeStampedModel):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendance"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="activity_attendance"
    )
    attended = models.BooleanField(_("attended"), default=False)
    names = models.TextField(_("names of those present"), blank=True, help_text=_("One name a line."))

    class Meta:
        ordering = ["institution__region__bps_code", "institution__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "institution"], name="attendance_once_per_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} @ {self.activity}"


def activity_attachment_upload_to(instance: ActivityAttachment, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"activities/{uuid.uuid4().hex}{suffix}"


class ActivityAttachment(TimeStampedModel):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=activity_attachment_upload_to, max_length=200)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.caption or self.original_name
