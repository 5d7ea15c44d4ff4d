"""Tables for the secretariat's downloads: every review score of an edition, and every entry's score
and place in each scoring stage. Views turn them into CSV (with BOM) or XLSX through
jipp.downloads, so the files open cleanly in Excel set to Indonesian."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from .. import selectors
from ..models import SCORING_KINDS, Decision, Edition, Score, Stage
from ..selectors import DECISION_KINDS

REVIEW_COLUMNS = [
    "stage",
    "entry",
    "title",
    "institution",
    "group",
    "category",
    "reviewer",
    "reviewer_name",
    "review_status",
    "submitted_at",
    "review_total",
    "criterion",
    "counts_to_total",
    "weight",
    "scale_min",
    "scale_max",
    "value",
    "comment",
]
SCORE_COLUMNS = [
    "stage",
    "rank",
    "entry",
    "title",
    "institution",
    "group",
    "category",
    "score",
    "calibrated_score",
    "spread",
    "flagged",
    "decision_stage",
    "decision",
]


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _number(value: Decimal | None) -> Decimal | str:
    return "" if value is None else value


def reviews_table(*, edition: Edition) -> Iterator[list[Any]]:
    """A header, then one row per criterion score of every review of the edition (drafts too, with
    their status), in one query streamed from the database."""
    yield REVIEW_COLUMNS
    scores = (
        Score.objects.filter(review__assignment__stage__edition=edition)
        .select_related(
            "criterion",
            "review__assignment__stage",
            "review__assignment__reviewer",
            "review__assignment__entry__category",
            "review__assignment__entry__institution",
        )
        .defer("review__assignment__entry__snapshot")
        .annotate(entry_title=KeyTextTransform("title", "review__assignment__entry__snapshot"))
        .order_by(
            "review__assignment__stage__order",
            "review__assignment__entry__number",
            "review__assignment__reviewer__username",
            "criterion__order",
            "criterion_id",
        )
    )
    for score in scores.iterator(chunk_size=2000):
        review = score.review
        assignment = review.assignment
        entry, reviewer = assignment.entry, assignment.reviewer
        yield [
            assignment.stage.kind,
            f"KIPP-{edition.year}-{entry.number:04d}",
            score.entry_title or "",
            entry.institution.name,
            entry.group,
            entry.category.name_id,
            reviewer.username,
            reviewer.get_full_name(),
            review.status,
            _when(review.submitted_at),
            _number(review.total),
            score.criterion.name_id,
            "yes" if score.criterion.counts_to_total else "no",
            score.weight,
            score.scale_min,
            score.scale_max,
            _number(score.value),
            score.comment,
        ]


def scores_table(*, edition: Edition) -> Iterator[list[Any]]:
    """A header, then each scoring stage's ranking (score, calibrated score, spread) with the decision
    taken on it by the decision stage that follows."""
    yield SCORE_COLUMNS
    stages = list(edition.stages.order_by("order"))
    decisions: dict[tuple[int, int], str] = {
        (stage_id, entry_id): outcome
        for stage_id, entry_id, outcome in Decision.objects.filter(stage__edition=edition).values_list(
            "stage_id", "entry_id", "outcome"
        )
    }
    for index, stage in enumerate(stages):
        if stage.kind not in SCORING_KINDS:
            continue
        decider = _next_decision_stage(stages[index + 1 :])
        for ranked in selectors.stage_ranking(stage=stage):
            entry = ranked.entry
            yield [
                stage.kind,
                ranked.rank,
                entry.code,
                ranked.title,
                entry.institution.name,
                entry.group,
                entry.category.name_id,
                _number(ranked.score),
                _number(ranked.calibrated_score),
                _number(ranked.spread),
                "yes" if ranked.flagged else "no",
                decider.kind if decider else "",
                decisions.get((decider.pk, entry.pk), "") if decider else "",
            ]


def _next_decision_stage(later: list[Stage]) -> Stage | None:
    """The decision stage that decides on a scoring stage's ranking: the first decision stage after
    it, unless another scoring stage comes first."""
    for stage in later:
        if stage.kind in DECISION_KINDS:
            return stage
        if stage.kind in SCORING_KINDS:
            return None
    return None
