"""Writes: publishing a decision stage's result.

Until a stage is published its decisions are the secretariat's alone: no public page, API answer,
entry status or catalogue award shows them. Publishing
- sets the entries' statuses (finalist, winner, not continued);
- for the finalist decision, announces the finalists and opens the objection window of the
  edition's configured number of days;
- for the final decision, writes the KIPP award of each winning or Top 99 entry onto its innovation
  record (the catalogue shows it), issues the winners' certificates and closes the edition;
- after the commit, tells the entrants' institutions through their hub (competitions/notices.py).
Publishing is recorded in the audit trail and happens once.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from innovations.models import Award, Innovation
from innovations.signals import records_changed
from jipp.models import User
from jipp.permissions import ensure_can

from ..models import AuditRecord, Decision, Edition, Entry, Stage
from ..notices import results_announce_on_commit
from ..selectors import DECISION_KINDS, decision_source
from .audit import audit_record
from .certificates import certificates_issue
from .decisions import STATUS_BY_OUTCOME

# The award an outcome earns on the innovation record; the best one is written.
AWARD_BY_OUTCOME: dict[str, str] = {
    Decision.Outcome.OUTSTANDING: Award.Rank.OUTSTANDING,
    Decision.Outcome.TOP_45: Award.Rank.TOP_45,
    Decision.Outcome.TOP_99: Award.Rank.TOP_99,
}
AWARD_PRECEDENCE = (Decision.Outcome.OUTSTANDING, Decision.Outcome.TOP_45, Decision.Outcome.TOP_99)


@transaction.atomic
def results_publish(*, stage: Stage, by: User) -> Stage:
    """Publish the decisions of a finalist or final decision (see the module's docstring)."""
    ensure_can(by, "competitions.decide", stage)
    stage = Stage.objects.select_for_update().select_related("edition").get(pk=stage.pk)
    if stage.kind not in DECISION_KINDS:
        raise ValidationError(_("Only a finalist or final decision has a result to publish."), code="not_decision")
    if stage.results_published:
        raise ValidationError(_("This result is already published."), code="published")
    if stage.edition.status == Edition.Status.DRAFT:
        raise ValidationError(_("Announce the edition before publishing any result."), code="draft")
    source = decision_source(stage=stage)
    if source is not None and timezone.now() < source.closes_at:
        # Its reviews may still change the ranking, and in a blind stage the public page would name
        # the institutions the scorers are still reading blind.
        raise ValidationError(
            _("The %(stage)s is open until %(date)s: its scores can still change. Publish once it has closed.")
            % {
                "stage": source.get_kind_display().lower(),
                "date": formats.date_format(timezone.localtime(source.closes_at), "DATETIME_FORMAT"),
            },
            code="source_open",
        )
    decisions = list(Decision.objects.filter(stage=stage).select_related("entry"))
    if not decisions:
        raise ValidationError(_("No entry has a decision yet: there is nothing to publish."), code="empty")
    now = timezone.now()
    finalists = stage.kind == Stage.Kind.FINALIST
    stage.results_published_at = now
    fields = ["results_published_at", "updated_at"]
    closes = now + timedelta(days=stage.edition.objection_window_days)
    if finalists:
        stage.announced_at, stage.objections_close_at = now, closes
        fields += ["announced_at", "objections_close_at"]
    stage.save(update_fields=fields)
    entries = []
    for decision in decisions:
        decision.entry.status, decision.entry.updated_at = STATUS_BY_OUTCOME[decision.outcome], now
        entries.append(decision.entry)
    Entry.objects.bulk_update(entries, ["status", "updated_at"])
    # The home page shows the latest result and is kept per catalogue version (catalog.freshness).
    records_changed.send(sender=Innovation, pks=sorted({entry.innovation_id for entry in entries}))
    counts = Counter(decision.outcome for decision in decisions)
    data: dict[str, object] = {"counts": dict(sorted(counts.items()))}
    if finalists:
        data["objections_close_at"] = closes.isoformat()
        audit_record(
            edition=stage.edition, stage=stage, action=AuditRecord.Action.FINALISTS_ANNOUNCED, by=by, data=data
        )
    else:
        data["awards"] = awards_write(edition=stage.edition)
        data["certificates"] = len(certificates_issue(stage=stage))
        Edition.objects.filter(pk=stage.edition_id).update(status=Edition.Status.CLOSED, updated_at=now)
    audit_record(edition=stage.edition, stage=stage, action=AuditRecord.Action.RESULTS_PUBLISHED, by=by, data=data)
    # The entrants' institutions hear of it through their hub, once this commits (competitions/notices.py).
    results_announce_on_commit(stage=stage, institution_ids=[decision.entry.institution_id for decision in decisions])
    return stage


def awards_write(*, edition: Edition) -> int:
    """Write each entry's best published KIPP outcome of `edition` onto its innovation record as a
    locked Award, which the record form shows but its institution cannot change or remove (once: an
    award the institution had typed already is kept, and locked). Returns how many awards were new."""
    best: dict[int, str] = {}
    published = Decision.objects.filter(
        stage__edition=edition, stage__results_published_at__isnull=False, outcome__in=AWARD_PRECEDENCE
    ).values_list("entry__innovation_id", "outcome")
    for innovation_id, outcome in published:
        current = best.get(innovation_id)
        if current is None or AWARD_PRECEDENCE.index(outcome) < AWARD_PRECEDENCE.index(current):
            best[innovation_id] = outcome
    decided = {(innovation_id, AWARD_BY_OUTCOME[outcome]) for innovation_id, outcome in best.items()}
    kipp = Award.objects.filter(innovation_id__in=best, year=edition.year, competition=Award.Competition.KIPP)
    existing = {(award.innovation_id, award.rank): award.pk for award in kipp.only("pk", "innovation_id", "rank")}
    Award.objects.filter(pk__in=[pk for key, pk in existing.items() if key in decided]).update(
        locked=True, updated_at=timezone.now()
    )
    awards = [
        Award(
            innovation_id=innovation_id, year=edition.year, competition=Award.Competition.KIPP, rank=rank, locked=True
        )
        for innovation_id, rank in sorted(decided)
        if (innovation_id, rank) not in existing
    ]
    Award.objects.bulk_create(awards)
    # bulk_create and update send no post_save: the public pages learn of the awards from this.
    records_changed.send(sender=Innovation, pks=sorted(best))
    return len(awards)
