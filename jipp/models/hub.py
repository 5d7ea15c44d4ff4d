"""A Hub JIPP and who belongs to it.

- Hub: a province designated a hub of the national innovation network by ministerial decree
  (Sulawesi Barat: KepmenPANRB No. 305/2024); its public profile lives at its slug. At most one
  designated hub per province.
- HubSettings: a hub's choices for automatic notices: whether publishing an innovation notifies the
  members (not at all, one notice each, or a daily digest), and when and how often a recipient who has
  not acknowledged a notice is reminded.
- Membership: an institution's part in a hub (coordinator, member, or partner such as a university)
  for a period. A membership is active while it has no end date or its end date has not passed;
  ending one sets the end date, so the past stays visible. The database allows one open-ended
  membership per hub and institution; the services refuse overlapping periods. Changes are kept in
  its history (django-simple-history), shown on the hub administrator's pages.
- MembershipContact: a person the hub writes to on behalf of a member institution, with position,
  e-mail and phone; inactive contacts are kept for the history but receive nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .network import Institution, Region, TimeStampedModel


class Hub(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DESIGNATED = "designated", _("Designated")
        INACTIVE = "inactive", _("Inactive")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    province = models.ForeignKey(
        Region,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="hubs",
        limit_choices_to={"level": Region.Level.PROVINCE},
    )
    decree_number = models.CharField(
        _("decree number"), max_length=120, blank=True, help_text=_("For example KepmenPANRB No. 305/2024.")
    )
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)

    class Meta:
        ordering = ["name"]
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        constraints = [
            models.UniqueConstraint(
                fields=["province"], condition=Q(status="designated"), name="hub_one_designated_per_province"
            ),
            models.CheckConstraint(
                name="hub_designated_has_decree",
                # The decree's number is what every document cites; its date may be unknown at first.
                condition=~Q(status="designated") | ~Q(decree_number=""),
            ),
            models.CheckConstraint(
                name="hub_status_valid", condition=Q(status__in=["proposed", "designated", "inactive"])
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("jipp:hub_profile", kwargs={"slug": self.slug})


class HubSettings(TimeStampedModel):
    class PublishNotice(models.TextChoices):
        OFF = "off", _("Do not notify")
        EACH = "each", _("One notice for each publication")
        DAILY_DIGEST = "daily_digest", _("One daily digest")

    hub = models.OneToOneField(Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="settings")
    publish_notice = models.CharField(
        _("notify members when an innovation is published"),
        max_length=16,
        choices=PublishNotice.choices,
        default=PublishNotice.OFF,
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"),
        default=3,
        help_text=_("Recipients who have not acknowledged a notice are reminded after this many days."),
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("reminders at most"), default=2, help_text=_("0 sends no reminder.")
    )
    # The digest covers publications after this moment; set when a digest is written.
    digest_covered_until = models.DateTimeField(_("digest covers until"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("hub settings")
        verbose_name_plural = _("hub settings")
        constraints = [
            models.CheckConstraint(name="hub_settings_reminder_after_a_day", condition=Q(reminder_after_days__gte=1)),
            models.CheckConstraint(
                name="hub_settings_publish_notice_valid",
                condition=Q(publish_notice__in=["off", "each", "daily_digest"]),
            ),
        ]

    def __str__(self) -> str:
        return str(self.hub)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Memberships running on `on` (today by default): started, and not ended before it."""
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")
        PARTNER = "partner", _("Partner")

    hub = models.ForeignKey(Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="hub_memberships"
    )
    role = models.CharField(_("role in the hub"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("For example the reason a membership ended."))

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["institution__region__bps_code", "institution__name", "-starts_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "institution"],
                condition=Q(ends_on__isnull=True),
                name="membership_one_open_per_hub_institution",
            ),
            models.CheckConstraint(
                name="membership_ends_after_start", condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on"))
            ),
            models.CheckConstraint(
                name="membership_role_valid", condition=Q(role__in=["coordinator", "member", "partner"])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} ({self.get_role_display()}, {self.hub})"

    def is_active(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class MembershipContact(TimeStampedModel):
    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-active", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(name="contact_reachable", condition=~Q(email="") | ~Q(phone="")),
            models.UniqueConstraint(
                fields=["membership", "email"],
                condition=Q(active=True) & ~Q(email=""),
                name="contact_unique_active_email_per_membership",
            ),
        ]

    def __str__(self) -> str:
        return self.name
