"""Writes: the owner's yearly report on whether an innovation goes on."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jipp.permissions import ensure_can

from ..models import Innovation, SustainabilityStatus, SustainabilityUpdate


@transaction.atomic
def sustainability_report(
    *, innovation: Innovation, by: Any, year: int, status: str, reason: str = ""
) -> SustainabilityUpdate:
    """Record (or correct) the report of `year`; the latest year's status becomes the record's status.

    Raises PermissionDenied unless `by` operates the record's institution or is a hub administrator,
    and ValidationError when a stop has no reason.
    """
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    ensure_can(by, "innovations.report_sustainability", innovation)
    reason = reason.strip()
    if status == SustainabilityStatus.STOPPED and not reason:
        raise ValidationError({"reason": _("Say why the innovation stopped.")}, code="reason_required")
    update, _created = SustainabilityUpdate.objects.update_or_create(
        innovation=innovation, year=year, defaults={"status": status, "reason": reason, "reported_by": by}
    )
    latest = SustainabilityUpdate.objects.filter(innovation=innovation).order_by("-year").values("status").first()
    # update(): only this column, so a concurrent edit of the record's other fields is never overwritten.
    Innovation.objects.filter(pk=innovation.pk).update(sustainability_status=latest["status"] if latest else "")
    return update
