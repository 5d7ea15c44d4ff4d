"""Conflicts of interest: which entries a reviewer (or panelist) must never score.

A conflict is declared (ConflictOfInterest: a reviewer with one entry, or with an institution and
everything under it) or derived from the hub network:
- the entry comes from the reviewer's own institution;
- from the parent institution of the reviewer's institution, or from an institution under it;
- from the reviewer's own regency (when the reviewer's institution sits in a regency).

Two shapes of the same rule: `conflicts_q` filters one reviewer's entries in the database (the
reviewers' selectors), `ConflictIndex` answers for many reviewers and entries in memory after two
queries (automatic assignment, the assignment matrix).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from jipp.models import Institution, Region, User

from .models import ConflictOfInterest, Entry


class Reason(models.TextChoices):
    DECLARED_ENTRY = "declared_entry", _("declared conflict with this entry")
    DECLARED_INSTITUTION = "declared_institution", _("declared conflict with the institution")
    OWN_INSTITUTION = "own_institution", _("the reviewer's own institution")
    PARENT_INSTITUTION = "parent_institution", _("the parent of the reviewer's institution")
    CHILD_INSTITUTION = "child_institution", _("an institution under the reviewer's institution")
    OWN_REGENCY = "own_regency", _("the reviewer's own regency")


@dataclass(frozen=True)
class Place:
    """Where a reviewer works or an entry comes from, as far as conflicts go."""

    institution_id: int | None
    parent_id: int | None
    region_id: int | None
    # The region when it is a regency; a provincial or national body has no regency.
    regency_id: int | None

    @classmethod
    def of(cls, institution: Institution | None) -> Place:
        """`institution` must come with its region loaded (select_related) to spare a query."""
        if institution is None:
            return cls(None, None, None, None)
        region: Region | None = institution.region
        regency = region.pk if region is not None and region.level == Region.Level.REGENCY else None
        return cls(institution.pk, institution.parent_id, institution.region_id, regency)


def derived_reason(reviewer: Place, entry: Place) -> Reason | None:
    """The network's reason why the reviewer at `reviewer` must not score an entry from `entry`."""
    if reviewer.institution_id is None or entry.institution_id is None:
        return None
    if entry.institution_id == reviewer.institution_id:
        return Reason.OWN_INSTITUTION
    if reviewer.parent_id is not None and entry.institution_id == reviewer.parent_id:
        return Reason.PARENT_INSTITUTION
    if entry.parent_id is not None and entry.parent_id == reviewer.institution_id:
        return Reason.CHILD_INSTITUTION
    if reviewer.regency_id is not None and entry.region_id == reviewer.regency_id:
        return Reason.OWN_REGENCY
    return None


def conflicts_q(*, reviewer: User, path: str = "") -> Q:
    """Entries (reached through `path`, e.g. "entry__") that `reviewer` must not score, as one filter
    for the database. Needs `reviewer.institution` with its region (select_related) to spare queries."""
    declared = ConflictOfInterest.objects.filter(reviewer=reviewer)
    entry_pk = OuterRef(f"{path}pk")
    institution = OuterRef(f"{path}institution_id")
    parent = OuterRef(f"{path}institution__parent_id")
    refused = Q(Exists(declared.filter(entry=entry_pk))) | Q(
        Exists(declared.filter(Q(institution=institution) | Q(institution=parent)))
    )
    place = Place.of(reviewer.institution)
    if place.institution_id is not None:
        refused |= Q(**{f"{path}institution_id": place.institution_id})
        refused |= Q(**{f"{path}institution__parent_id": place.institution_id})
    if place.parent_id is not None:
        refused |= Q(**{f"{path}institution_id": place.parent_id})
    if place.regency_id is not None:
        refused |= Q(**{f"{path}institution__region_id": place.regency_id})
    return refused


class ConflictIndex:
    """Conflicts between many reviewers and many entries, answered in memory.

    Reviewers need `institution__region` and entries `institution__region` loaded; building the
    index reads the declared conflicts in one query.
    """

    def __init__(self, *, reviewers: Iterable[User], entries: Iterable[Entry]) -> None:
        self.reviewers = {reviewer.pk: Place.of(reviewer.institution) for reviewer in reviewers}
        self.entries = {entry.pk: Place.of(entry.institution) for entry in entries}
        self.declared_entries: set[tuple[int, int]] = set()
        self.declared_institutions: set[tuple[int, int]] = set()
        for reviewer_id, entry_id, institution_id in ConflictOfInterest.objects.filter(
            reviewer_id__in=self.reviewers
        ).values_list("reviewer_id", "entry_id", "institution_id"):
            if entry_id is not None:
                self.declared_entries.add((reviewer_id, entry_id))
            else:
                self.declared_institutions.add((reviewer_id, institution_id))

    def reason(self, reviewer_id: int, entry_id: int) -> Reason | None:
        if (reviewer_id, entry_id) in self.declared_entries:
            return Reason.DECLARED_ENTRY
        entry = self.entries[entry_id]
        for institution_id in (entry.institution_id, entry.parent_id):
            if institution_id is not None and (reviewer_id, institution_id) in self.declared_institutions:
                return Reason.DECLARED_INSTITUTION
        return derived_reason(self.reviewers[reviewer_id], entry)
