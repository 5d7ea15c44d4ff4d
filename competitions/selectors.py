"""Reads of editions and entries, always scoped to what the user may see.

Staff scopes: the secretariat sees every edition (drafts too) and every entry; the hub administrator
every entry of announced editions; an operator the entries of their own institution. Reviewers and
panelists see no entry here: their entries are the assigned ones (see the reviewers' selectors).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from innovations.models import Innovation
from innovations.selectors import innovations_published
from jipp.models import Institution, User
from jipp.permissions import can

from .conflicts import ConflictIndex, Reason, conflicts_q
from .models import (
    SCORING_KINDS,
    Assignment,
    AuditRecord,
    Certificate,
    ConflictOfInterest,
    Decision,
    Edition,
    EditionCategory,
    Entry,
    EntryGroup,
    Objection,
    Review,
    Score,
    Stage,
)
from .services.scoring import CountedReview, RankKey, StageScores, ranking_order, stage_scores


def editions_visible_to(*, user: User | AnonymousUser) -> QuerySet[Edition]:
    """Editions a staff page may open: all for the secretariat, announced and closed ones for other staff."""
    if not user.is_authenticated:
        return Edition.objects.none()
    if can(user, "competitions.manage_editions"):
        return Edition.objects.all()
    return Edition.objects.exclude(status=Edition.Status.DRAFT)


def editions_with_stages(*, user: User | AnonymousUser) -> QuerySet[Edition]:
    """The editions list: each edition with its stages, in two queries whatever the number of editions."""
    return (
        editions_visible_to(user=user)
        .annotate(entry_count=Count("entries", filter=~Q(entries__status=Entry.Status.WITHDRAWN), distinct=True))
        .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order")))
        .order_by("-year")
    )


def stage_of(*, edition: Edition, kind: str) -> Stage | None:
    return edition.stages.filter(kind=kind).first()


def stages_of(*, edition: Edition) -> QuerySet[Stage]:
    return edition.stages.order_by("order").prefetch_related("criteria")


def stage_current(*, edition: Edition, at: datetime | None = None) -> Stage | None:
    """The stage open now (the latest to open when dates overlap), or None between stages."""
    moment = at or timezone.now()
    return edition.stages.filter(opens_at__lte=moment, closes_at__gt=moment).order_by("-order").first()


def editions_open_for_entry(*, at: datetime | None = None) -> QuerySet[Edition]:
    """Announced editions whose registration is open now."""
    moment = at or timezone.now()
    return Edition.objects.filter(
        status=Edition.Status.OPEN,
        stages__kind=Stage.Kind.REGISTRATION,
        stages__opens_at__lte=moment,
        stages__closes_at__gt=moment,
    ).order_by("-year")


def innovations_enterable(*, user: User | AnonymousUser) -> QuerySet[Innovation]:
    """Published records `user` may enter: their institution's for an operator, every one for the hub."""
    if not user.is_authenticated or not can(user, "competitions.add_entry"):
        return Innovation.objects.none()
    records = innovations_published().select_related("institution")
    if can(user, "innovations.view_queue"):
        return records.order_by("institution__name", "title")
    if not isinstance(user, User) or user.institution_id is None:
        return Innovation.objects.none()
    return records.filter(institution_id=user.institution_id).order_by("title")


def entries_visible_to(*, user: User | AnonymousUser) -> QuerySet[Entry]:
    """Entries a staff page may open: every entry for the secretariat and the hub, an operator's
    institution's entries; none for anybody else."""
    if not user.is_authenticated or not can(user, "competitions.view_entries"):
        return Entry.objects.none()
    entries = Entry.objects.select_related("edition", "category", "institution", "institution__region")
    if can(user, "competitions.manage_editions"):
        return entries
    if can(user, "innovations.view_queue"):
        return entries.exclude(edition__status=Edition.Status.DRAFT)
    if not isinstance(user, User) or user.institution_id is None:
        return Entry.objects.none()
    return entries.filter(institution_id=user.institution_id)


def entries_of_edition(*, user: User | AnonymousUser, edition: Edition) -> QuerySet[Entry]:
    return entries_visible_to(user=user).filter(edition=edition).order_by("number")


def entries_for_selection(*, user: User | AnonymousUser, edition: Edition) -> QuerySet[Entry]:
    """The administrative selection's list: the secretariat's, every entry but the withdrawn ones."""
    if not can(user, "competitions.select_entries"):
        return Entry.objects.none()
    return (
        Entry.objects.filter(edition=edition)
        .exclude(status=Entry.Status.WITHDRAWN)
        .select_related("edition", "category", "institution", "institution__region")
        .order_by("number")
    )


def entry_status_counts(*, entries: QuerySet[Entry]) -> dict[str, int]:
    """How many of `entries` are in each status, counted by the database."""
    counted = dict(entries.order_by().values_list("status").annotate(count=Count("pk")))
    return {status: counted.get(status, 0) for status in Entry.Status.values}


# What an entry's history shows to whoever may open the entry besides the secretariat (its
# institution, the hub): their own steps and the administrative selection. Who scores it, when and
# how stays with the secretariat, and a decision shows once its stage's result is published.
ENTRANT_ACTIONS = (
    AuditRecord.Action.ENTRY_SUBMITTED,
    AuditRecord.Action.ENTRY_WITHDRAWN,
    AuditRecord.Action.ADMIN_SELECTION,
)


def entry_audit(*, entry: Entry, user: User | AnonymousUser) -> QuerySet[AuditRecord]:
    """An entry's history as `user` may read it: all of it for the secretariat (see ENTRANT_ACTIONS)."""
    records = entry.audit_records.select_related("actor", "stage").order_by("created_at", "pk")
    if can(user, "competitions.manage_editions"):
        return records
    return records.filter(
        Q(action__in=ENTRANT_ACTIONS) | Q(action=AuditRecord.Action.DECISION, stage__results_published_at__isnull=False)
    )


def edition_audit(*, edition: Edition, action: str = "") -> QuerySet[AuditRecord]:
    """The secretariat's whole audit trail of an edition, newest first, optionally of one action."""
    records = edition.audit_records.select_related("actor", "entry__edition", "stage")
    if action:
        records = records.filter(action=action)
    return records.order_by("-created_at", "-pk")


def dashboard_entries(*, user: User | AnonymousUser, limit: int = 5) -> list[Entry]:
    """The latest entries of the user's scope, for the dashboard."""
    return list(entries_visible_to(user=user).order_by("-submitted_at", "-pk")[:limit])


def edition_summary(*, edition: Edition) -> dict[str, Any]:
    """The secretariat's view of one edition: entries per status and the stage open now."""
    counts = entry_status_counts(entries=Entry.objects.filter(edition=edition))
    return {
        "edition": edition,
        "statuses": [(value, label, counts[value]) for value, label in Entry.Status.choices],
        "current_stage": stage_current(edition=edition),
    }


def dashboard_editions(*, user: User | AnonymousUser) -> list[dict[str, Any]]:
    """The secretariat's editions in progress, each with its entries per status and the stage open now,
    in three queries whatever the number of editions."""
    if not can(user, "competitions.manage_editions"):
        return []
    editions = list(
        Edition.objects.exclude(status=Edition.Status.CLOSED)
        .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order")))
        .order_by("-year")
    )
    counted: dict[tuple[int, str], int] = {
        (edition_id, status): count
        for edition_id, status, count in Entry.objects.filter(edition__in=editions)
        .order_by()
        .values_list("edition", "status")
        .annotate(count=Count("pk"))
    }
    now = timezone.now()
    return [
        {
            "edition": edition,
            "statuses": [
                (value, label, counted.get((edition.pk, value), 0))
                for value, label in Entry.Status.choices
                if counted.get((edition.pk, value))
            ],
            "current_stage": next((stage for stage in reversed(edition.stages.all()) if stage.is_open(now)), None),
        }
        for edition in editions
    ]


# --- Scoring stages: who scores which entry (the reviewers' scope), assignments and loads ----------

# Entries that passed the administrative selection, whatever happened to them since.
PASSED_ADMINISTRATIVE = (Entry.Status.PASSED, Entry.Status.FINALIST, Entry.Status.WINNER, Entry.Status.ELIMINATED)
# Outcomes of an earlier stage that carry an entry into the later scoring stages.
CARRIED_OUTCOMES = (
    Decision.Outcome.FINALIST,
    Decision.Outcome.TOP_99,
    Decision.Outcome.TOP_45,
    Decision.Outcome.OUTSTANDING,
)


def stage_pool(*, stage: Stage) -> QuerySet[Entry]:
    """The entries a scoring stage scores: for the desk evaluation those that passed the administrative
    selection; for a later stage the finalists (by status, or by an earlier stage's decision)."""
    entries = Entry.objects.filter(edition_id=stage.edition_id)
    if stage.kind == Stage.Kind.DESK:
        return entries.filter(status__in=PASSED_ADMINISTRATIVE)
    carried = Decision.objects.filter(
        entry=OuterRef("pk"), stage__edition_id=stage.edition_id, stage__order__lt=stage.order
    ).filter(outcome__in=CARRIED_OUTCOMES)
    return entries.filter(Q(status__in=(Entry.Status.FINALIST, Entry.Status.WINNER)) | Q(Exists(carried)))


def stage_scorer_role(stage: Stage) -> str:
    return stage.scorer or SCORING_KINDS.get(stage.kind, "")


def stage_scorers(*, stage: Stage) -> QuerySet[User]:
    """Active users holding the role that scores `stage` (reviewers, or panelists), with their place."""
    return (
        User.objects.filter(is_active=True, groups__name=stage_scorer_role(stage))
        .select_related("institution__region")
        .order_by("last_name", "first_name", "username")
    )


def reviewer_assignments(*, user: User | AnonymousUser, at: datetime | None = None) -> QuerySet[Assignment]:
    """What a reviewer or panelist may open: their own active assignments in scoring stages open now of
    announced editions, minus any entry they have a conflict with. Anything else is a 404."""
    if not isinstance(user, User) or not can(user, "competitions.score_entries"):
        return Assignment.objects.none()
    moment = at or timezone.now()
    reviewer = User.objects.select_related("institution__region").get(pk=user.pk)
    return (
        Assignment.objects.filter(
            reviewer=reviewer,
            released_at__isnull=True,
            stage__opens_at__lte=moment,
            stage__closes_at__gt=moment,
            stage__edition__status=Edition.Status.OPEN,
        )
        .exclude(conflicts_q(reviewer=reviewer, path="entry__"))
        .select_related("stage__edition", "entry__edition", "entry__category", "review")
        .order_by("stage__closes_at", "entry__number")
    )


@dataclass(frozen=True)
class MatrixCell:
    reviewer: User
    assignment: Assignment | None
    # "submitted", "draft" or "assigned" for an active assignment; "released" for one taken back;
    # "conflict" where the reviewer may not score the entry; "" where nothing stands in the way.
    state: str
    conflict: Reason | None = None


@dataclass(frozen=True)
class MatrixRow:
    entry: Entry
    cells: list[MatrixCell]
    active: int


def assignment_matrix(*, stage: Stage, entries: Sequence[Entry], reviewers: Sequence[User]) -> list[MatrixRow]:
    """Entries x scorers of a stage: each cell's assignment, review and conflict, in two queries
    whatever the size (entries and reviewers need `institution__region`)."""
    assignments = {
        (assignment.entry_id, assignment.reviewer_id): assignment
        for assignment in Assignment.objects.filter(stage=stage, entry__in=[entry.pk for entry in entries])
        .select_related("review")
        .only("pk", "entry_id", "reviewer_id", "released_at", "method", "review__status", "review__id")
    }
    index = ConflictIndex(reviewers=reviewers, entries=entries)
    rows = []
    for entry in entries:
        cells = []
        for reviewer in reviewers:
            assignment = assignments.get((entry.pk, reviewer.pk))
            conflict = index.reason(reviewer.pk, entry.pk)
            if assignment is not None and assignment.released_at is None:
                review = getattr(assignment, "review", None)
                state = review.status if review is not None else "assigned"
            elif conflict is not None:
                state = "conflict"
            elif assignment is not None:
                state = "released"
            else:
                state = ""
            cells.append(MatrixCell(reviewer, assignment, state, conflict))
        active = sum(1 for cell in cells if cell.state in ("assigned", Review.Status.DRAFT, Review.Status.SUBMITTED))
        rows.append(MatrixRow(entry, cells, active))
    return rows


@dataclass(frozen=True)
class ReviewerLoad:
    reviewer: User
    active: int
    submitted: int


def reviewer_loads(*, stage: Stage, reviewers: Sequence[User]) -> list[ReviewerLoad]:
    """Each scorer's active assignments in `stage` and how many of them are submitted, in one query."""
    counted = {
        row["reviewer_id"]: row
        for row in Assignment.objects.filter(stage=stage, released_at__isnull=True)
        .order_by()
        .values("reviewer_id")
        .annotate(active=Count("pk"), submitted=Count("pk", filter=Q(review__status=Review.Status.SUBMITTED)))
    }
    return [
        ReviewerLoad(
            reviewer,
            counted.get(reviewer.pk, {}).get("active", 0),
            counted.get(reviewer.pk, {}).get("submitted", 0),
        )
        for reviewer in reviewers
    ]


def reviews_beside(*, assignment: Assignment) -> list[Review] | None:
    """The other scorers' submitted reviews of the same entry in the same stage, scores included, as the
    scorer of `assignment` may read them; None while the stage hides them until one's own is submitted."""
    submitted = Review.objects.filter(status=Review.Status.SUBMITTED)
    if assignment.stage.hide_reviews_until_submitted and not submitted.filter(assignment=assignment).exists():
        return None
    return list(
        submitted.filter(assignment__stage_id=assignment.stage_id, assignment__entry_id=assignment.entry_id)
        .exclude(assignment=assignment)
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion").order_by("criterion__order", "pk"))
        )
        .order_by("submitted_at", "pk")
    )


def scoring_stages_in_progress(*, at: datetime | None = None) -> list[Stage]:
    """Scoring stages not yet closed of editions not closed, each with its active assignments and
    submitted reviews counted (`assigned`, `submitted`), in one query: the secretariat's dashboard."""
    moment = at or timezone.now()
    return list(
        Stage.objects.filter(kind__in=list(SCORING_KINDS), closes_at__gt=moment)
        .exclude(edition__status=Edition.Status.CLOSED)
        .select_related("edition")
        .annotate(
            assigned=Count("assignments", filter=Q(assignments__released_at__isnull=True), distinct=True),
            submitted=Count(
                "assignments__review", filter=Q(assignments__review__status=Review.Status.SUBMITTED), distinct=True
            ),
        )
        .order_by("opens_at", "pk")
    )


# --- Scores of a scoring stage: counted reviews, agreement, ranking (definitions: services/scoring) ----


@dataclass(frozen=True)
class DeclaredConflicts:
    """The declared conflicts that concern an edition's entries, to leave out the reviews they cover."""

    entries: set[tuple[int, int]]  # (reviewer, entry)
    institutions: set[tuple[int, int]]  # (reviewer, institution)

    @classmethod
    def of(cls, *, edition_id: int) -> DeclaredConflicts:
        entries: set[tuple[int, int]] = set()
        institutions: set[tuple[int, int]] = set()
        for reviewer_id, entry_id, institution_id in ConflictOfInterest.objects.filter(
            Q(entry__edition_id=edition_id) | Q(institution__isnull=False)
        ).values_list("reviewer_id", "entry_id", "institution_id"):
            if entry_id is not None:
                entries.add((reviewer_id, entry_id))
            else:
                institutions.add((reviewer_id, institution_id))
        return cls(entries, institutions)

    def __bool__(self) -> bool:
        return bool(self.entries or self.institutions)

    def cover(self, reviewer_id: int, entry_id: int, institutions: tuple[int, int | None]) -> bool:
        return (reviewer_id, entry_id) in self.entries or any(
            (reviewer_id, institution_id) in self.institutions for institution_id in institutions if institution_id
        )


def counted_reviews(
    *, stage: Stage, entries: dict[int, tuple[int, int | None]], declared: DeclaredConflicts
) -> list[CountedReview]:
    """The reviews that count in `stage`, in one query: submitted, with a total, of the given entries
    (id -> (institution, parent institution)), of active or released assignments (a reassigned
    scorer's submitted review still counts), except those of a scorer who has since declared a
    conflict with the entry or its institution."""
    rows = Review.objects.filter(
        assignment__stage=stage, status=Review.Status.SUBMITTED, total__isnull=False
    ).values_list("assignment__entry_id", "assignment__reviewer_id", "total")
    return [
        CountedReview(entry_id, reviewer_id, total)
        for entry_id, reviewer_id, total in rows
        if total is not None
        and entry_id in entries
        and not (declared and declared.cover(reviewer_id, entry_id, entries[entry_id]))
    ]


def previous_scoring_stage(*, stage: Stage) -> Stage | None:
    return (
        Stage.objects.filter(edition_id=stage.edition_id, order__lt=stage.order, kind__in=list(SCORING_KINDS))
        .order_by("-order")
        .first()
    )


# The fields of a ranked entry that are loaded (with its edition, category and institution): loading
# every field, the snapshot above all, of thousands of entries would cost more than the ranking.
RANKED_ENTRY_FIELDS = ("pk", "edition_id", "number", "group", "category_id", "institution_id", "status", "submitted_at")


@dataclass(frozen=True)
class RankedEntry:
    """One line of a scoring stage's ranking.

    `entry` comes with RANKED_ENTRY_FIELDS only, and its edition, category and institution (with
    region): read the title from `title` (entry.title, or any other field, costs a query per entry;
    load the entries again, e.g. with in_bulk, to read more of them). `score` is the mean (or median, a stage option) of
    the submitted review totals; `calibrated_score` the calibrated one (computed whether or not the
    stage ranks by it); `ranking_score` the one the rank follows; `previous_score` the entry's score
    in the previous scoring stage, the first tie-breaker. Entries without a submitted review have no
    scores and come last.
    """

    entry: Entry
    title: str
    score: Decimal | None
    calibrated_score: Decimal | None
    ranking_score: Decimal | None
    spread: Decimal | None
    flagged: bool
    rank: int
    reviews: int
    previous_score: Decimal | None


@dataclass(frozen=True)
class StageRanking:
    stage: Stage
    previous_stage: Stage | None
    scores: StageScores
    ranking: list[RankedEntry]


def _ranking_pool(stage: Stage) -> list[Entry]:
    """The stage's pool with edition, category and institution attached from three small queries:
    joining them into the pool's query costs more than it saves once there are thousands of entries."""
    pool: list[Entry] = list(
        stage_pool(stage=stage)
        .only(*RANKED_ENTRY_FIELDS)
        .annotate(snapshot_title=KeyTextTransform("title", "snapshot"))
        .order_by("number")
    )
    edition = stage.edition
    categories = EditionCategory.objects.filter(edition_id=stage.edition_id).in_bulk()
    institutions = Institution.objects.select_related("region").in_bulk({entry.institution_id for entry in pool})
    fields = Entry._meta
    for entry in pool:
        # What the related descriptors would cache, without their checks on every assignment.
        fields.get_field("edition").set_cached_value(entry, edition)
        fields.get_field("category").set_cached_value(entry, categories[entry.category_id])
        fields.get_field("institution").set_cached_value(entry, institutions[entry.institution_id])
    return pool


def stage_ranking_with_agreement(*, stage: Stage) -> StageRanking:
    """The ranking of a scoring stage's pool with the stage's agreement figures, in seven queries
    whatever the number of entries and reviews (eight when the stage comes without its edition)."""
    pool = _ranking_pool(stage)
    places = {entry.pk: (entry.institution_id, entry.institution.parent_id) for entry in pool}
    declared = DeclaredConflicts.of(edition_id=stage.edition_id)

    def scores_of(scored_stage: Stage) -> StageScores:
        return stage_scores(
            counted_reviews(stage=scored_stage, entries=places, declared=declared),
            aggregation=scored_stage.aggregation,
            spread_threshold=scored_stage.spread_threshold,
        )

    scores = scores_of(stage)
    previous = previous_scoring_stage(stage=stage)
    previous_scores = scores_of(previous) if previous is not None else None
    keys = [
        RankKey(
            entry_id=entry.pk,
            score=scores.score_of(entry.pk, calibrated=stage.calibrated),
            previous_score=previous_scores.score_of(entry.pk, calibrated=previous.calibrated)
            if previous is not None and previous_scores is not None
            else None,
            submitted_at=entry.submitted_at,
            number=entry.number,
        )
        for entry in pool
    ]
    entries = {entry.pk: entry for entry in pool}
    ranking = []
    for rank, key in enumerate(ranking_order(keys), start=1):
        entry = entries[key.entry_id]
        scored = scores.entries.get(entry.pk)
        ranking.append(
            RankedEntry(
                entry=entry,
                title=str(getattr(entry, "snapshot_title", "") or ""),
                score=scored.score if scored else None,
                calibrated_score=scored.calibrated if scored else None,
                ranking_score=key.score,
                spread=scored.spread if scored else None,
                flagged=scored.flagged if scored else False,
                rank=rank,
                reviews=scored.reviews if scored else 0,
                previous_score=key.previous_score,
            )
        )
    return StageRanking(stage=stage, previous_stage=previous, scores=scores, ranking=ranking)


def stage_ranking(*, stage: Stage) -> list[RankedEntry]:
    """The ranking of a scoring stage (see RankedEntry), for the decisions and the exports."""
    return stage_ranking_with_agreement(stage=stage).ranking


# --- Decisions and published results -------------------------------------------------------------

# Stages whose outcome the secretariat decides on a ranking (finalists; winners).
DECISION_KINDS = (Stage.Kind.FINALIST, Stage.Kind.FINAL)


def decision_stages(*, edition: Edition) -> list[Stage]:
    return list(edition.stages.filter(kind__in=DECISION_KINDS).order_by("order"))


def decision_source(*, stage: Stage) -> Stage | None:
    """The scoring stage whose ranking a decision stage decides on: the latest one before it."""
    return (
        Stage.objects.filter(edition_id=stage.edition_id, order__lt=stage.order, kind__in=list(SCORING_KINDS))
        .order_by("-order")
        .first()
    )


@dataclass(frozen=True)
class DecisionRow:
    """One line of a decision stage's ranked table: the source stage's ranking of the entry, its
    place among the rows shown (after the filters), and the decision taken so far."""

    entry: Entry  # its snapshot is not loaded: the title is beside it
    title: str
    score: Decimal | None  # the score the ranking goes by: calibrated when the source stage is
    raw_score: Decimal | None
    calibrated_score: Decimal | None
    spread: Decimal | None
    flagged: bool
    rank: int
    position: int
    decision: Decision | None


def decision_table(*, stage: Stage) -> list[DecisionRow]:
    """The ranked table of a decision stage: the source stage's ranking (a fixed number of queries,
    see stage_ranking) and this stage's decisions (one query)."""
    source = decision_source(stage=stage)
    if source is None:
        return []
    decisions = {decision.entry_id: decision for decision in Decision.objects.filter(stage=stage)}
    return [
        DecisionRow(
            entry=ranked.entry,
            title=ranked.title,
            score=ranked.ranking_score,
            raw_score=ranked.score,
            calibrated_score=ranked.calibrated_score,
            spread=ranked.spread,
            flagged=ranked.flagged,
            rank=ranked.rank,
            position=position,
            decision=decisions.get(ranked.entry.pk),
        )
        for position, ranked in enumerate(stage_ranking(stage=source), start=1)
    ]


def decision_rows_of(
    rows: Sequence[DecisionRow], *, group: str = "", category_id: int | None = None
) -> list[DecisionRow]:
    """The rows of one group and one category (either optional), numbered again from 1."""
    kept = [
        row
        for row in rows
        if (not group or row.entry.group == group) and (not category_id or row.entry.category_id == category_id)
    ]
    return [replace(row, position=position) for position, row in enumerate(kept, start=1)]


def decision_counts(*, stage: Stage) -> dict[str, int]:
    """How many entries got each outcome at `stage`, counted by the database."""
    counted = dict(Decision.objects.filter(stage=stage).order_by().values_list("outcome").annotate(count=Count("pk")))
    return {outcome: counted.get(outcome, 0) for outcome in Decision.Outcome.values}


def objections_of(*, edition: Edition) -> QuerySet[Objection]:
    """The objections filed against an edition's finalists, unanswered first (the secretariat's)."""
    return (
        Objection.objects.filter(entry__edition=edition)
        .select_related("entry__edition", "entry__institution", "answered_by")
        .order_by(F("answered_at").asc(nulls_first=True), "-created_at")
    )


# Outcomes shown on a public results page (an entry not continued is never listed).
PUBLIC_OUTCOMES = (
    Decision.Outcome.OUTSTANDING,
    Decision.Outcome.TOP_45,
    Decision.Outcome.TOP_99,
    Decision.Outcome.FINALIST,
)
PUBLIC_ORDER: dict[str, int] = {str(outcome): index for index, outcome in enumerate(PUBLIC_OUTCOMES)}


def editions_with_results() -> QuerySet[Edition]:
    """Editions with at least one published result, newest first: the only ones the public sees."""
    published = Stage.objects.filter(edition=OuterRef("pk"), results_published_at__isnull=False)
    return (
        Edition.objects.exclude(status=Edition.Status.DRAFT)
        .filter(Exists(published))
        .prefetch_related(
            Prefetch(
                "stages",
                queryset=Stage.objects.filter(results_published_at__isnull=False).order_by("order"),
                to_attr="published_stages",
            )
        )
        .order_by("-year")
    )


def results_published_years() -> dict[int, datetime]:
    """The years of editions_with_results(), oldest first, each with when its latest result was published."""
    return dict(
        Stage.objects.filter(results_published_at__isnull=False)
        .exclude(edition__status=Edition.Status.DRAFT)
        .order_by("edition__year")
        .values_list("edition__year")
        .annotate(latest=Max("results_published_at"))
    )


@dataclass(frozen=True)
class ResultCategory:
    category: EditionCategory
    decisions: list[Decision]


@dataclass(frozen=True)
class ResultGroup:
    group: str
    label: str
    categories: list[ResultCategory]


@dataclass(frozen=True)
class StageResult:
    """One published stage of an edition: its listed entries by group and by category."""

    stage: Stage
    groups: list[ResultGroup]
    count: int


def published_decisions(*, edition: Edition) -> QuerySet[Decision]:
    """The decisions the public may read: listed outcomes of published stages; no score, no rank."""
    return (
        Decision.objects.filter(
            stage__edition=edition,
            stage__edition__status__in=(Edition.Status.OPEN, Edition.Status.CLOSED),
            stage__results_published_at__isnull=False,
            outcome__in=PUBLIC_OUTCOMES,
        )
        .select_related("stage", "entry__edition", "entry__category", "entry__institution__region", "entry__innovation")
        .annotate(entry_title=KeyTextTransform("title", "entry__snapshot"))
        .defer("score", "rank", "note", "entry__snapshot")
    )


def edition_results(*, edition: Edition) -> list[StageResult]:
    """An edition's published results, the latest stage first, each by group and category (outcome,
    then entry number inside), in one query."""
    group_order = {group: index for index, group in enumerate(EntryGroup.values)}
    by_stage: dict[int, tuple[Stage, list[Decision]]] = {}
    for decision in published_decisions(edition=edition):
        by_stage.setdefault(decision.stage_id, (decision.stage, []))[1].append(decision)
    results = []
    for stage, decisions in sorted(by_stage.values(), key=lambda item: -item[0].order):
        decisions.sort(
            key=lambda d: (group_order[d.entry.group], d.entry.category.code, PUBLIC_ORDER[d.outcome], d.entry.number)
        )
        groups: list[ResultGroup] = []
        for decision in decisions:
            if not groups or groups[-1].group != decision.entry.group:
                groups.append(ResultGroup(decision.entry.group, decision.entry.get_group_display(), []))
            categories = groups[-1].categories
            if not categories or categories[-1].category.pk != decision.entry.category_id:
                categories.append(ResultCategory(decision.entry.category, []))
            categories[-1].decisions.append(decision)
        results.append(StageResult(stage, groups, len(decisions)))
    return results


def latest_result() -> dict[str, Any] | None:
    """The latest published result for the home page: its edition, stage and the listed entries."""
    stage = (
        Stage.objects.filter(
            results_published_at__isnull=False,
            edition__status__in=(Edition.Status.OPEN, Edition.Status.CLOSED),
        )
        .select_related("edition")
        .order_by("-results_published_at", "-order")
        .first()
    )
    if stage is None:
        return None
    decisions = sorted(
        published_decisions(edition=stage.edition).filter(stage=stage),
        key=lambda d: (PUBLIC_ORDER[d.outcome], d.entry.number),
    )
    return {"stage": stage, "edition": stage.edition, "decisions": decisions}


def certificate_verified(*, code: str) -> Certificate | None:
    """The certificate with this verification code (case and spaces forgiven), or None."""
    normalised = "".join(code.split()).upper()
    if not normalised:
        return None
    return (
        Certificate.objects.filter(code=normalised)
        .select_related("entry__edition", "entry__institution", "entry__category", "entry__innovation")
        .first()
    )


def public_finalist(*, year: int, number: int) -> tuple[Entry, Stage] | None:
    """An entry of `year` that an announced finalist decision made a finalist, with that decision's
    stage; None for any other entry (nothing about it is public)."""
    decision = (
        Decision.objects.filter(
            entry__edition__year=year,
            entry__number=number,
            stage__kind=Stage.Kind.FINALIST,
            stage__announced_at__isnull=False,
            stage__results_published_at__isnull=False,
            outcome__in=(Decision.Outcome.FINALIST, Decision.Outcome.TOP_99),
        )
        .exclude(entry__edition__status=Edition.Status.DRAFT)
        .select_related("entry__edition", "entry__institution", "entry__category", "entry__innovation", "stage")
        .first()
    )
    return (decision.entry, decision.stage) if decision is not None else None
