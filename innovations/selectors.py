"""Reads of innovation records, always scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jipp.permissions import can

from .models import Innovation, State


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


def innovations_of_institution(*, user: Any) -> QuerySet[Innovation]:
    """The operator's "my institution's innovations" list."""
    if not user.is_authenticated or user.institution_id is None:
        return Innovation.objects.none()
    return Innovation.objects.filter(institution_id=user.institution_id)


# --- Replications, lineage and sustainability (owned by the network area; append below) ---

from dataclasses import dataclass, field  # noqa: E402

from django.db.models import Count  # noqa: E402

from jipp.models import Institution, Region  # noqa: E402

from .models import Replication  # noqa: E402

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
    """Annotate `replication_count`: replications of each record that were approved or implemented."""
    return queryset.annotate(
        replication_count=Count(
            "replications", filter=Q(replications__status__in=COUNTED_REPLICATION_STATUSES), distinct=True
        )
    )
