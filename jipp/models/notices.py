"""Dissemination notices of a hub to its members, and their delivery.

- Notice: what a hub administrator writes (or an upper app has written through jipp's services):
  subject, Markdown body (rendered sanitised), an optional link with its title, its kind (which
  template it started from), and whom it goes to: all active members, the members in some regencies,
  the members of some institution kinds, or hand-picked institutions (`audience` with
  `audience_regions`, `audience_kinds` or `audience_institutions`). A draft until sent now or
  scheduled; `sending` while its deliveries are written and go out; `sent` once all were handed to
  their channels. `source_key` makes automatic notices idempotent: one notice per hub and source
  (e.g. "innovation-published:42", "kipp-results:2025").
- NoticeAttachment: a file sent with the notice (a link in the e-mail, a download in the inbox).
- NoticeRecipient: an institution the notice went to, frozen when it was sent, so the dashboard
  lists every recipient (also one without any address) and later membership changes do not alter
  who received it.
- Delivery: the outbox. One row per recipient institution, channel and address, written in the
  transaction that sends the notice; Celery delivers it after commit. `e-mail` deliveries go to a
  contact's address (or the institution's own notice address, `contact` empty); an `inbox`
  delivery (address empty) shows the notice to the institution's users. States: queued -> sending ->
  sent or failed (`last_error`), and acknowledged when the recipient confirms receipt. `attempts`,
  `next_attempt_at` (back-off), `enqueued_at` and `claimed_at` let a sweeper find deliveries stuck
  in queued or sending; `message_id` is the e-mail's Message-ID. Never sent twice: the unique key
  (notice, institution, channel, address) and the claim on the row.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .hub import Hub, MembershipContact
from .network import Institution, Region, TimeStampedModel


class Notice(TimeStampedModel):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General notice")
        BEST_PRACTICE = "best_practice", _("New best practice published")
        KIPP_CALL = "kipp_call", _("KIPP call opened")
        COACHING_INVITATION = "coaching_invitation", _("Coaching invitation")
        KIPP_RESULTS = "kipp_results", _("KIPP results")
        DIGEST = "digest", _("Daily digest of publications")

    class Audience(models.TextChoices):
        ALL_MEMBERS = "all_members", _("All members")
        REGENCIES = "regencies", _("Members in some regencies")
        KINDS = "kinds", _("Members of some institution kinds")
        INSTITUTIONS = "institutions", _("Hand-picked institutions")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    hub = models.ForeignKey(Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.GENERAL)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), help_text=_("Markdown: **bold**, *italic*, lists, links."))
    link_title = models.CharField(_("link title"), max_length=200, blank=True)
    link_url = models.URLField(_("link"), max_length=500, blank=True)
    audience = models.CharField(_("recipients"), max_length=16, choices=Audience.choices, default=Audience.ALL_MEMBERS)
    audience_regions = models.ManyToManyField(Region, verbose_name=_("regencies"), blank=True, related_name="+")
    audience_kinds = models.JSONField(_("institution kinds"), default=list, blank=True)
    audience_institutions = models.ManyToManyField(
        Institution, verbose_name=_("institutions"), blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    source_key = models.CharField(max_length=120, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["status", "scheduled_at"], name="notice_status_scheduled")]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "source_key"], condition=~Q(source_key=""), name="notice_once_per_source"
            ),
            models.CheckConstraint(
                name="notice_scheduled_has_time", condition=~Q(status="scheduled") | Q(scheduled_at__isnull=False)
            ),
            models.CheckConstraint(name="notice_sent_has_time", condition=~Q(status="sent") | Q(sent_at__isnull=False)),
            models.CheckConstraint(
                name="notice_status_valid", condition=Q(status__in=["draft", "scheduled", "sending", "sent"])
            ),
            models.CheckConstraint(
                name="notice_audience_valid",
                condition=Q(audience__in=["all_members", "regencies", "kinds", "institutions"]),
            ),
            models.CheckConstraint(name="notice_link_has_title", condition=Q(link_url="") | ~Q(link_title="")),
        ]

    def __str__(self) -> str:
        return self.subject


def notice_attachment_upload_to(instance: NoticeAttachment, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"notices/{uuid.uuid4().hex}{suffix}"


class NoticeAttachment(TimeStampedModel):
    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=notice_attachment_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")

    def __str__(self) -> str:
        return self.original_name


class NoticeRecipient(models.Model):
    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="recipients")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="notices_received"
    )

    class Meta:
        ordering = ["institution__region__bps_code", "institution__name"]
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        constraints = [
            models.UniqueConstraint(fields=["notice", "institution"], name="notice_recipient_once"),
        ]

    def __str__(self) -> str:
        return str(self.institution)


class Delivery(TimeStampedModel):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        INBOX = "inbox", _("Inbox")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="deliveries")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="deliveries"
    )
    contact = models.ForeignKey(
        MembershipContact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed by a worker at"), null=True, blank=True)
    message_id = models.CharField(_("message id"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        ordering = ["institution__region__bps_code", "institution__name", "channel", "address"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_state_next_attempt"),
            models.Index(fields=["notice", "state"], name="delivery_notice_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "institution", "channel", "address"], name="delivery_once_per_address"
            ),
            models.CheckConstraint(name="delivery_channel_valid", condition=Q(channel__in=["email", "inbox"])),
            models.CheckConstraint(
                name="delivery_state_valid",
                condition=Q(state__in=["queued", "sending", "sent", "failed", "acknowledged"]),
            ),
            models.CheckConstraint(name="delivery_email_has_address", condition=~Q(channel="email") | ~Q(address="")),
            models.CheckConstraint(
                name="delivery_sent_has_time", condition=~Q(state="sent") | Q(sent_at__isnull=False)
            ),
            models.CheckConstraint(
                name="delivery_acknowledged_has_time",
                condition=~Q(state="acknowledged") | Q(acknowledged_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice} -> {self.institution} ({self.get_channel_display()} {self.address})".strip()
