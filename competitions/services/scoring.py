"""Scores, computed from plain numbers (no database): a review's total, an entry's score, calibrated
scores, agreement between reviewers, and the ranking.

Definitions (issue 8 point 7):
- review total = 100 x sum(w_i x v_i) / sum(w_i x max_i) over the counted criteria the reviewer
  scored; an abstention leaves the criterion out of both sums. No counted criterion scored: no total.
- entry score = the mean of its submitted review totals, or their median (a stage option).
- calibrated score: each reviewer's totals in the stage become z-scores, z = (t - m_r) / s_r with the
  reviewer's own mean m_r and standard deviation s_r; z-scores are averaged per entry and rescaled
  to the stage: M + S x mean(z), with M and S the mean and standard deviation of every submitted
  total of the stage. A reviewer with fewer than CALIBRATION_MIN_REVIEWS reviews stays uncalibrated:
  their total enters as it is (its z-score against the stage, (t - M) / S, so the rescaling gives
  back t). A reviewer whose totals are all equal (s_r = 0) says nothing about order: z = 0.
  Standard deviations are population ones (divided by n), as the totals are all there is.
- agreement: per entry the spread (highest minus lowest total), flagged when above the stage's
  threshold; per stage ICC(1,k), the one-way random-effects intraclass correlation of the mean of
  an entry's reviews (Shrout and Fleiss 1979, case 1): each entry is scored by its own set of
  reviewers drawn from a pool, so reviewers are not crossed with entries and the one-way model is
  the one that holds (ICC(2,k) needs every reviewer to score every entry). With n_j reviews of
  entry j, N reviews, J entries (only entries with at least two reviews):
      MSB = sum_j n_j (mean_j - grand mean)^2 / (J - 1),  MSW = sum_j sum_i (t_ij - mean_j)^2 / (N - J),
      ICC(1,k) = (MSB - MSW) / MSB.
- ranking: by score (the calibrated one when the stage is calibrated), highest first; ties broken by
  the previous scoring stage's score (highest first), then by the earlier submission of the entry,
  then by its number. Entries without a score come last, in the same order of the tie-breakers.
Every score is a Decimal rounded half up to SCORE_PLACES places; ties are judged on rounded scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

SCORE_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)
CALIBRATION_MIN_REVIEWS = 3


def rounded(value: Decimal) -> Decimal:
    return value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ScoredCriterion:
    """One criterion of a review as scored: its weight and highest score as frozen in the review."""

    weight: Decimal
    scale_max: int
    value: Decimal | None  # None: abstained (or not scored)
    counts: bool = True


def review_total(criteria: Iterable[ScoredCriterion]) -> Decimal | None:
    """100 x sum(w x v) / sum(w x max) over the counted criteria scored; None when none was scored."""
    scored = [criterion for criterion in criteria if criterion.counts and criterion.value is not None]
    denominator = sum((criterion.weight * criterion.scale_max for criterion in scored), Decimal(0))
    if not scored or denominator == 0:
        return None
    numerator = sum(
        (criterion.weight * criterion.value for criterion in scored if criterion.value is not None), Decimal(0)
    )
    return rounded(HUNDRED * numerator / denominator)


@dataclass(frozen=True)
class CountedReview:
    """A submitted review that counts: whose it is, of which entry, and its total."""

    entry_id: int
    reviewer_id: int
    total: Decimal


@dataclass(frozen=True)
class EntryScore:
    score: Decimal | None
    calibrated: Decimal | None
    spread: Decimal | None
    flagged: bool
    reviews: int


@dataclass(frozen=True)
class StageScores:
    entries: dict[int, EntryScore]
    # Of every counted total of the stage (population standard deviation).
    mean: Decimal | None
    deviation: Decimal | None
    icc: Decimal | None  # ICC(1,k); None with fewer than two entries of two reviews or more
    reviews: int
    reviewers: int
    calibrated_reviewers: int

    def score_of(self, entry_id: int, *, calibrated: bool) -> Decimal | None:
        scores = self.entries.get(entry_id)
        if scores is None:
            return None
        return scores.calibrated if calibrated else scores.score


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _deviation(values: Sequence[Decimal], mean: Decimal) -> Decimal:
    return (sum(((value - mean) ** 2 for value in values), Decimal(0)) / len(values)).sqrt()


def icc_1k(groups: Iterable[Sequence[Decimal]]) -> Decimal | None:
    """ICC(1,k) of the totals grouped by entry (groups of fewer than two are left out)."""
    kept = [list(group) for group in groups if len(group) >= 2]
    count = sum(len(group) for group in kept)
    if len(kept) < 2:
        return None
    grand = _mean([value for group in kept for value in group])
    means = [_mean(group) for group in kept]
    between = sum((len(group) * (mean - grand) ** 2 for group, mean in zip(kept, means, strict=True)), Decimal(0))
    within = sum(
        (sum(((value - mean) ** 2 for value in group), Decimal(0)) for group, mean in zip(kept, means, strict=True)),
        Decimal(0),
    )
    mean_between = between / (len(kept) - 1)
    mean_within = within / (count - len(kept))
    if mean_between == 0:
        return None
    return rounded((mean_between - mean_within) / mean_between)


def stage_scores(
    reviews: Iterable[CountedReview], *, aggregation: str = "mean", spread_threshold: Decimal = Decimal(20)
) -> StageScores:
    """Every entry's score, calibrated score and spread, and the stage's agreement, in one pass over the
    counted reviews of a stage (see the module's docstring for the definitions)."""
    reviews = list(reviews)
    by_entry: dict[int, list[CountedReview]] = defaultdict(list)
    by_reviewer: dict[int, list[Decimal]] = defaultdict(list)
    for review in reviews:
        by_entry[review.entry_id].append(review)
        by_reviewer[review.reviewer_id].append(review.total)
    totals = [review.total for review in reviews]
    if not totals:
        return StageScores({}, None, None, None, 0, 0, 0)
    mean = _mean(totals)
    deviation = _deviation(totals, mean)
    # M + S x (t - m_r) / s_r is the line a + b x t of each calibrated reviewer, worked out once:
    # b = S / s_r, a = M - b x m_r (b = 0 and a = M when s_r = 0). Uncalibrated: a = 0, b = 1.
    calibration: dict[int, tuple[Decimal, Decimal]] = {}
    for reviewer_id, values in by_reviewer.items():
        if len(values) < CALIBRATION_MIN_REVIEWS:
            continue
        own_mean = _mean(values)
        own_deviation = _deviation(values, own_mean)
        slope = Decimal(0) if own_deviation == 0 else deviation / own_deviation
        calibration[reviewer_id] = (mean - slope * own_mean, slope)
    identity = (Decimal(0), Decimal(1))

    def calibrated(review: CountedReview) -> Decimal:
        intercept, slope = calibration.get(review.reviewer_id, identity)
        return intercept + slope * review.total

    entries = {}
    for entry_id, counted in by_entry.items():
        values = [review.total for review in counted]
        score = _mean(values) if aggregation != "median" else Decimal(median(values))
        spread = max(values) - min(values)
        entries[entry_id] = EntryScore(
            score=rounded(score),
            calibrated=rounded(_mean([calibrated(review) for review in counted])),
            spread=rounded(spread),
            flagged=spread > spread_threshold,
            reviews=len(values),
        )
    return StageScores(
        entries=entries,
        mean=rounded(mean),
        deviation=rounded(deviation),
        icc=icc_1k([review.total for review in counted] for counted in by_entry.values()),
        reviews=len(totals),
        reviewers=len(by_reviewer),
        calibrated_reviewers=len(calibration),
    )


@dataclass(frozen=True)
class RankKey:
    entry_id: int
    score: Decimal | None
    previous_score: Decimal | None
    submitted_at: datetime
    number: int


def ranking_order(keys: Iterable[RankKey]) -> list[RankKey]:
    """Highest score first; ties by the previous stage's score (highest first, none last), then by the
    earlier submission, then by the entry's number. Entries without a score come last."""

    def key(item: RankKey) -> tuple[bool, Decimal, bool, Decimal, datetime, int]:
        return (
            item.score is None,
            -(item.score or Decimal(0)),
            item.previous_score is None,
            -(item.previous_score or Decimal(0)),
            item.submitted_at,
            item.number,
        )

    return sorted(keys, key=key)
