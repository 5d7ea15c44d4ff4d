"""Writes: the secretariat's decisions on a ranking, and the public's objections to announced finalists.

A decision stage (finalist decision, final decision) decides on the ranking of the scoring stage
before it (competitions.selectors.decision_table). The secretariat sets a cut (the first N of the
rows shown, or every entry at or above a passing grade), previews it and marks those entries with
one outcome, optionally the rest of the rows as not continued. Decisions stay private until the
stage's result is published (competitions.services.results); after that only the finalist decision
may still change (an upheld objection), the final decision never. Every decision that changes an
entry's outcome is recorded in the audit trail with who, when, before and after.

Once the finalists are announced anyone may object to one of them until the objection window
closes; the secretariat answers each objection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.models import User
from jipp.permissions import ensure_can

from ..models import AuditRecord, Decision, Entry, Objection, Stage
from ..selectors import DECISION_KINDS, DecisionRow, decision_rows_of, decision_table
from .audit import audit_record, audit_records

# The outcomes each decision stage may give.
OUTCOMES_BY_KIND: dict[str, tuple[str, ...]] = {
    Stage.Kind.FINALIST: (Decision.Outcome.FINALIST, Decision.Outcome.TOP_99, Decision.Outcome.ELIMINATED),
    Stage.Kind.FINAL: (
        Decision.Outcome.OUTSTANDING,
        Decision.Outcome.TOP_45,
        Decision.Outcome.TOP_99,
        Decision.Outcome.ELIMINATED,
    ),
}
# The entry's status once the outcome is published.
STATUS_BY_OUTCOME: dict[str, str] = {
    Decision.Outcome.FINALIST: Entry.Status.FINALIST,
    Decision.Outcome.TOP_99: Entry.Status.FINALIST,
    Decision.Outcome.TOP_45: Entry.Status.WINNER,
    Decision.Outcome.OUTSTANDING: Entry.Status.WINNER,
    Decision.Outcome.ELIMINATED: Entry.Status.ELIMINATED,
}
# Outcomes of a finalist decision that make an entry a finalist anyone may object to.
FINALIST_OUTCOMES = (Decision.Outcome.FINALIST, Decision.Outcome.TOP_99)


class CutMode:
    TOP = "top"
    GRADE = "grade"


@dataclass(frozen=True)
class Cut:
    """Where the line falls: the first `top` rows, or the rows scoring at least `grade`."""

    mode: str
    top: int | None = None
    grade: Decimal | None = None

    def above(self, rows: Sequence[DecisionRow]) -> list[DecisionRow]:
        if self.mode == CutMode.TOP:
            return list(rows[: self.top or 0])
        if self.mode == CutMode.GRADE and self.grade is not None:
            grade = self.grade
            return [row for row in rows if row.score is not None and row.score >= grade]
        raise ValidationError(_("Choose how to cut the ranking."), code="cut_mode")


def outcomes_for(stage: Stage) -> tuple[str, ...]:
    return OUTCOMES_BY_KIND.get(stage.kind, ())


def decisions_locked(stage: Stage) -> bool:
    """Whether a stage's decisions may no longer change: the final decision once published."""
    return stage.kind == Stage.Kind.FINAL and stage.results_published


def _locked_decision_stage(stage: Stage) -> Stage:
    stage = Stage.objects.select_for_update().select_related("edition").get(pk=stage.pk)
    if stage.kind not in DECISION_KINDS:
        raise ValidationError(_("Only a finalist or final decision takes decisions."), code="not_decision")
    if decisions_locked(stage):
        raise ValidationError(_("The final result is published: its decisions can no longer change."), code="published")
    return stage


def _snapshot(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {"outcome": decision.outcome, "score": _number(decision.score), "rank": decision.rank}


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _mark(
    *, stage: Stage, by: User, rows: dict[int, DecisionRow], entry_ids: Sequence[int], outcome: str, note: str
) -> list[Decision]:
    if outcome not in outcomes_for(stage):
        raise ValidationError(
            _("“%(outcome)s” is not an outcome of the %(stage)s.")
            % {"outcome": outcome, "stage": stage.get_kind_display().lower()},
            code="outcome",
        )
    if set(entry_ids) - set(rows):
        raise ValidationError(_("Some of the entries are not in this stage's ranking."), code="not_ranked")
    existing = {
        decision.entry_id: decision
        for decision in Decision.objects.select_for_update().filter(stage=stage, entry_id__in=entry_ids)
    }
    now = timezone.now()
    created, updated, items = [], [], []
    for entry_id in dict.fromkeys(entry_ids):
        row, decision = rows[entry_id], existing.get(entry_id)
        if decision is not None and decision.outcome == outcome:
            continue
        before = _snapshot(decision)
        if decision is None:
            decision = Decision(entry=row.entry, stage=stage)
            created.append(decision)
        else:
            decision.entry = row.entry
            updated.append(decision)
        decision.outcome, decision.score, decision.rank, decision.note = outcome, row.score, row.rank, note.strip()
        decision.decided_by, decision.decided_at, decision.updated_at = by, now, now
        items.append((row.entry, {"before": before, "after": _snapshot(decision), "note": decision.note}))
    Decision.objects.bulk_create(created)
    Decision.objects.bulk_update(
        updated, ["outcome", "score", "rank", "note", "decided_by", "decided_at", "updated_at"]
    )
    audit_records(edition=stage.edition, stage=stage, action=AuditRecord.Action.DECISION, by=by, items=items)
    changed = created + updated
    if stage.results_published and changed:
        # A finalist decision already public: the entries' statuses follow at once.
        _statuses_follow(changed, now)
    return changed


@transaction.atomic
def decisions_mark(*, stage: Stage, by: User, entry_ids: Sequence[int], outcome: str, note: str = "") -> list[Decision]:
    """Give the entries `entry_ids` of the stage's ranking the outcome `outcome`; an entry that had
    another outcome gets the new one. Returns the decisions that changed (same outcome: no change)."""
    ensure_can(by, "competitions.decide", stage)
    stage = _locked_decision_stage(stage)
    rows = {row.entry.pk: row for row in decision_table(stage=stage)}
    return _mark(stage=stage, by=by, rows=rows, entry_ids=entry_ids, outcome=outcome, note=note)


@transaction.atomic
def decisions_cut(
    *,
    stage: Stage,
    by: User,
    cut: Cut,
    outcome: str,
    group: str = "",
    category_id: int | None = None,
    rest_eliminated: bool = False,
    note: str = "",
) -> tuple[list[Decision], list[Decision]]:
    """Apply a cut to the ranked table (one group and category when given): the entries above it get
    `outcome`, and with `rest_eliminated` the others of the table are not continued. Returns the
    decisions that changed, above the cut and below it."""
    ensure_can(by, "competitions.decide", stage)
    stage = _locked_decision_stage(stage)
    table = decision_table(stage=stage)
    rows = decision_rows_of(table, group=group, category_id=category_id)
    above = cut.above(rows)
    if not above:
        raise ValidationError(_("No entry is above this cut."), code="empty_cut")
    by_id = {row.entry.pk: row for row in table}
    chosen = [row.entry.pk for row in above]
    marked = _mark(stage=stage, by=by, rows=by_id, entry_ids=chosen, outcome=outcome, note=note)
    rest: list[Decision] = []
    if rest_eliminated:
        below = [row.entry.pk for row in rows if row.entry.pk not in set(chosen)]
        rest = _mark(stage=stage, by=by, rows=by_id, entry_ids=below, outcome=Decision.Outcome.ELIMINATED, note=note)
    return marked, rest


def _statuses_follow(decisions: Sequence[Decision], now: datetime) -> None:
    entries = []
    for decision in decisions:
        entry = decision.entry
        entry.status, entry.updated_at = STATUS_BY_OUTCOME[decision.outcome], now
        entries.append(entry)
    Entry.objects.bulk_update(entries, ["status", "updated_at"])


def objection_open(*, entry: Entry, at: datetime | None = None) -> Stage | None:
    """The announced finalist decision whose window is open now and that made `entry` a finalist."""
    moment = at or timezone.now()
    return (
        Stage.objects.filter(
            edition_id=entry.edition_id,
            kind=Stage.Kind.FINALIST,
            announced_at__lte=moment,
            objections_close_at__gt=moment,
            decisions__entry=entry,
            decisions__outcome__in=FINALIST_OUTCOMES,
        )
        .select_related("edition")
        .first()
    )


@transaction.atomic
def objection_file(*, entry: Entry, name: str, email: str = "", phone: str = "", text: str) -> Objection:
    """Anyone's objection to an announced finalist while the window is open; a way to reach the
    objector (e-mail or telephone) is required."""
    if objection_open(entry=entry) is None:
        raise ValidationError(_("Objections to this entry are not accepted now."), code="window_closed")
    name, email, phone, text = name.strip(), email.strip(), phone.strip(), text.strip()
    if not (email or phone):
        raise ValidationError(_("Give an e-mail address or a telephone number."), code="contact")
    if not (name and text):
        raise ValidationError(_("Give your name and the objection."), code="required")
    return Objection.objects.create(entry=entry, name=name, email=email, phone=phone, text=text)


@transaction.atomic
def objection_answer(*, objection: Objection, by: User, answer: str) -> Objection:
    """The secretariat's answer to an objection; a later answer replaces it, and both are recorded."""
    ensure_can(by, "competitions.answer_objections", objection)
    objection = Objection.objects.select_for_update().select_related("entry__edition").get(pk=objection.pk)
    answer = answer.strip()
    if not answer:
        raise ValidationError(_("Write the answer."), code="required")
    before = objection.answer
    objection.answer, objection.answered_by, objection.answered_at = answer, by, timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
    audit_record(
        edition=objection.entry.edition,
        entry=objection.entry,
        action=AuditRecord.Action.OBJECTION_ANSWERED,
        by=by,
        data={"objection": objection.pk, "before": before, "after": answer},
    )
    return objection
