"""Writes: who scores which entry of a scoring stage, and declared conflicts of interest.

The secretariat assigns by hand, from a CSV or XLSX file (all rows or none; each error names its row
and column) or automatically: every entry of the stage's pool gets the stage's `reviewers_per_entry`
scorers, the scorers' loads stay within one of each other where conflicts allow it, and nobody gets
an entry they have a conflict with (competitions.conflicts). Reassigning releases an assignment
instead of deleting it, so a submitted review stays and still counts. Every change is recorded in
the audit trail. Changes of one stage are serialised on the stage's row.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from innovations.spreadsheets import SpreadsheetError, read_table
from jipp.models import Institution, User
from jipp.permissions import can, ensure_can

from ..conflicts import ConflictIndex, Reason
from ..models import Assignment, AuditRecord, ConflictOfInterest, Edition, Entry, Review, Stage
from ..selectors import stage_pool, stage_scorers
from .audit import audit_record, audit_records

# Column names an assignment file may use, in English or Indonesian.
ENTRY_COLUMNS = ("entry", "peserta", "nomor", "number", "kode", "code")
REVIEWER_COLUMNS = ("reviewer", "penilai", "panelist", "panelis", "username", "email", "e-mail")
IMPORT_MAX_ROWS = 10000
SPREADSHEET_ERRORS = {
    "empty_file": _("The file has no rows under the header."),
    "too_many_rows": _("The file has more than %(limit)s rows; split it into several files."),
    "unreadable": _("The file cannot be read as CSV (UTF-8) or XLSX."),
}


def _date(moment: datetime) -> str:
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _locked_stage(stage: Stage) -> Stage:
    """The stage's row, locked; refused unless it is a scoring stage that has not closed."""
    stage = Stage.objects.select_for_update().select_related("edition").get(pk=stage.pk)
    if not stage.is_scoring:
        raise ValidationError(_("Only a scoring stage has reviewers to assign."), code="not_scoring")
    if timezone.now() >= stage.closes_at:
        raise ValidationError(
            _("%(stage)s closed on %(date)s: its assignments can no longer change.")
            % {"stage": stage.get_kind_display(), "date": _date(stage.closes_at)},
            code="stage_closed",
        )
    return stage


def _conflict_error(reviewer: User, entry: Entry, reason: Reason) -> ValidationError:
    return ValidationError(
        _("%(reviewer)s may not score %(code)s: %(reason)s.")
        % {"reviewer": _name(reviewer), "code": entry.code, "reason": reason.label},
        code="conflict",
    )


def _assign(stage: Stage, entry: Entry, reviewer: User, *, by: User, method: str) -> tuple[Assignment, bool]:
    """Create the assignment, or take a released one back; (assignment, changed)."""
    assignment = Assignment.objects.filter(stage=stage, entry=entry, reviewer=reviewer).first()
    if assignment is None:
        return Assignment.objects.create(
            stage=stage, entry=entry, reviewer=reviewer, method=method, assigned_by=by
        ), True
    if assignment.released_at is None:
        return assignment, False
    assignment.released_at, assignment.method, assignment.assigned_by = None, method, by
    assignment.save(update_fields=["released_at", "method", "assigned_by", "updated_at"])
    return assignment, True


@transaction.atomic
def assignment_add(
    *, stage: Stage, entry: Entry, reviewer: User, by: User, method: str = Assignment.Method.MANUAL
) -> Assignment:
    """Give `reviewer` the entry to score in `stage` (a released assignment is taken back, with its review).

    Refused when the entry is not in the stage's pool, the reviewer does not hold the role that
    scores the stage, a conflict of interest stands in the way, or the assignment exists already.
    """
    ensure_can(by, "competitions.assign_reviewers")
    stage = _locked_stage(stage)
    pooled = stage_pool(stage=stage).select_related("edition", "institution__region").filter(pk=entry.pk).first()
    if pooled is None:
        raise ValidationError(_("That entry is not scored in this stage."), code="not_in_pool")
    entry = pooled
    scorer = stage_scorers(stage=stage).filter(pk=reviewer.pk).first()
    if scorer is None:
        raise ValidationError(_("%(user)s does not score this stage.") % {"user": _name(reviewer)}, code="not_a_scorer")
    reason = ConflictIndex(reviewers=[scorer], entries=[entry]).reason(scorer.pk, entry.pk)
    if reason is not None:
        raise _conflict_error(scorer, entry, reason)
    assignment, changed = _assign(stage, entry, scorer, by=by, method=method)
    if not changed:
        raise ValidationError(
            _("%(reviewer)s scores %(code)s already.") % {"reviewer": _name(scorer), "code": entry.code},
            code="already_assigned",
        )
    audit_record(
        edition=stage.edition,
        stage=stage,
        entry=entry,
        action=AuditRecord.Action.ASSIGNMENT_CHANGED,
        by=by,
        data={"assigned": scorer.username, "method": method},
    )
    return assignment


def _review_status(assignment: Assignment) -> str | None:
    review = Review.objects.filter(assignment=assignment).only("status").first()
    return review.status if review is not None else None


@transaction.atomic
def assignment_release(*, assignment: Assignment, by: User) -> Assignment:
    """Take an entry back from its scorer. The assignment and its review stay: a submitted review
    still counts; the scorer no longer sees the entry."""
    ensure_can(by, "competitions.assign_reviewers")
    stage = _locked_stage(assignment.stage)
    assignment = (
        Assignment.objects.select_for_update().select_related("entry__edition", "reviewer").get(pk=assignment.pk)
    )
    if assignment.released_at is not None:
        raise ValidationError(_("This assignment was released already."), code="already_released")
    assignment.released_at = timezone.now()
    assignment.save(update_fields=["released_at", "updated_at"])
    audit_record(
        edition=stage.edition,
        stage=stage,
        entry=assignment.entry,
        action=AuditRecord.Action.ASSIGNMENT_CHANGED,
        by=by,
        data={"released": assignment.reviewer.username, "review": _review_status(assignment)},
    )
    return assignment


@transaction.atomic
def assignment_reassign(*, assignment: Assignment, reviewer: User, by: User) -> Assignment:
    """Give the entry to `reviewer` instead: the old assignment is released (its review kept)."""
    released = assignment_release(assignment=assignment, by=by)
    return assignment_add(stage=released.stage, entry=released.entry, reviewer=reviewer, by=by)


@dataclass
class AutoResult:
    created: int = 0
    # Entries left with fewer scorers than wanted, and how many they lack.
    short: list[tuple[Entry, int]] = field(default_factory=list)
    lowest_load: int = 0
    highest_load: int = 0


class _Plan:
    """The automatic assignment being built: loads, the pairs taken, and the new (movable) pairs."""

    def __init__(self, loads: Counter[int], taken: set[tuple[int, int]]) -> None:
        self.loads = loads
        self.taken = taken
        self.new: dict[int, list[int]] = defaultdict(list)

    def add(self, entry_id: int, reviewer_id: int) -> None:
        self.taken.add((entry_id, reviewer_id))
        self.new[reviewer_id].append(entry_id)
        self.loads[reviewer_id] += 1

    def move(self, entry_id: int, source: int, target: int) -> None:
        self.taken.discard((entry_id, source))
        self.new[source].remove(entry_id)
        self.loads[source] -= 1
        self.add(entry_id, target)

    def _path_to_lighter(self, heavy: int, eligible: dict[int, list[int]]) -> list[tuple[int, int, int]] | None:
        """Moves (entry, from, to) that pass one entry's worth of load from `heavy` to a scorer at
        least two lighter, each scorer on the way giving one new entry and taking another."""
        came_from: dict[int, tuple[int, int] | None] = {heavy: None}
        queue = deque([heavy])
        while queue:
            reviewer = queue.popleft()
            for entry_id in self.new[reviewer]:
                for candidate in eligible[entry_id]:
                    if candidate in came_from or (entry_id, candidate) in self.taken:
                        continue
                    came_from[candidate] = (reviewer, entry_id)
                    if self.loads[candidate] <= self.loads[heavy] - 2:
                        moves = []
                        step: int = candidate
                        while (link := came_from[step]) is not None:
                            moves.append((link[1], link[0], step))
                            step = link[0]
                        return moves
                    queue.append(candidate)
        return None

    def balance(self, reviewers: Sequence[int], eligible: dict[int, list[int]]) -> None:
        """Shift new assignments along chains of scorers until no scorer is two above another one it
        could hand work to; each shift lowers the sum of squared loads, so this ends."""
        while True:
            for heavy in sorted(reviewers, key=lambda reviewer: -self.loads[reviewer]):
                moves = self._path_to_lighter(heavy, eligible)
                if moves:
                    for entry_id, source, target in moves:
                        self.move(entry_id, source, target)
                    break
            else:
                return


@transaction.atomic
def assignments_auto(
    *, stage: Stage, by: User, reviewers: Sequence[User] | None = None, per_entry: int | None = None
) -> AutoResult:
    """Give every entry of the stage's pool `per_entry` scorers (the stage's `reviewers_per_entry` by
    default), counting the ones it has; loads within one where conflicts allow it.

    `reviewers` limits the scorers used (default: everyone holding the stage's role). Existing
    assignments stay; a scorer once released from an entry is not given it again.
    """
    ensure_can(by, "competitions.assign_reviewers")
    stage = _locked_stage(stage)
    wanted = per_entry or stage.reviewers_per_entry
    scorers = list(stage_scorers(stage=stage))
    if reviewers is not None:
        chosen = {reviewer.pk for reviewer in reviewers}
        scorers = [scorer for scorer in scorers if scorer.pk in chosen]
    if not scorers:
        raise ValidationError(_("Nobody holds the role that scores this stage."), code="no_scorers")
    entries = list(
        stage_pool(stage=stage).select_related("edition", "institution__region").defer("snapshot").order_by("number")
    )
    taken: set[tuple[int, int]] = set()
    active: Counter[int] = Counter()
    loads: Counter[int] = Counter({scorer.pk: 0 for scorer in scorers})
    for entry_id, reviewer_id, released_at in Assignment.objects.filter(stage=stage).values_list(
        "entry_id", "reviewer_id", "released_at"
    ):
        taken.add((entry_id, reviewer_id))
        if released_at is None:
            active[entry_id] += 1
            if reviewer_id in loads:
                loads[reviewer_id] += 1
    index = ConflictIndex(reviewers=scorers, entries=entries)
    # A fixed shuffle breaks ties between equally loaded scorers, so pairs vary yet reruns agree.
    order = [scorer.pk for scorer in scorers]
    random.Random(stage.pk).shuffle(order)  # noqa: S311 (not a secret)
    rank = {reviewer_id: position for position, reviewer_id in enumerate(order)}
    eligible = {
        entry.pk: [
            reviewer_id
            for reviewer_id in order
            if (entry.pk, reviewer_id) not in taken and index.reason(reviewer_id, entry.pk) is None
        ]
        for entry in entries
    }
    plan = _Plan(loads, taken)
    result = AutoResult()
    # The entries with the fewest possible scorers choose first.
    for entry in sorted(entries, key=lambda entry: (len(eligible[entry.pk]), entry.number)):
        missing = max(0, wanted - active[entry.pk])
        for _slot in range(missing):
            candidates = [
                reviewer_id for reviewer_id in eligible[entry.pk] if (entry.pk, reviewer_id) not in plan.taken
            ]
            if not candidates:
                break
            plan.add(entry.pk, min(candidates, key=lambda reviewer_id: (plan.loads[reviewer_id], rank[reviewer_id])))
            missing -= 1
        if missing:
            result.short.append((entry, missing))
    plan.balance(order, eligible)
    by_entry: dict[int, list[int]] = defaultdict(list)
    for reviewer_id, entry_ids in plan.new.items():
        for entry_id in entry_ids:
            by_entry[entry_id].append(reviewer_id)
    usernames = {scorer.pk: scorer.username for scorer in scorers}
    Assignment.objects.bulk_create(
        [
            Assignment(
                stage=stage,
                entry_id=entry_id,
                reviewer_id=reviewer_id,
                method=Assignment.Method.AUTOMATIC,
                assigned_by=by,
            )
            for entry_id, reviewer_ids in by_entry.items()
            for reviewer_id in reviewer_ids
        ]
    )
    audit_records(
        edition=stage.edition,
        stage=stage,
        action=AuditRecord.Action.ASSIGNMENT_CHANGED,
        by=by,
        items=[
            (
                entry,
                {
                    "assigned": sorted(usernames[reviewer_id] for reviewer_id in by_entry[entry.pk]),
                    "method": "automatic",
                },
            )
            for entry in entries
            if by_entry.get(entry.pk)
        ],
    )
    result.created = sum(len(reviewer_ids) for reviewer_ids in by_entry.values())
    result.short.sort(key=lambda item: item[0].number)
    result.lowest_load = min(plan.loads[scorer.pk] for scorer in scorers)
    result.highest_load = max(plan.loads[scorer.pk] for scorer in scorers)
    return result


@dataclass
class ImportResult:
    added: int = 0
    unchanged: int = 0


def _column(header: list[str], names: Sequence[str]) -> int | None:
    for position, title in enumerate(header):
        if title.strip().lower() in names:
            return position
    return None


def _entry_number(value: str, year: int) -> int | None:
    """The entry number in "KIPP-2026-0042", "2026-0042", "0042" or "42" (the edition's year only)."""
    parts = value.strip().upper().removeprefix("KIPP").strip("-").split("-")
    if len(parts) == 2 and parts[0] != str(year):
        return None
    number = parts[-1]
    return int(number) if number.isdigit() else None


def _row_error(row: int, column: str, message: Any) -> ValidationError:
    return ValidationError(
        _("Row %(row)s, column “%(column)s”: %(message)s") % {"row": row, "column": column, "message": message},
        code="row",
    )


@transaction.atomic
def assignments_import(*, stage: Stage, by: User, name: str, content: bytes) -> ImportResult:
    """Assign from a file with an entry column (its code, e.g. KIPP-2026-0042, or number) and a
    reviewer column (username or e-mail). All rows or none: every problem is raised at once, each
    naming its row and column as the spreadsheet numbers them."""
    ensure_can(by, "competitions.assign_reviewers")
    stage = _locked_stage(stage)
    try:
        table = read_table(name=name, content=content, max_rows=IMPORT_MAX_ROWS)
    except SpreadsheetError as error:
        message = SPREADSHEET_ERRORS.get(error.code, SPREADSHEET_ERRORS["unreadable"])
        raise ValidationError(message % error.params if error.params else message, code=error.code) from None
    entry_column, reviewer_column = _column(table.header, ENTRY_COLUMNS), _column(table.header, REVIEWER_COLUMNS)
    if entry_column is None or reviewer_column is None:
        raise ValidationError(
            _("The first row must name the columns “entry” and “reviewer” (or “peserta” and “penilai”)."),
            code="columns",
        )
    entry_title, reviewer_title = table.header[entry_column], table.header[reviewer_column]
    entries = {
        entry.number: entry
        for entry in stage_pool(stage=stage).select_related("edition", "institution__region").defer("snapshot")
    }
    scorers = list(stage_scorers(stage=stage))
    by_login: dict[str, User] = {}
    for user in scorers:
        by_login[user.username.lower()] = user
        if user.email:
            by_login.setdefault(user.email.lower(), user)
    index = ConflictIndex(reviewers=scorers, entries=entries.values())
    errors: list[ValidationError] = []
    seen: dict[tuple[int, int], int] = {}
    pairs: list[tuple[Entry, User]] = []
    for row, cells in table.rows:
        cells = cells + [""] * (max(entry_column, reviewer_column) + 1 - len(cells))
        code, login = cells[entry_column].strip(), cells[reviewer_column].strip()
        number = _entry_number(code, stage.edition.year) if code else None
        found = entries.get(number) if number is not None else None
        scorer = by_login.get(login.lower()) if login else None
        if not code:
            errors.append(_row_error(row, entry_title, _("the entry is missing.")))
        elif found is None:
            errors.append(
                _row_error(row, entry_title, _("“%(value)s” is not an entry of this stage.") % {"value": code})
            )
        if not login:
            errors.append(_row_error(row, reviewer_title, _("the reviewer is missing.")))
        elif scorer is None:
            errors.append(
                _row_error(
                    row,
                    reviewer_title,
                    _("nobody who scores this stage has the username or e-mail “%(value)s”.") % {"value": login},
                )
            )
        if found is None or scorer is None:
            continue
        reason = index.reason(scorer.pk, found.pk)
        if reason is not None:
            errors.append(_row_error(row, reviewer_title, _conflict_error(scorer, found, reason).messages[0]))
        elif (found.pk, scorer.pk) in seen:
            errors.append(
                _row_error(row, reviewer_title, _("repeats row %(row)s.") % {"row": seen[(found.pk, scorer.pk)]})
            )
        else:
            seen[(found.pk, scorer.pk)] = row
            pairs.append((found, scorer))
    if errors:
        raise ValidationError(errors)
    result = ImportResult()
    changed: dict[int, list[str]] = defaultdict(list)
    for entry, scorer in pairs:
        _assignment, added = _assign(stage, entry, scorer, by=by, method=Assignment.Method.CSV)
        if added:
            result.added += 1
            changed[entry.pk].append(scorer.username)
        else:
            result.unchanged += 1
    audit_records(
        edition=stage.edition,
        stage=stage,
        action=AuditRecord.Action.ASSIGNMENT_CHANGED,
        by=by,
        items=[
            (entry, {"assigned": sorted(changed[entry.pk]), "method": "csv", "file": name})
            for entry in entries.values()
            if changed.get(entry.pk)
        ],
    )
    return result


@transaction.atomic
def conflict_declare(
    *,
    edition: Edition,
    reviewer: User,
    by: User,
    entry: Entry | None = None,
    institution: Institution | None = None,
    reason: str = "",
) -> ConflictOfInterest:
    """Record that `reviewer` may not score `entry`, or anything of `institution` (and the institutions
    under it). The secretariat declares it for anyone; a reviewer or panelist for themselves.

    The reviewer's active assignments the conflict covers, in stages not yet closed, are released; a
    review they submitted is kept but no longer counts (see the ranking).
    """
    if by.pk == reviewer.pk:
        ensure_can(by, "competitions.score_entries")
    else:
        ensure_can(by, "competitions.assign_reviewers")
    if (entry is None) == (institution is None):
        raise ValidationError(_("Name either one entry or one institution."), code="entry_or_institution")
    if entry is not None and entry.edition_id != edition.pk:
        raise ValidationError(_("That entry belongs to another edition."), code="other_edition")
    if not (can(reviewer, "competitions.score_entries")):
        raise ValidationError(
            _("%(user)s is neither a reviewer nor a panelist.") % {"user": _name(reviewer)}, code="not_a_scorer"
        )
    conflict, created = ConflictOfInterest.objects.get_or_create(
        reviewer=reviewer,
        entry=entry,
        institution=institution,
        defaults={"reason": reason.strip(), "declared_by": by},
    )
    if not created:
        raise ValidationError(_("This conflict is declared already."), code="already_declared")
    covers = (
        Q(entry=entry)
        if entry is not None
        else Q(entry__institution=institution) | Q(entry__institution__parent=institution)
    )
    released = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(covers, reviewer=reviewer, released_at__isnull=True, stage__closes_at__gt=timezone.now())
        .select_related("entry__edition", "stage")
    )
    now = timezone.now()
    Assignment.objects.filter(pk__in=[assignment.pk for assignment in released]).update(released_at=now, updated_at=now)
    audit_record(
        edition=edition,
        entry=entry,
        action=AuditRecord.Action.CONFLICT_DECLARED,
        by=by,
        data={
            "reviewer": reviewer.username,
            "entry": entry.code if entry is not None else None,
            "institution": institution.name if institution is not None else None,
            "reason": conflict.reason,
            "released": [f"{assignment.stage.kind}:{assignment.entry.code}" for assignment in released],
        },
    )
    return conflict
