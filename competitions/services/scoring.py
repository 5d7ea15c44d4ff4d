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

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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
