"""The people and places of the network: regions, institutions, users and their roles.

- TimeStampedModel: created and updated timestamps, the base of every model of the portal.
- Role: the user roles; each is a Django group of the same name.
- Region: the province and its regencies, with both their BPS and Kemendagri codes.
- Institution: a regional government (pemda), agency (OPD), public-service unit (UPP), ministry or
  regional enterprise, in its region and under its parent institution; `notice_emails` are the
  institution's own addresses for notices, used besides its hub contacts.
- User: a person signing in, working for one institution, with roles as groups.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Role(models.TextChoices):
    """A role is a Django group of this name; permissions hang on the role, not the user."""

    OPERATOR = "operator", _("Operator")
    HUB_ADMIN = "hub_admin", _("Hub administrator")
    REVIEWER = "reviewer", _("Reviewer (Tim Evaluasi)")
    PANELIST = "panelist", _("Panelist (TPI)")
    MINISTRY_ADMIN = "ministry_admin", _("Ministry administrator")


class Region(TimeStampedModel):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    # Both code systems are stored as published; neither is derived from the other.
    bps_code = models.CharField(_("BPS code"), max_length=10, unique=True)
    kemendagri_code = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    capital = models.CharField(_("capital"), max_length=100, blank=True)

    class Meta:
        ordering = ["bps_code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                name="region_parent_matches_level",
                condition=Q(level="province", parent__isnull=True) | Q(level="regency", parent__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Institution(TimeStampedModel):
    class Kind(models.TextChoices):
        PEMDA = "pemda", _("Regional government (Pemda)")
        OPD = "opd", _("Regional agency (OPD: dinas, badan, biro)")
        UPP = "upp", _("Public-service unit (UPP)")
        MINISTRY = "ministry", _("Ministry or national agency")
        BUMD = "bumd", _("Regional enterprise (BUMD)")

    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Short stable identifier, used in imports and URLs.")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Only a national body (a ministry) has no region.
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    notice_emails = models.TextField(
        _("e-mails for notices"), blank=True, help_text=_("One or more addresses, separated by commas or new lines.")
    )

    class Meta:
        ordering = ["region__bps_code", "name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="institution_unique_name_per_region"),
            models.CheckConstraint(name="institution_not_own_parent", condition=~Q(parent=models.F("pk"))),
            models.CheckConstraint(
                name="institution_region_unless_ministry", condition=Q(kind="ministry") | Q(region__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def notice_email_list(self) -> list[str]:
        return [part.strip() for part in self.notice_emails.replace("\n", ",").split(",") if part.strip()]

    def clean(self) -> None:
        for address in self.notice_email_list:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    {"notice_emails": _("“%(address)s” is not a valid e-mail address.") % {"address": address}}
                ) from None


class User(AbstractUser):
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def role_names(self) -> frozenset[str]:
        """The user's role names, read once per request object and then cached."""
        cached: frozenset[str] | None = getattr(self, "_role_names", None)
        if cached is None:
            roles = set(Role.values)
            cached = frozenset(name for name in self.groups.values_list("name", flat=True) if name in roles)
            self._role_names = cached
        return cached

    def has_role(self, role: Role | str) -> bool:
        return self.is_active and str(role) in self.role_names
