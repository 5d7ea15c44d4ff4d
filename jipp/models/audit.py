"""The portal's audit log.

- AuditEvent: who did what, when and from which address, across the portal: sign-ins (successful and
  failed) and sign-outs, changes of users and their roles, memberships, workflow decisions on
  records, evidence added or removed, notices sent or scheduled, exports. Append-only: a saved event
  cannot be changed or deleted through the model, and neither the portal nor the Django admin offers
  a way to. The KIPP decisions and scores keep their own trail (competitions.AuditRecord), which the
  audit page links to rather than copies.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventError(Exception):
    """An attempt to change or delete an audit event."""


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        USER_CREATED = "user_created", _("User created")
        USER_CHANGED = "user_changed", _("User changed")
        USER_DELETED = "user_deleted", _("User deleted")
        ROLES_CHANGED = "roles_changed", _("Roles changed")
        MEMBERSHIP_ADDED = "membership_added", _("Membership added")
        MEMBERSHIP_CHANGED = "membership_changed", _("Membership changed")
        MEMBERSHIP_ENDED = "membership_ended", _("Membership ended")
        WORKFLOW = "workflow", _("Workflow decision")
        EVIDENCE_ADDED = "evidence_added", _("Evidence added")
        EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")
        NOTICE_SENT = "notice_sent", _("Notice sent")
        NOTICE_SCHEDULED = "notice_scheduled", _("Notice scheduled")
        EXPORT = "export", _("Export")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # the event outlives the user; the name is kept beside it
    )
    # The user name at the time (or, for a failed sign-in, the name typed).
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEventError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditEventError("Audit events are append-only.")
