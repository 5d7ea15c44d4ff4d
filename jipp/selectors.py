"""Reads of the hub network: regions and institutions; the hub, its members, activities and maturity."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import (
    Activity,
    Delivery,
    Hub,
    Institution,
    MaturityAnswer,
    MaturityAspect,
    MaturityAssessment,
    MaturityOption,
    MaturityQuestion,
    Membership,
    MembershipContact,
    Notice,
    Region,
    Role,
    User,
)


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


def hubs_of_member(*, user: User | AnonymousUser) -> QuerySet[Hub]:
    """Hubs the user administers or whose member institution (or a body above it) they work for."""
    ids = hub_ids_of_member(user=user) | hub_ids_administered_by(user=user)
    return Hub.objects.filter(pk__in=ids).order_by("name")


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


# Maturity --------------------------------------------------------------------------------------------


def maturity_questions() -> QuerySet[MaturityQuestion]:
    """The questions asked now, by aspect and order, with their options."""
    return (
        MaturityQuestion.objects.filter(active=True)
        .prefetch_related(Prefetch("options", queryset=MaturityOption.objects.order_by("order", "pk")))
        .order_by("aspect", "order", "pk")
    )


def hub_assessments(*, hub: Hub) -> QuerySet[MaturityAssessment]:
    return hub.maturity_assessments.order_by("-year")


def assessment_of(*, hub: Hub, year: int) -> MaturityAssessment:
    return hub.maturity_assessments.select_related("hub").get(year=year)


def assessment_answers(*, assessment: MaturityAssessment) -> dict[int, MaturityAnswer]:
    """The answers of an assessment by question id."""
    answers = assessment.answers.select_related("option", "question")
    return {answer.question_id: answer for answer in answers}


@dataclass(frozen=True)
class MaturityRow:
    key: str  # an aspect, or "overall"
    label: str
    scores: list[float | None]  # one per year of the comparison, in its order


@dataclass(frozen=True)
class MaturityComparison:
    years: list[int]
    rows: list[MaturityRow]


def maturity_comparison(*, hub: Hub) -> MaturityComparison:
    """Submitted self-assessments side by side, oldest year first: each aspect and the overall score."""
    submitted = list(hub.maturity_assessments.filter(status=MaturityAssessment.Status.SUBMITTED).order_by("year"))
    keys = [*MaturityAspect.values, "overall"]
    labels = {**dict(MaturityAspect.choices), "overall": _("Overall")}
    rows = [
        MaturityRow(key=key, label=str(labels[key]), scores=[assessment.scores.get(key) for assessment in submitted])
        for key in keys
    ]
    return MaturityComparison(years=[assessment.year for assessment in submitted], rows=rows)


# Notices ---------------------------------------------------------------------------------------------


def hub_notices(*, hub: Hub) -> QuerySet[Notice]:
    """The hub's notices, newest first, each with its delivery counts by state (one query)."""
    by_state = {
        f"{state}_count": Count("deliveries", filter=Q(deliveries__state=state)) for state in Delivery.State.values
    }
    return (
        hub.notices.select_related("created_by", "sent_by")
        .annotate(delivery_count=Count("deliveries"), **by_state)
        .order_by("-created_at", "-pk")
    )


def notice_of(*, hub: Hub, pk: int) -> Notice:
    return hub.notices.select_related("hub", "created_by", "sent_by").get(pk=pk)


def notice_audience(*, notice: Notice) -> QuerySet[Institution]:
    """The institutions the notice goes to if sent now: the hub's active members it chooses (by regency,
    by kind, or all); hand-picked institutions must be members or units under one."""
    members = notice.hub.memberships.active().values("institution_id")
    institutions = Institution.objects.select_related("region")
    if notice.audience == Notice.Audience.INSTITUTIONS:
        picked = notice.audience_institutions.values("pk")
        institutions = institutions.filter(pk__in=picked).filter(pk__in=hub_member_institution_ids(hub=notice.hub))
    elif notice.audience == Notice.Audience.REGENCIES:
        institutions = institutions.filter(pk__in=members, region__in=notice.audience_regions.values("pk"))
    elif notice.audience == Notice.Audience.KINDS:
        institutions = institutions.filter(pk__in=members, kind__in=notice.audience_kinds)
    else:
        institutions = institutions.filter(pk__in=members)
    return institutions.order_by("region__bps_code", "name")


@dataclass(frozen=True)
class NoticeAddress:
    institution_id: int
    contact: MembershipContact | None
    email: str


def notice_addresses(*, hub: Hub, institution_ids: list[int]) -> dict[int, list[NoticeAddress]]:
    """Each institution's e-mail addresses for the hub's notices: its active contacts in its active
    membership, then its own notice addresses; an address is used once per institution."""
    addresses: dict[int, list[NoticeAddress]] = {pk: [] for pk in institution_ids}
    seen: set[tuple[int, str]] = set()

    def add(institution_id: int, contact: MembershipContact | None, email: str) -> None:
        key = (institution_id, email.strip().lower())
        if email.strip() and key not in seen:
            seen.add(key)
            addresses[institution_id].append(NoticeAddress(institution_id, contact, email.strip()))

    contacts = (
        MembershipContact.objects.filter(
            active=True,
            membership__hub=hub,
            membership__institution__in=institution_ids,
            membership__in=Membership.objects.active(),
        )
        .exclude(email="")
        .select_related("membership")
        .order_by("name", "pk")
    )
    for contact in contacts:
        add(contact.membership.institution_id, contact, contact.email)
    for institution in Institution.objects.filter(pk__in=institution_ids).only("pk", "notice_emails"):
        for email in institution.notice_email_list:
            add(institution.pk, None, email)
    return addresses


@dataclass(frozen=True)
class RegionProgress:
    region: str
    institutions: int
    acknowledged_institutions: int
    counts: dict[str, int]  # deliveries by state


@dataclass(frozen=True)
class NoticeProgress:
    total: int
    counts: dict[str, int]
    institutions: int
    acknowledged_institutions: int
    regions: list[RegionProgress]

    @property
    def finished(self) -> bool:
        """No delivery waits or is being sent."""
        return self.counts[Delivery.State.QUEUED] + self.counts[Delivery.State.SENDING] == 0

    @property
    def done_percent(self) -> int:
        done = self.total - self.counts[Delivery.State.QUEUED] - self.counts[Delivery.State.SENDING]
        return round(100 * done / self.total) if self.total else 100


def notice_progress(*, notice: Notice) -> NoticeProgress:
    """Deliveries by state, in all and per regency (the province's own bodies first), and how many
    recipient institutions acknowledged. Two queries, whatever the number of deliveries."""
    states = Delivery.State.values
    rows = (
        notice.deliveries.values("institution__region__name", "institution__region__bps_code", "state")
        .annotate(count=Count("pk"))
        .order_by()
    )
    per_region: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        key = (row["institution__region__bps_code"] or "~", row["institution__region__name"] or "—")
        per_region.setdefault(key, dict.fromkeys(states, 0))[row["state"]] += row["count"]
    recipients = (
        notice.recipients.values("institution__region__name", "institution__region__bps_code")
        .annotate(
            institutions=Count("pk", distinct=True),
            acknowledged=Count(
                "pk",
                filter=Q(
                    institution__deliveries__notice=notice,
                    institution__deliveries__state=Delivery.State.ACKNOWLEDGED,
                ),
                distinct=True,
            ),
        )
        .order_by()
    )
    institutions: dict[tuple[str, str], tuple[int, int]] = {}
    for row in recipients:
        key = (row["institution__region__bps_code"] or "~", row["institution__region__name"] or "—")
        institutions[key] = (row["institutions"], row["acknowledged"])
    regions = [
        RegionProgress(
            region=key[1],
            institutions=institutions.get(key, (0, 0))[0],
            acknowledged_institutions=institutions.get(key, (0, 0))[1],
            counts=per_region.get(key, dict.fromkeys(states, 0)),
        )
        for key in sorted(set(per_region) | set(institutions))
    ]
    totals = {state: sum(region.counts[state] for region in regions) for state in states}
    return NoticeProgress(
        total=sum(totals.values()),
        counts=totals,
        institutions=sum(region.institutions for region in regions),
        acknowledged_institutions=sum(region.acknowledged_institutions for region in regions),
        regions=regions,
    )


def notice_deliveries(*, notice: Notice) -> QuerySet[Delivery]:
    return notice.deliveries.select_related("institution__region", "contact", "acknowledged_by").order_by(
        "institution__region__bps_code", "institution__name", "channel", "address"
    )


def inbox_deliveries(*, user: User | AnonymousUser) -> QuerySet[Delivery]:
    """The notices shown in the inbox of the user's own institution (not of bodies above or below it)."""
    if not user.is_authenticated or user.institution_id is None:
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(
            channel=Delivery.Channel.INBOX,
            institution_id=user.institution_id,
            state__in=[Delivery.State.SENT, Delivery.State.ACKNOWLEDGED],
        )
        .select_related("notice__hub", "acknowledged_by")
        .order_by("-sent_at", "-pk")
    )
