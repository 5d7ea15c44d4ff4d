"""Writes: entering a published innovation into an edition, and withdrawing the entry.

An entry freezes the record as it was at submission: its text and profile in `Entry.snapshot` and a
copy of each evidence file (EntryEvidence), so that later edits of the record never change what
reviewers read. Eligibility is checked at entry; each refusal says why.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from innovations.models import CONTENT_FIELDS, SECTION_LIMITS, Award, Innovation, Replication, State
from jipp.models import User
from jipp.permissions import can, ensure_can

from ..models import (
    WINNING_OUTCOMES,
    AuditRecord,
    Decision,
    Edition,
    EditionCategory,
    EditionGroup,
    Entry,
    EntryEvidence,
    Stage,
)
from ..models import EntryGroup as Group
from .audit import audit_record

# Statuses an entry can be withdrawn from (until registration closes).
WITHDRAWABLE = (Entry.Status.SUBMITTED, Entry.Status.PASSED, Entry.Status.FAILED)
WINNING_AWARD_RANKS = (Award.Rank.TOP_45, Award.Rank.OUTSTANDING)


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 when `end` is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month) - (1 if end.day < start.day else 0)
    return max(months, 0)


def _registration(edition: Edition) -> Stage | None:
    return edition.stages.filter(kind=Stage.Kind.REGISTRATION).first()


def _date(moment: datetime) -> str:
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


def replication_origin(*, innovation: Innovation) -> Innovation | None:
    """The record `innovation` replicates, through a replication that was not rejected."""
    replication = (
        Replication.objects.filter(replica=innovation)
        .exclude(status=Replication.Status.REJECTED)
        .select_related("origin")
        .first()
    )
    return replication.origin if replication is not None else None


def is_past_winner(*, innovation: Innovation, before_year: int) -> bool:
    """Whether the record won KIPP (Top 45 or Outstanding Achievement) in an earlier year."""
    if Award.objects.filter(
        innovation=innovation, competition=Award.Competition.KIPP, rank__in=WINNING_AWARD_RANKS, year__lt=before_year
    ).exists():
        return True
    return Decision.objects.filter(
        entry__innovation=innovation, entry__edition__year__lt=before_year, outcome__in=WINNING_OUTCOMES
    ).exists()


def entry_refusals(
    *,
    edition: Edition,
    innovation: Innovation,
    group: str,
    category: EditionCategory | None,
    at: datetime | None = None,
) -> list[ValidationError]:
    """Every reason `innovation` cannot enter `edition` in `group` now, each with its code:
    registration_closed, group_not_offered, category_other_edition, not_published, already_entered,
    no_implementation_date, too_young, over_limit, past_winner, no_origin."""
    moment = at or timezone.now()
    refusals: list[ValidationError] = []
    registration = _registration(edition)
    if edition.status != Edition.Status.OPEN or registration is None or not registration.is_open(moment):
        refusals.append(ValidationError(_("Registration for this edition is not open."), code="registration_closed"))
    if category is not None and category.edition_id != edition.pk:
        refusals.append(ValidationError(_("That category belongs to another edition."), code="category_other_edition"))
    if innovation.state != State.PUBLISHED or innovation.revision_of_id is not None:
        refusals.append(ValidationError(_("Only a published innovation can be entered."), code="not_published"))
    if Entry.objects.filter(edition=edition, innovation=innovation).exclude(status=Entry.Status.WITHDRAWN).exists():
        refusals.append(
            ValidationError(_("This innovation has been entered in this edition already."), code="already_entered")
        )
    rules = EditionGroup.objects.filter(edition=edition, group=group).first()
    if rules is None:
        refusals.append(
            ValidationError(
                _("This edition does not offer the %(group)s group.") % {"group": Group(group).label},
                code="group_not_offered",
            )
        )
        return refusals
    started = innovation.implementation_date
    if started is None:
        refusals.append(
            ValidationError(
                _(
                    "The record has no implementation date: the %(group)s group needs at least %(months)s "
                    "months in operation. Add the date to the record first."
                )
                % {"group": Group(group).label, "months": rules.min_months_in_operation},
                code="no_implementation_date",
            )
        )
    else:
        months = months_between(started, timezone.localdate(moment))
        if months < rules.min_months_in_operation:
            refusals.append(
                ValidationError(
                    _(
                        "Too young: the innovation has run %(months)s months since %(date)s; the %(group)s group "
                        "needs at least %(needed)s."
                    )
                    % {
                        "months": months,
                        "date": formats.date_format(started, "DATE_FORMAT"),
                        "group": Group(group).label,
                        "needed": rules.min_months_in_operation,
                    },
                    code="too_young",
                )
            )
    if rules.max_entries_per_institution is not None:
        entered = (
            Entry.objects.filter(edition=edition, institution_id=innovation.institution_id, group=group)
            .exclude(status=Entry.Status.WITHDRAWN)
            .count()
        )
        if entered >= rules.max_entries_per_institution:
            refusals.append(
                ValidationError(
                    _(
                        "%(institution)s has entered %(count)s innovations in the %(group)s group already, "
                        "the most this edition allows."
                    )
                    % {"institution": innovation.institution, "count": entered, "group": Group(group).label},
                    code="over_limit",
                )
            )
    if (
        group == Group.GENERAL
        and edition.exclude_past_winners
        and is_past_winner(innovation=innovation, before_year=edition.year)
    ):
        refusals.append(
            ValidationError(
                _("This innovation won KIPP before: past winners cannot enter the general group."),
                code="past_winner",
            )
        )
    if group == Group.REPLICATION and replication_origin(innovation=innovation) is None:
        refusals.append(
            ValidationError(
                _(
                    "The replication group needs the record of the replicated innovation: record the "
                    "replication (with this record as its replica) first."
                ),
                code="no_origin",
            )
        )
    return refusals


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def entry_snapshot(*, innovation: Innovation) -> dict[str, Any]:
    """The record as reviewers will read it (evidence is added by entry_submit with the copies' ids)."""
    institution = innovation.institution
    return {
        "title": innovation.title,
        "slug": innovation.slug,
        "sections": {name: getattr(innovation, name) for name in SECTION_LIMITS},
        "profile": {
            name: _plain(getattr(innovation, name))
            for name in CONTENT_FIELDS
            if name not in SECTION_LIMITS and name not in ("title", "unit")
        },
        "institution": {"id": institution.pk, "name": institution.name, "code": institution.code},
        "unit": innovation.unit,
        "region": {"id": innovation.region_id, "name": str(innovation.region)},
        "sdgs": list(innovation.sdgs.order_by("number").values_list("number", flat=True)),
        "awards": [
            {"year": award.year, "competition": award.competition, "rank": award.rank}
            for award in innovation.awards.order_by("-year", "competition", "pk")
        ],
        "evidence": [],
    }


def _copy_evidence(entry: Entry, innovation: Innovation) -> list[dict[str, Any]]:
    listed = []
    for order, evidence in enumerate(innovation.evidence.order_by("kind", "created_at", "pk")):
        item: dict[str, Any] = {
            "id": None,
            "kind": evidence.kind,
            "caption": evidence.caption,
            "original_name": evidence.original_name,
            "content_type": evidence.content_type,
            "size": evidence.size,
        }
        try:
            with evidence.file.open("rb") as source:
                copy = EntryEvidence(
                    entry=entry,
                    kind=evidence.kind,
                    caption=evidence.caption,
                    original_name=evidence.original_name,
                    content_type=evidence.content_type,
                    size=evidence.size,
                    order=order,
                )
                copy.file.save(PurePosixPath(evidence.file.name).name, File(source), save=False)
                copy.save()
                item["id"] = copy.pk
        except FileNotFoundError:
            # Listed as the record lists it, marked unavailable, rather than silently dropped.
            pass
        listed.append(item)
    return listed


@transaction.atomic
def entry_submit(*, by: User, edition: Edition, innovation: Innovation, group: str, category: EditionCategory) -> Entry:
    """Enter a published innovation into an edition, group and category, freezing the proposal.

    Raises PermissionDenied unless `by` is an operator of the record's institution or a hub
    administrator, and ValidationError with every reason (see entry_refusals) when it is not eligible.
    """
    # The edition's row serialises entries: the limit per institution and the numbering hold under load.
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    innovation = Innovation.objects.select_related("institution", "region").get(pk=innovation.pk)
    ensure_can(by, "competitions.enter_innovation", innovation)
    refusals = entry_refusals(edition=edition, innovation=innovation, group=group, category=category)
    if refusals:
        raise ValidationError(refusals)
    number = (Entry.objects.filter(edition=edition).aggregate(last=Max("number"))["last"] or 0) + 1
    entry = Entry.objects.create(
        edition=edition,
        number=number,
        group=group,
        category=category,
        innovation=innovation,
        institution=innovation.institution,
        origin=replication_origin(innovation=innovation) if group == Group.REPLICATION else None,
        snapshot=entry_snapshot(innovation=innovation),
        submitted_at=timezone.now(),
        submitted_by=by,
    )
    entry.snapshot["evidence"] = _copy_evidence(entry, innovation)
    entry.save(update_fields=["snapshot", "updated_at"])
    audit_record(
        edition=edition,
        entry=entry,
        action=AuditRecord.Action.ENTRY_SUBMITTED,
        by=by,
        data={"innovation": innovation.pk, "group": group, "category": category.code},
    )
    return entry


def may_withdraw(*, entry: Entry, user: User, at: datetime | None = None) -> bool:
    """Whether the page offers "withdraw": the entrant, while registration is open."""
    if entry.status not in WITHDRAWABLE or not can(user, "competitions.withdraw_entry", entry):
        return False
    registration = _registration(entry.edition)
    return registration is not None and (at or timezone.now()) < registration.closes_at


@transaction.atomic
def entry_withdraw(*, entry: Entry, by: User) -> Entry:
    """Withdraw an entry; possible until registration closes. The frozen proposal is kept."""
    entry = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)
    ensure_can(by, "competitions.withdraw_entry", entry)
    if entry.status not in WITHDRAWABLE:
        raise ValidationError(
            _("An entry that is “%(status)s” cannot be withdrawn.") % {"status": entry.get_status_display()},
            code="not_withdrawable",
        )
    registration = _registration(entry.edition)
    if registration is None or timezone.now() >= registration.closes_at:
        closed = _date(registration.closes_at) if registration else ""
        raise ValidationError(
            _("Registration closed on %(date)s: the entry can no longer be withdrawn.") % {"date": closed},
            code="registration_closed",
        )
    before = entry.status
    entry.status = Entry.Status.WITHDRAWN
    entry.withdrawn_at = timezone.now()
    entry.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit_record(
        edition=entry.edition,
        entry=entry,
        action=AuditRecord.Action.ENTRY_WITHDRAWN,
        by=by,
        data={"before": before},
    )
    return entry
