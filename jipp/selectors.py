"""Reads of the hub network: regions and institutions; the hub, its members, activities and maturity."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Activity, Hub, Institution, Membership, MembershipContact, Region, Role, User


def regions_all() -> QuerySet[Region]:
    return Region.objects.select_related("parent").order_by("bps_code")


def regencies() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.REGENCY).order_by("bps_code")


def region_by_code(*, code: str) -> Region | None:
    """Find a region by either its BPS code (7601) or its Kemendagri code (76.05)."""
    return Region.objects.filter(bps_code=code).first() or Region.objects.filter(kemendagri_code=code).first()


def institutions_all() -> QuerySet[Institution]:
    return Institution.objects.select_related("region", "parent").order_by("region__bps_code", "name")


# The hub -------------------------------------------------------------------------------------------


def institution_lineage_ids(*, institution_id: int | None) -> list[int]:
    """The institution and the bodies above it (a unit, its agency, its government): a member's staff
    act for its units too. Parents form a short chain; a cycle is refused by the data but guarded here."""
    ids: list[int] = []
    current = institution_id
    while current is not None and current not in ids:
        ids.append(current)
        current = Institution.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return ids


def _user_lineage_ids(user: User | AnonymousUser) -> list[int]:
    if not user.is_authenticated:
        return []
    cached: list[int] | None = getattr(user, "_hub_lineage_ids", None)
    if cached is None:
        cached = institution_lineage_ids(institution_id=user.institution_id)
        setattr(user, "_hub_lineage_ids", cached)  # noqa: B010 (a per-request cache, like User.role_names)
    return cached


def hub_ids_administered_by(*, user: User | AnonymousUser) -> frozenset[int]:
    """Hubs the user administers: any for a superuser; for a hub administrator, the hubs in which
    their own institution holds an active membership. Read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_administered_hub_ids", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Hub.objects.values_list("pk", flat=True))
        elif user.has_role(Role.HUB_ADMIN) and user.institution_id is not None:
            cached = frozenset(
                Membership.objects.active().filter(institution=user.institution_id).values_list("hub_id", flat=True)
            )
        else:
            cached = frozenset()
        setattr(user, "_administered_hub_ids", cached)  # noqa: B010
    return cached


def hub_ids_of_member(*, user: User | AnonymousUser) -> frozenset[int]:
    """Hubs in which the user's institution, or a body above it, holds an active membership."""
    lineage = _user_lineage_ids(user)
    if not lineage:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_member_hub_ids", None)
    if cached is None:
        cached = frozenset(Membership.objects.active().filter(institution__in=lineage).values_list("hub_id", flat=True))
        setattr(user, "_member_hub_ids", cached)  # noqa: B010
    return cached


def user_institution_ids(*, user: User | AnonymousUser) -> list[int]:
    return _user_lineage_ids(user)


def hubs_public() -> QuerySet[Hub]:
    return Hub.objects.filter(status=Hub.Status.DESIGNATED).select_related("province")


def hubs_visible_to(*, user: User | AnonymousUser) -> QuerySet[Hub]:
    """Designated hubs for everybody, plus a hub being set up for its own administrators."""
    administered = hub_ids_administered_by(user=user)
    return Hub.objects.filter(Q(status=Hub.Status.DESIGNATED) | Q(pk__in=administered)).select_related("province")


def hubs_administered(*, user: User | AnonymousUser) -> QuerySet[Hub]:
    return Hub.objects.filter(pk__in=hub_ids_administered_by(user=user)).select_related("province")


def hub_memberships(*, hub: Hub, active_only: bool = True) -> QuerySet[Membership]:
    memberships = hub.memberships.select_related("institution__region", "institution__parent")
    if active_only:
        memberships = memberships.active()
    return memberships.order_by("institution__region__bps_code", "institution__name")


@dataclass(frozen=True)
class RegionMembers:
    region: Region
    memberships: list[Membership]


def hub_members_by_region(*, hub: Hub) -> list[RegionMembers]:
    """Active members grouped by region: the province's bodies first, then each regency by its BPS code.
    Within a region the coordinator comes first, then governments, then the rest by name."""
    role_order: dict[str, int] = {"coordinator": 0, "member": 1, "partner": 2}
    kind_order: dict[str, int] = {Institution.Kind.PEMDA.value: 0}
    groups: dict[int | None, list[Membership]] = {}
    regions: dict[int | None, Region] = {}
    for membership in hub_memberships(hub=hub):
        region = membership.institution.region
        key = region.pk if region else None
        groups.setdefault(key, []).append(membership)
        if region is not None:
            regions[key] = region
    result = []
    for key in sorted(groups, key=lambda k: regions[k].bps_code if k in regions else "~"):
        members = sorted(
            groups[key],
            key=lambda m: (
                role_order.get(m.role, 9),
                kind_order.get(m.institution.kind, 1),
                m.institution.name,
            ),
        )
        result.append(RegionMembers(region=regions.get(key) or hub.province, memberships=members))
    return result


def hub_member_institution_ids(*, hub: Hub) -> list[int]:
    """Institutions that are active members, with every unit and agency under them."""
    ids = set(hub.memberships.active().values_list("institution_id", flat=True))
    frontier = set(ids)
    while frontier:
        frontier = set(Institution.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return sorted(ids)


def membership_of(*, hub: Hub, pk: int) -> Membership:
    return hub.memberships.select_related("institution__region").get(pk=pk)


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str  # created, changed, deleted
    changes: list[tuple[str, str, str]]  # field label, before, after
    subject: str


def _history_entries(records: list[Any], *, model: type[models.Model], subject: str) -> list[HistoryEntry]:
    entries = []
    labels = {field.name: str(field.verbose_name) for field in model._meta.fields}
    previous = None
    for record in records:
        changes: list[tuple[str, str, str]] = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                before = _history_value(previous, change.field)
                after = _history_value(record, change.field)
                changes.append((labels.get(change.field, change.field), before, after))
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "",
                what={"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                changes=changes,
                subject=subject or str(record),
            )
        )
        previous = record
    return entries


def _history_value(record: Any, field: str) -> str:
    display = getattr(record, f"get_{field}_display", None)
    value = display() if display else getattr(record, field)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.date):
        return date_format(value)
    return str(value)


def membership_history(*, membership: Membership) -> list[HistoryEntry]:
    """Every change of the membership and of its contacts, newest first."""
    entries = _history_entries(
        list(membership.history.select_related("history_user").order_by("history_date", "history_id")),
        model=Membership,
        subject=str(_("Membership")),
    )
    contact_history = MembershipContact.history.filter(membership_id=membership.pk).select_related("history_user")
    by_contact: dict[int, list[Any]] = {}
    for record in contact_history.order_by("history_date", "history_id"):
        by_contact.setdefault(record.id, []).append(record)
    for records in by_contact.values():
        entries.extend(
            _history_entries(
                records, model=MembershipContact, subject=str(_("Contact %(name)s") % {"name": records[-1].name})
            )
        )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


# Activities ------------------------------------------------------------------------------------------


def activities_upcoming(*, hub: Hub, limit: int | None = None) -> QuerySet[Activity]:
    """Activities not yet over, soonest first (cancelled ones stay listed, marked)."""
    activities = hub.activities.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")
    return activities[:limit] if limit else activities


def activities_past(*, hub: Hub, limit: int | None = None) -> QuerySet[Activity]:
    activities = hub.activities.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")
    return activities[:limit] if limit else activities


def activity_of(*, hub: Hub, pk: int) -> Activity:
    return hub.activities.select_related("hub").get(pk=pk)


def activities_inviting(*, user: User | AnonymousUser, limit: int = 5) -> QuerySet[Activity]:
    """Upcoming activities of the user's hubs that invited the user's institution (or a body above it)."""
    lineage = _user_lineage_ids(user)
    if not lineage:
        return Activity.objects.none()
    return (
        Activity.objects.filter(
            hub__in=hub_ids_of_member(user=user), invited__in=lineage, ends_at__gte=timezone.now(), cancelled=False
        )
        .select_related("hub")
        .distinct()
        .order_by("starts_at")[:limit]
    )
