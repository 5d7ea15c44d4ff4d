"""Reads of innovation records, always scoped to what the user may see."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from jipp.models import Institution, Region, User
from jipp.permissions import can
from jipp.text import clean_text

from .models import (
    CONTENT_FIELDS,
    Evidence,
    ImportBatch,
    Innovation,
    Replication,
    State,
    SustainabilityUpdate,
    WorkflowEvent,
    innovation_field_label,
)

# A preview normally appears seconds after its upload; one missing after five minutes was lost.
PREVIEW_SWEEP_AFTER = datetime.timedelta(minutes=5)
PREVIEW_SWEEP_WITHIN = datetime.timedelta(hours=6)


def innovations_published() -> QuerySet[Innovation]:
    """The public set: published records only, never a pending change."""
    return Innovation.objects.filter(state=State.PUBLISHED, revision_of__isnull=True)


def innovations_visible_to(*, user: Any) -> QuerySet[Innovation]:
    """Every record `user` may open: published ones for everybody, plus their own institution's."""
    published = Q(state=State.PUBLISHED, revision_of__isnull=True)
    if not user.is_authenticated:
        return Innovation.objects.filter(published)
    if can(user, "innovations.view_queue"):
        return Innovation.objects.all()
    if user.institution_id is None:
        return Innovation.objects.filter(published)
    return Innovation.objects.filter(published | Q(institution_id=user.institution_id))


def innovations_of_institution(*, user: Any, state: str = "") -> QuerySet[Innovation]:
    """The operator's "my institution's innovations" list; a hub administrator sees every institution's.

    Pending changes are listed with their published record (`revision_of`), oldest change first.
    """
    if not user.is_authenticated:
        return Innovation.objects.none()
    if can(user, "innovations.view_queue"):
        records = Innovation.objects.all()
    elif user.institution_id is None:
        return Innovation.objects.none()
    else:
        records = Innovation.objects.filter(institution_id=user.institution_id)
    if state:
        records = records.filter(state=state)
    return records.select_related("institution", "region", "revision_of").order_by("-updated_at", "-pk")


def innovation_staff_scope(*, user: Any) -> QuerySet[Innovation]:
    """Records a staff page may open for `user`: their institution's (all for the hub), revisions included."""
    if not user.is_authenticated:
        return Innovation.objects.none()
    if can(user, "innovations.view_queue"):
        return Innovation.objects.all()
    if user.institution_id is None or not can(user, "innovations.add_innovation"):
        return Innovation.objects.none()
    return Innovation.objects.filter(institution_id=user.institution_id)


def innovations_in_queue(*, user: Any) -> QuerySet[Innovation]:
    """Submitted records and pending changes waiting for the hub, oldest submission first."""
    if not can(user, "innovations.view_queue"):
        return Innovation.objects.none()
    return (
        Innovation.objects.filter(state=State.SUBMITTED)
        .select_related("institution", "region", "revision_of")
        .order_by("submitted_at", "pk")
    )


def queue_counts_by_region(*, user: Any) -> list[dict[str, Any]]:
    """How many records wait per region, counted by the database."""
    return list(
        innovations_in_queue(user=user)
        .order_by()
        .values("region__name", "region__bps_code")
        .annotate(count=models.Count("pk"))
        .order_by("region__bps_code")
    )


def queue_count(*, user: Any) -> int:
    return innovations_in_queue(user=user).count()


def innovations_returned(*, user: User | AnonymousUser) -> QuerySet[Innovation]:
    """The operator's records the hub returned, waiting for the institution to fix and send them again.

    Annotated with `returned_at` (the latest return), oldest return first: what has waited longest
    comes first. Empty for anybody who may not write records (the hub, reviewers, the public).
    """
    if not isinstance(user, User) or user.institution_id is None or not can(user, "innovations.add_innovation"):
        return Innovation.objects.none()
    last_return = (
        WorkflowEvent.objects.filter(innovation=OuterRef("pk"), to_state=State.RETURNED)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return (
        Innovation.objects.filter(institution_id=user.institution_id, state=State.RETURNED)
        .select_related("revision_of")
        .annotate(returned_at=Subquery(last_return))
        .order_by("returned_at", "pk")
    )


def innovation_state_counts(*, user: Any) -> dict[str, int]:
    """How many of the user's staff-list records are in each state, counted by the database."""
    counted = dict(
        innovations_of_institution(user=user).order_by().values_list("state").annotate(count=models.Count("pk"))
    )
    return {state: counted.get(state, 0) for state in State.values}


def innovation_events(*, innovation: Innovation) -> QuerySet[WorkflowEvent]:
    return innovation.events.select_related("actor").order_by("created_at", "pk")


def innovation_return_comment(*, innovation: Innovation) -> WorkflowEvent | None:
    """The hub's latest return comment, shown to the operator until the record is sent again."""
    if innovation.state != State.RETURNED:
        return None
    return (
        innovation.events.filter(to_state=State.RETURNED).select_related("actor").order_by("-created_at", "-pk").first()
    )


def innovation_pending_revision(*, innovation: Innovation) -> Innovation | None:
    return Innovation.objects.filter(revision_of=innovation).first()


def evidence_visible_to(*, user: Any) -> QuerySet[Evidence]:
    """Evidence of the records `user` may open (a draft's files stay with its institution and the hub)."""
    return Evidence.objects.filter(innovation__in=innovations_visible_to(user=user)).select_related("innovation")


SIMILAR_CANDIDATES = 50


def evidence_previews_missing(*, now: datetime.datetime) -> list[int]:
    """Photos uploaded between PREVIEW_SWEEP_AFTER and PREVIEW_SWEEP_WITHIN ago that still have no preview.

    Their task was lost (the broker was down at upload, or a worker died); the window bounds how often
    a photo that cannot be decoded is tried again.
    """
    return list(
        Evidence.objects.filter(
            kind=Evidence.Kind.PHOTO,
            preview="",
            created_at__lte=now - PREVIEW_SWEEP_AFTER,
            created_at__gte=now - PREVIEW_SWEEP_WITHIN,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def innovations_similar(*, title: str, summary: str = "", exclude_pk: int | None = None) -> list[Innovation]:
    """Up to five published records whose title or summary resembles the given text."""
    # PostgreSQL refuses NUL in a query: whatever the caller passes, only clean text reaches it.
    title = clean_text(title).strip()
    summary = clean_text(summary).strip()
    if len(title) < 3 and len(summary) < 3:
        return []
    records = innovations_published().select_related("institution", "region")
    if exclude_pk is not None:
        records = records.exclude(pk=exclude_pk).exclude(pending_revision__pk=exclude_pk)
    if settings.USING_POSTGRES:
        from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

        text = f"{title} {summary[:300]}".strip()
        return list(
            records.annotate(
                similarity=Greatest(TrigramWordSimilarity(title or text, "title"), TrigramSimilarity("summary", text))
            )
            .filter(similarity__gte=0.3)
            .order_by("-similarity", "pk")[:5]
        )
    words = [word.lower() for word in title.split() if len(word) >= 4][:8]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(title__icontains=word) | Q(summary__icontains=word)
    candidates = list(records.filter(match).order_by("-published_at", "pk")[:SIMILAR_CANDIDATES])

    # Without trigrams, rank by shared words: one in the title weighs more than one in the summary.
    def score(record: Innovation) -> int:
        title_text, summary_text = record.title.lower(), record.summary.lower()
        return sum(3 * (word in title_text) + (word in summary_text) for word in words)

    return sorted(candidates, key=score, reverse=True)[:5]


@dataclasses.dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


def _display(record: Any, name: str) -> str:
    value = getattr(record, name)
    display = getattr(record, f"get_{name}_display", None)
    if display is not None and value:
        return str(display())
    return "" if value is None else str(value)


DIFF_FIELDS = CONTENT_FIELDS


def _m2m_numbers(record: Any, name: str, historical: bool) -> str:
    manager = getattr(record, name)
    if name == "sdgs":
        key = "sdg__number" if historical else "number"
    else:
        key = "category__name_id" if historical else "name_id"
    return ", ".join(str(value) for value in manager.order_by(key).values_list(key, flat=True))


def _compare(before: Any, after: Any, *, before_historical: bool, after_historical: bool) -> list[FieldChange]:
    changes = []
    for name in DIFF_FIELDS:
        old, new = _display(before, name), _display(after, name)
        if old != new:
            label = innovation_field_label(name)
            changes.append(FieldChange(name=name, label=label, before=old, after=new))
    for name in ("sdgs", "categories"):
        old = _m2m_numbers(before, name, before_historical)
        new = _m2m_numbers(after, name, after_historical)
        if old != new:
            label = innovation_field_label(name)
            changes.append(FieldChange(name=name, label=label, before=old, after=new))
    return changes


def innovation_baseline(*, innovation: Innovation) -> tuple[str, Any]:
    """What a record under review is compared with, and which kind of baseline it is.

    A pending change: its published record. Otherwise the last published version in the history,
    or, for a record never published, its previous submission. ("", None) when there is none.
    """
    if innovation.revision_of_id is not None:
        return "published", innovation.revision_of
    history = innovation.history.order_by("-history_date", "-history_id")
    published = history.filter(state=State.PUBLISHED).first()
    if published is not None:
        return "published", published
    submissions = list(history.filter(state=State.SUBMITTED).values_list("history_id", flat=True)[:2])
    if innovation.state == State.SUBMITTED:
        submissions = submissions[1:]
    if submissions:
        return "submission", history.get(history_id=submissions[0])
    return "", None


def innovation_changes(*, innovation: Innovation) -> tuple[str, list[FieldChange]]:
    kind, baseline = innovation_baseline(innovation=innovation)
    if baseline is None:
        return "", []
    before_historical = innovation.revision_of_id is None
    return kind, _compare(baseline, innovation, before_historical=before_historical, after_historical=False)


@dataclasses.dataclass(frozen=True)
class Version:
    record: Any
    changed: list[str]


def innovation_versions(*, innovation: Innovation) -> list[Version]:
    """Every saved version of a record, newest first, with the fields each one changed (one query)."""
    records = list(innovation.history.select_related("history_user").order_by("history_date", "history_id"))
    versions = []
    previous = None
    for record in records:
        if previous is None:
            changed = [str(_("created"))]
        else:
            changed = [
                innovation_field_label(name)
                for name in (*DIFF_FIELDS, "state", "submitted_at", "published_at")
                if getattr(previous, name) != getattr(record, name)
            ]
        versions.append(Version(record=record, changed=changed))
        previous = record
    versions.reverse()
    return versions


# --- Replications, lineage and sustainability ---

# Generations walked in each direction; each costs one query, so the lineage is bounded.
LINEAGE_DEPTH = 5
# Replications that count as "replicated": the owner approved them, or they run.
COUNTED_REPLICATION_STATUSES = (Replication.Status.APPROVED, Replication.Status.IMPLEMENTED)


@dataclass(frozen=True)
class LineageNode:
    """One replication of a record: where it went, how far it got, and its own replications."""

    institution: Institution
    region: Region | None
    status: str
    # The replica record only when it is published; otherwise the public sees "institution (in progress)".
    innovation: Innovation | None
    children: list[LineageNode] = field(default_factory=list)


@dataclass(frozen=True)
class Lineage:
    ancestors: list[Innovation]
    descendants: list[LineageNode]


def _is_public(innovation: Innovation | None) -> bool:
    return innovation is not None and innovation.state == State.PUBLISHED and innovation.revision_of_id is None


def innovation_lineage(*, innovation: Innovation) -> Lineage:
    """Where `innovation` came from and where it went, for public display.

    Returns Lineage(ancestors, descendants):
    - ancestors: list[Innovation], oldest first, the published origins the record descends from
      (through Replication.replica links), the record itself excluded. The walk stops at the first
      unpublished origin, so nothing unpublished is ever returned.
    - descendants: list[LineageNode], the non-rejected replications of the record; each node has
      institution, region (the institution's region), status (a Replication.Status value),
      innovation (the replica record only when PUBLISHED, else None: show "institution (in progress)"
      without a link) and children (the replications of that published replica, same shape).
      Replications of unpublished replicas are not followed.
    Both walks stop after LINEAGE_DEPTH generations: at most 2 * LINEAGE_DEPTH queries.
    """
    ancestors: list[Innovation] = []
    current = innovation
    for _generation in range(LINEAGE_DEPTH):
        link = (
            Replication.objects.filter(replica=current)
            .exclude(status=Replication.Status.REJECTED)
            .select_related("origin")
            .first()
        )
        if link is None or not _is_public(link.origin) or link.origin in ancestors or link.origin == innovation:
            break
        ancestors.insert(0, link.origin)
        current = link.origin

    seen: set[int] = {innovation.pk}
    roots: list[LineageNode] = []
    parents: dict[int, list[LineageNode]] = {innovation.pk: roots}
    for _generation in range(LINEAGE_DEPTH):
        if not parents:
            break
        rows = (
            Replication.objects.filter(origin_id__in=list(parents))
            .exclude(status=Replication.Status.REJECTED)
            .select_related("institution__region", "replica")
            .order_by("created_at", "pk")
        )
        next_parents: dict[int, list[LineageNode]] = {}
        for row in rows:
            replica = row.replica if _is_public(row.replica) else None
            node = LineageNode(
                institution=row.institution,
                region=row.institution.region,
                status=row.status,
                innovation=replica,
                children=[],
            )
            parents[row.origin_id].append(node)
            if replica is not None and replica.pk not in seen:
                seen.add(replica.pk)
                next_parents[replica.pk] = node.children
        parents = next_parents
    return Lineage(ancestors=ancestors, descendants=roots)


def with_replication_count(queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Annotate `replication_count`: replications of each record that were approved or implemented.

    A correlated subquery rather than a joined Count: it neither multiplies rows nor forces a GROUP BY
    when combined with search annotations and many-to-many filters.
    """
    counted = (
        Replication.objects.filter(origin=OuterRef("pk"), status__in=COUNTED_REPLICATION_STATUSES)
        .order_by()
        .values("origin")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(replication_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)))


def replications_visible_to(*, user: Any) -> QuerySet[Replication]:
    """Replications `user` may open: the hub sees all; an operator those to or from their institution."""
    base = Replication.objects.select_related("origin__institution__region", "institution__region", "replica")
    if not user.is_authenticated:
        return base.none()
    if can(user, "innovations.view_queue"):
        return base
    if user.institution_id is None or not can(user, "innovations.add_innovation"):
        return base.none()
    return base.filter(Q(institution_id=user.institution_id) | Q(origin__institution_id=user.institution_id))


def replications_filtered(*, user: Any, status: str = "", regency: Region | None = None) -> QuerySet[Replication]:
    """The replications list: visible to `user`, newest first, by status and by the regency of either side."""
    replications = replications_visible_to(user=user).order_by("-created_at", "-pk")
    if status:
        replications = replications.filter(status=status)
    if regency is not None:
        replications = replications.filter(Q(institution__region=regency) | Q(origin__region=regency))
    return replications


def replication_actions(*, replication: Replication, user: Any) -> set[str]:
    """The steps `user` may take on `replication` now: a subset of attach_agreement, approve, reject, implement."""
    following = Replication.STEPS.get(replication.status, set())
    decides = can(user, "innovations.decide_replication", replication)
    advances = can(user, "innovations.advance_replication", replication)
    actions: set[str] = set()
    if Replication.Status.AGREEMENT in following and (decides or advances):
        actions.add("attach_agreement")
    if Replication.Status.APPROVED in following and decides:
        actions.add("approve")
    if Replication.Status.REJECTED in following and decides:
        actions.add("reject")
    if Replication.Status.IMPLEMENTED in following and advances:
        actions.add("implement")
    return actions


def replica_candidates(*, replication: Replication) -> QuerySet[Innovation]:
    """Records of the replicating institution that may be linked as the replica."""
    return (
        Innovation.objects.filter(institution_id=replication.institution_id, revision_of__isnull=True)
        .exclude(pk=replication.origin_id)
        .exclude(replicated_from__isnull=False)
        .order_by("title")
    )


def innovation_replication_panel(*, innovation: Innovation, user: Any) -> dict[str, Any]:
    """What the staff record page shows about replications: origin link, replicas, open and rejected requests.

    Only replications `user` may open are listed (the hub: all; an operator: those of their institution).
    """
    visible = replications_visible_to(user=user)
    origin_link = visible.filter(replica=innovation).first()
    if origin_link is None:
        origin_link = Replication.objects.filter(replica=innovation).select_related("origin__institution").first()
        origin_link = origin_link if origin_link and _is_public(origin_link.origin) else None
    replications = list(visible.filter(origin=innovation).prefetch_related("events").order_by("-created_at"))
    open_statuses = {Replication.Status.INTEREST, Replication.Status.AGREEMENT}
    return {
        "origin_link": origin_link,
        "replicas": [r for r in replications if r.status in COUNTED_REPLICATION_STATUSES],
        "open_requests": [r for r in replications if r.status in open_statuses],
        "rejected": [r for r in replications if r.status == Replication.Status.REJECTED],
    }


def sustainability_history(*, innovation: Innovation) -> QuerySet[SustainabilityUpdate]:
    return SustainabilityUpdate.objects.filter(innovation=innovation).select_related("reported_by").order_by("-year")


def import_batches_visible_to(*, user: Any) -> QuerySet[ImportBatch]:
    """Past imports: hub administrators see them all; nobody else sees any."""
    if not can(user, "innovations.import_innovations"):
        return ImportBatch.objects.none()
    return ImportBatch.objects.select_related("created_by", "institution").order_by("-created_at", "-pk")


def open_replication(*, origin: Innovation, user: Any) -> Replication | None:
    """The user's institution's replication of `origin` that is not rejected, if it has one."""
    if not user.is_authenticated or user.institution_id is None:
        return None
    return (
        Replication.objects.filter(origin=origin, institution_id=user.institution_id)
        .exclude(status=Replication.Status.REJECTED)
        .first()
    )
