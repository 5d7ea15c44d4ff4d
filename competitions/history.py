"""How the audit trail reads on the secretariat's pages: each record's `data` (see services/audit.py
and the services writing it) as labelled lines in the reader's language.

Known keys get a label and their coded values (statuses, outcomes, reasons, methods, kinds) their
names; anything else is shown as stored, so no recorded fact is ever hidden from the secretariat.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jipp.models import User
from jipp.permissions import can

from .models import AdminReason, Assignment, AuditRecord, Decision, Edition, Entry, Review, Stage

LABELS: dict[str, Any] = {
    "after": _("after"),
    "aggregation": _("entry score"),
    "assigned": _("assigned to"),
    "awards": _("awards written"),
    "before": _("before"),
    "blind": _("blind"),
    "bulk": _("in bulk"),
    "calibrated": _("calibrated"),
    "categories": _("categories"),
    "category": _("category"),
    "certificates": _("certificates issued"),
    "changed": _("changed"),
    "closes_at": _("closes"),
    "counts": _("counts"),
    "counts_to_total": _("counts to the total"),
    "created": _("created"),
    "entry": _("entry"),
    "exclude_past_winners": _("past winners excluded"),
    "file": _("file"),
    "group": _("group"),
    "groups": _("groups"),
    "innovation": _("innovation record"),
    "institution": _("institution"),
    "kind": _("stage"),
    "max_entries_per_institution": _("maximum entries per institution"),
    "method": _("method"),
    "min_months_in_operation": _("minimum months in operation"),
    "name_id": _("name"),
    "note": _("note"),
    "objection": _("objection"),
    "objection_window_days": _("objection window (days)"),
    "objections_close_at": _("objections accepted until"),
    "opens_at": _("opens"),
    "outcome": _("outcome"),
    "passing_grade": _("passing grade"),
    "rank": _("rank"),
    "reason": _("reason"),
    "reasons": _("reasons"),
    "released": _("released from"),
    "review": _("review"),
    "reviewer": _("reviewer"),
    "reviewers_per_entry": _("reviewers per entry"),
    "scale": _("scale"),
    "score": _("score"),
    "scores": _("scores"),
    "stages_after": _("stages after"),
    "stages_before": _("stages before"),
    "status": _("status"),
    "theme": _("theme"),
    "total": _("total"),
    "total_before": _("total before"),
    "weight": _("weight"),
    "year": _("year"),
}
# The names of coded values, by the key that holds them; "status" depends on what changed.
VALUE_NAMES: dict[str, dict[str, Any]] = {
    "outcome": dict(Decision.Outcome.choices),
    "reasons": dict(AdminReason.choices),
    "method": dict(Assignment.Method.choices),
    "kind": dict(Stage.Kind.choices),
    "aggregation": dict(Stage.Aggregation.choices),
    "review": dict(Review.Status.choices),
}
STATUS_NAMES: dict[str, dict[str, Any]] = {
    AuditRecord.Action.EDITION_CHANGED: dict(Edition.Status.choices),
}
# The order lines are shown in (PostgreSQL's jsonb keeps no order of its own); other keys follow
# alphabetically, as do the criteria of scores.
ORDER = [
    "created",
    "status",
    "reviewer",
    "review",
    "assigned",
    "released",
    "method",
    "file",
    "bulk",
    "before",
    "after",
    "outcome",
    "score",
    "rank",
    "reasons",
    "note",
    "total_before",
    "total",
    "scores",
    "changed",
]
# Outcome counts are keyed by outcome.
KEYED_BY_OUTCOME = {"counts"}
# Moments, stored as ISO 8601.
MOMENTS = {"opens_at", "closes_at", "objections_close_at"}


def history_rows(
    records: Iterable[AuditRecord], *, user: User | AnonymousUser
) -> list[tuple[AuditRecord, list[tuple[str, str]]]]:
    """Each record with its lines: what was recorded is the secretariat's to read (scores, ranks,
    reviewers); anyone else sees who did what and when only."""
    secretariat = can(user, "competitions.manage_editions")
    return [(record, audit_lines(record) if secretariat else []) for record in records]


def audit_lines(record: AuditRecord) -> list[tuple[str, str]]:
    """The record's data as (label, text) lines, in the order of ORDER."""
    names = {**VALUE_NAMES, "status": STATUS_NAMES.get(record.action, dict(Entry.Status.choices))}
    if record.action == AuditRecord.Action.ENTRY_WITHDRAWN:
        names["before"] = dict(Entry.Status.choices)
    return [(_label(key), _text(value, key, names)) for key, value in _ordered(record.data or {})]


def _ordered(mapping: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted(mapping.items(), key=lambda item: (ORDER.index(item[0]) if item[0] in ORDER else len(ORDER), item[0]))


def _label(key: str) -> str:
    label = LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def _text(value: Any, key: str, names: dict[str, dict[str, Any]]) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key == "changed" and isinstance(value, dict):
        # {criterion: [before, after]}: what a changed score was and became.
        return "; ".join(f"{name}: {_scalar(pair[0])} → {_scalar(pair[1])}" for name, pair in _ordered(value))
    if isinstance(value, dict):
        if key in KEYED_BY_OUTCOME:
            return "; ".join(f"{_named(k, names['outcome'])}: {_scalar(v)}" for k, v in _ordered(value))
        if key == "scores":
            return "; ".join(f"{k}: {_scalar(v)}" for k, v in _ordered(value))
        return "; ".join(f"{_label(k)}: {_text(v, k, names)}" for k, v in _ordered(value))
    if isinstance(value, list):
        if all(isinstance(item, dict) for item in value):
            return " | ".join(_text(item, key, names) for item in value)
        if key == "scale" and len(value) == 2:
            return f"{value[0]}–{value[1]}"
        return ", ".join(_text(item, key, names) for item in value)
    if key in names and isinstance(value, str):
        return _named(value, names[key])
    if key in MOMENTS and isinstance(value, str):
        return _moment(value)
    return _scalar(value)


def _named(value: str, choices: dict[str, Any]) -> str:
    return str(choices.get(value, value))


def _scalar(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value == "abstained":
        return gettext("abstained")
    return str(value)


def _moment(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))
