"""Writes of a hub's memberships and contacts.

Each service checks `jipp.manage_hub` itself and locks the hub's row, so two administrators
changing the same hub's members at once are served one after the other. Every change is recorded
by django-simple-history with the acting user.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Hub, HubSettings, Institution, Membership, MembershipContact, User
from ..permissions import ensure_can
from .audit import Action, audit_record


def _locked_hub(hub: Hub) -> Hub:
    return Hub.objects.select_for_update().get(pk=hub.pk)


def _refuse_overlap(
    *,
    hub: Hub,
    institution: Institution,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    exclude: int | None = None,
) -> None:
    """One membership of an institution at a time: periods of the same hub may not overlap."""
    overlapping = Membership.objects.filter(hub=hub, institution=institution).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    if overlapping.exists():
        raise ValidationError(
            _("%(institution)s is already a member of the hub in this period.") % {"institution": institution},
            code="overlap",
        )


def _refuse_bad_period(starts_on: datetime.date, ends_on: datetime.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date must not be before the start date.")}, code="period")


@transaction.atomic
def membership_add(
    *,
    hub: Hub,
    institution: Institution,
    role: str,
    starts_on: datetime.date,
    by: User,
    ends_on: datetime.date | None = None,
    note: str = "",
) -> Membership:
    """Make `institution` a member of `hub` from `starts_on`.

    Raises PermissionDenied unless `by` administers the hub, and ValidationError when the period
    overlaps another membership of the institution in this hub or ends before it starts.
    """
    ensure_can(by, "jipp.manage_hub", hub)
    hub = _locked_hub(hub)
    _refuse_bad_period(starts_on, ends_on)
    _refuse_overlap(hub=hub, institution=institution, starts_on=starts_on, ends_on=ends_on)
    membership = Membership(
        hub=hub, institution=institution, role=role, starts_on=starts_on, ends_on=ends_on, note=note
    )
    membership._history_user = by  # type: ignore[attr-defined]
    membership.save()
    audit_record(action=Action.MEMBERSHIP_ADDED, by=by, target=membership, data={"role": role, "starts_on": starts_on})
    return membership


@transaction.atomic
def membership_change(
    *,
    membership: Membership,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    note: str,
    by: User,
) -> Membership:
    """Change the role or period of a membership (the history keeps what it was)."""
    ensure_can(by, "jipp.manage_hub", membership)
    _locked_hub(membership.hub)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _refuse_bad_period(starts_on, ends_on)
    _refuse_overlap(
        hub=membership.hub,
        institution=membership.institution,
        starts_on=starts_on,
        ends_on=ends_on,
        exclude=membership.pk,
    )
    before = {"role": membership.role, "starts_on": membership.starts_on, "ends_on": membership.ends_on}
    membership.role, membership.starts_on, membership.ends_on, membership.note = role, starts_on, ends_on, note
    membership._history_user = by  # type: ignore[attr-defined]
    membership.save()
    after = {"role": role, "starts_on": starts_on, "ends_on": ends_on}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    audit_record(action=Action.MEMBERSHIP_CHANGED, by=by, target=membership, data={"changes": changes})
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, ends_on: datetime.date | None = None, reason: str = "", by: User
) -> Membership:
    """End a membership on `ends_on` (today by default); its contacts stop receiving notices.

    Raises ValidationError when it has already ended or the day is before its start.
    """
    ensure_can(by, "jipp.manage_hub", membership)
    _locked_hub(membership.hub)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    day = ends_on or timezone.localdate()
    if membership.ends_on is not None and membership.ends_on <= timezone.localdate():
        raise ValidationError(_("This membership has already ended."), code="ended")
    _refuse_bad_period(membership.starts_on, day)
    membership.ends_on = day
    if reason:
        membership.note = f"{membership.note}\n{reason}".strip()
    membership._history_user = by  # type: ignore[attr-defined]
    membership.save()
    audit_record(action=Action.MEMBERSHIP_ENDED, by=by, target=membership, data={"ends_on": day, "reason": reason})
    return membership


def _refuse_duplicate_email(membership: Membership, email: str, exclude: int | None = None) -> None:
    if not email:
        return
    duplicates = membership.contacts.filter(active=True, email__iexact=email)
    if exclude is not None:
        duplicates = duplicates.exclude(pk=exclude)
    if duplicates.exists():
        raise ValidationError({"email": _("Another active contact of this member has this e-mail address.")})


def _refuse_unreachable(email: str, phone: str) -> None:
    if not email.strip() and not phone.strip():
        raise ValidationError(_("Give an e-mail address or a phone number."), code="unreachable")


@transaction.atomic
def contact_add(
    *, membership: Membership, name: str, position: str = "", email: str = "", phone: str = "", by: User
) -> MembershipContact:
    """Add a contact person to a member institution."""
    ensure_can(by, "jipp.manage_hub", membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _refuse_unreachable(email, phone)
    _refuse_duplicate_email(membership, email)
    contact = MembershipContact(
        membership=membership, name=name, position=position, email=email.strip(), phone=phone.strip(), created_by=by
    )
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    return contact


@transaction.atomic
def contact_change(
    *,
    contact: MembershipContact,
    name: str,
    position: str,
    email: str,
    phone: str,
    active: bool,
    by: User,
) -> MembershipContact:
    """Change a contact, or make it inactive (it then receives nothing; the history keeps it)."""
    ensure_can(by, "jipp.manage_hub", contact.membership)
    Membership.objects.select_for_update().get(pk=contact.membership_id)
    contact = MembershipContact.objects.select_for_update().get(pk=contact.pk)
    _refuse_unreachable(email, phone)
    if active:
        _refuse_duplicate_email(contact.membership, email, exclude=contact.pk)
    contact.name, contact.position, contact.email, contact.phone, contact.active = (
        name,
        position,
        email.strip(),
        phone.strip(),
        active,
    )
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    return contact


def hub_settings_of(*, hub: Hub) -> HubSettings:
    """The hub's settings, created with their defaults the first time they are asked for."""
    settings, _created = HubSettings.objects.get_or_create(hub=hub)
    return settings
