"""Scores as issue 8 defines them, checked against numbers worked out by hand.

The hand-computed case (test_stage_ranking_hand_computed_case):

A presentation stage, calibrated, entry score = mean, spread flagged above 50. Rubric: K1 (weight 3),
K2 (weight 2), K3 (weight 5), each scored 0-10. Four finalists E1-E4; three panelists:
  A, the harsh one:   E1 40, E2 40, E3 20, E4 20   (mean 30, standard deviation 10)
  B:                  E1 60, E2 100, E3 60, E4 100 (mean 80, standard deviation 20)
  C, two reviews:     E1 30, E4 30                 (fewer than 3 reviews: stays uncalibrated)
Every review gives the same value v to each criterion, so its total is 100 x 10v / 100 = 10v; C's
review of E4 abstains on K3 and gives K1 = K2 = 3:
  total = 100 x (3x3 + 2x3) / (3x10 + 2x10) = 100 x 15 / 50 = 30   (K3 leaves both sums;
  counting the abstention as 0 would give 100 x 15 / 100 = 15).

Entry scores (mean of the totals):
  E1 (40 + 60 + 30) / 3 = 43.3333   E2 (40 + 100) / 2 = 70   E3 (20 + 60) / 2 = 40
  E4 (20 + 100 + 30) / 3 = 50
Spread (highest - lowest): E1 30, E2 60, E3 40, E4 80; flagged above 50: E2 and E4.

Calibrated scores. The stage's ten totals: 40 40 20 20 60 100 60 100 30 30, mean M = 500 / 10 = 50;
squared deviations 100 100 900 900 100 2500 100 2500 400 400 = 8000, so S = sqrt(8000 / 10) =
sqrt(800) = 28.28427. z-scores: A's (t - 30) / 10: E1 +1, E2 +1, E3 -1, E4 -1; B's (t - 80) / 20:
E1 -1, E2 +1, E3 -1, E4 +1. A calibrated total is M + S x z: 78.28427 for +1, 21.71573 for -1; C's
totals stay 30. Per entry:
  E1 (78.28427 + 21.71573 + 30) / 3 = 43.3333    E2 (78.28427 + 78.28427) / 2 = 78.2843
  E3 (21.71573 + 21.71573) / 2 = 21.7157         E4 (21.71573 + 78.28427 + 30) / 3 = 43.3333
E1 and E4 tie. The previous stage (desk evaluation) scored E1 85 and E4 80: E1 ranks before E4
(although E4 was submitted earlier, the next tie-breaker).
Ranking: E2 1, E1 2, E4 3, E3 4; without calibration it would be E2, E4, E1, E3 (the harsh panelist
scored E1 and E4 alike on their raw totals' scale, B preferred E4).

Agreement, ICC(1,k): entry means 43.3333, 70, 40, 50, grand mean 50, N = 10 reviews, J = 4 entries.
  SSB = 3 x (20/3)^2 + 2 x 20^2 + 2 x 10^2 + 3 x 0^2 = 3400/3;   MSB = SSB / (J - 1) = 3400/9
  SSW = 1400/3 (E1) + 1800 (E2) + 800 (E3) + 3800 (E4) = 20600/3;   MSW = SSW / (N - J) = 10300/9
  ICC(1,k) = (MSB - MSW) / MSB = (3400 - 10300) / 3400 = -2.0294: the raw totals disagree, as a harsh
  panelist makes them.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from competitions.models import Assignment, ConflictOfInterest, Entry, Review, Stage
from competitions.selectors import stage_ranking, stage_ranking_with_agreement
from competitions.services.reviews import ScoreInput, review_save
from competitions.services.scoring import (
    CountedReview,
    RankKey,
    ScoredCriterion,
    icc_1k,
    ranking_order,
    review_total,
    stage_scores,
)
from jipp.models import Institution, Role
from tests.competitions.factories import AssignmentFactory, CriterionFactory, EditionFactory, EntryFactory, StageFactory
from tests.factories import InstitutionFactory, user_with_role

D = Decimal


# --- Pure definitions -------------------------------------------------------------------------------


def test_review_total_weighted_over_highest_scores():
    # 100 x (3 x 8 + 1 x 4) / (3 x 10 + 1 x 5) = 2800 / 35 = 80
    assert review_total([ScoredCriterion(D(3), 10, D(8)), ScoredCriterion(D(1), 5, D(4))]) == D("80.0000")


def test_review_total_abstention_leaves_both_sums():
    # 100 x (3 x 8) / (3 x 10) = 80; with the abstention as 0 it would be 2400 / 35 = 68.5714
    assert review_total([ScoredCriterion(D(3), 10, D(8)), ScoredCriterion(D(1), 5, None)]) == D("80.0000")


def test_review_total_ignores_criteria_that_do_not_count():
    assert review_total([ScoredCriterion(D(1), 10, D(5)), ScoredCriterion(D(9), 10, D(0), counts=False)]) == D(
        "50.0000"
    )


def test_review_total_without_a_counted_score_is_none():
    assert review_total([ScoredCriterion(D(1), 10, None), ScoredCriterion(D(1), 10, D(7), counts=False)]) is None


def test_review_total_rounds_half_up_to_four_places():
    # 100 x 2 / 3 = 66.66666...
    assert review_total([ScoredCriterion(D(1), 3, D(2))]) == D("66.6667")


def _reviews(rows):
    return [CountedReview(entry, reviewer, D(total)) for entry, reviewer, total in rows]


HAND_CASE = [
    (1, "A", 40), (2, "A", 40), (3, "A", 20), (4, "A", 20),
    (1, "B", 60), (2, "B", 100), (3, "B", 60), (4, "B", 100),
    (1, "C", 30), (4, "C", 30),
]  # fmt: skip


def test_stage_scores_hand_computed_case():
    scores = stage_scores(_reviews(HAND_CASE), aggregation="mean", spread_threshold=D(50))

    table = {
        entry: (item.score, item.calibrated, item.spread, item.flagged, item.reviews)
        for entry, item in scores.entries.items()
    }
    assert table == {
        1: (D("43.3333"), D("43.3333"), D("30.0000"), False, 3),
        2: (D("70.0000"), D("78.2843"), D("60.0000"), True, 2),
        3: (D("40.0000"), D("21.7157"), D("40.0000"), False, 2),
        4: (D("50.0000"), D("43.3333"), D("80.0000"), True, 3),
    }
    assert (scores.mean, scores.deviation, scores.icc) == (D("50.0000"), D("28.2843"), D("-2.0294"))
    assert (scores.reviews, scores.reviewers, scores.calibrated_reviewers) == (10, 3, 2)


def test_stage_scores_median_option():
    scores = stage_scores(_reviews(HAND_CASE), aggregation="median")
    # E1 {30, 40, 60} -> 40; E2 {40, 100} -> 70; E3 {20, 60} -> 40; E4 {20, 30, 100} -> 30
    assert {entry: item.score for entry, item in scores.entries.items()} == {
        1: D("40.0000"),
        2: D("70.0000"),
        3: D("40.0000"),
        4: D("30.0000"),
    }


def test_stage_scores_reviewer_with_all_totals_equal_gives_no_order():
    # R gives 70 to everything: z = 0, so each of R's reviews becomes the stage mean.
    scores = stage_scores(_reviews([(1, "R", 70), (2, "R", 70), (3, "R", 70), (1, "S", 90), (2, "S", 50)]))
    # M = 350 / 5 = 70: R's calibrated totals are all 70; S stays uncalibrated (2 reviews).
    assert {entry: item.calibrated for entry, item in scores.entries.items()} == {
        1: D("80.0000"),
        2: D("60.0000"),
        3: D("70.0000"),
    }


def test_stage_scores_without_reviews():
    scores = stage_scores([])
    assert (scores.entries, scores.mean, scores.icc, scores.reviews) == ({}, None, None, 0)


def test_icc_1k_of_agreeing_reviewers():
    # Means 80, 55, 20; grand mean 155/3. SSB = 2 x (85/3)^2 + 2 x (10/3)^2 + 2 x (95/3)^2 = 32700/9,
    # MSB = 16350/9; SSW = 0 + 50 + 0, MSW = 50/3. ICC = (16350/9 - 150/9) / (16350/9) = 16200/16350.
    assert icc_1k([[D(80), D(80)], [D(50), D(60)], [D(20), D(20)]]) == D("0.9908")


def test_icc_1k_leaves_out_entries_with_one_review_and_needs_two_entries():
    assert icc_1k([[D(80), D(80)], [D(50)]]) is None


def test_ranking_order_ties_by_previous_score_then_earlier_submission():
    now = timezone.now()
    keys = [
        RankKey(1, D("60"), None, now, 1),
        RankKey(2, D("60"), D("70"), now + timedelta(hours=2), 2),
        RankKey(3, D("60"), D("80"), now + timedelta(hours=3), 3),
        RankKey(4, D("60"), None, now - timedelta(hours=1), 4),
        RankKey(5, None, D("99"), now - timedelta(days=1), 5),
        RankKey(6, D("75"), None, now, 6),
    ]
    # 6 has the best score; among the 60s, 3 and 2 by their previous score, then 4 before 1 (earlier);
    # 5 has no score and comes last.
    assert [key.entry_id for key in ranking_order(keys)] == [6, 3, 2, 4, 1, 5]


# --- Through the database: the hand-computed case end to end ----------------------------------------


@pytest.fixture
def hand_case(db):
    """The case of the module's docstring, reviews submitted through the review service."""
    edition = EditionFactory(year=2035)
    now = timezone.now()
    desk = StageFactory(
        edition=edition, kind=Stage.Kind.DESK, opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=20)
    )
    stage = StageFactory(
        edition=edition,
        kind=Stage.Kind.PRESENTATION,
        scorer="panelist",
        calibrated=True,
        spread_threshold=D(50),
    )
    criteria = [
        CriterionFactory(stage=stage, name_id=name, name_en=name, weight=D(weight), scale_max=10, order=order)
        for order, (name, weight) in enumerate([("K1", 3), ("K2", 2), ("K3", 5)])
    ]
    entries = [
        # Later numbers were submitted earlier: E4 before E1.
        EntryFactory(
            edition=edition, number=number, status=Entry.Status.FINALIST, submitted_at=now - timedelta(days=50 + number)
        )
        for number in range(1, 5)
    ]
    panelists = {
        name: user_with_role(
            Role.PANELIST,
            username=f"panel-{name}",
            institution=InstitutionFactory(code=f"kemen-{name}", kind=Institution.Kind.MINISTRY, region=None),
        )
        for name in "ABC"
    }
    desk_reviewer = user_with_role(Role.REVIEWER, username="desk")
    for entry, total in zip(entries, ["85", "70", "70", "80"], strict=True):
        assignment = AssignmentFactory(stage=desk, entry=entry, reviewer=desk_reviewer)
        Review.objects.create(assignment=assignment, status="submitted", submitted_at=now, total=D(total))

    def submit(name, entry, values):
        assignment = AssignmentFactory(stage=stage, entry=entry, reviewer=panelists[name])
        scores = [
            ScoreInput(criterion.pk, None if value is None else D(value), abstained=value is None)
            for criterion, value in zip(criteria, values, strict=True)
        ]
        review_save(assignment=assignment, by=panelists[name], scores=scores, submit=True)
        return assignment

    for number, name, total in HAND_CASE:
        if (name, number) == ("C", 4):
            submit(name, entries[3], [3, 3, None])  # K3 abstained: 100 x 15 / 50 = 30
        else:
            submit(name, entries[number - 1], [total // 10] * 3)
    return {"stage": stage, "desk": desk, "entries": entries, "panelists": panelists, "submit": submit}


def _table(ranking):
    return [
        (
            ranked.entry.number,
            ranked.rank,
            ranked.score,
            ranked.calibrated_score,
            ranked.ranking_score,
            ranked.spread,
            ranked.flagged,
            ranked.previous_score,
        )
        for ranked in ranking
    ]


def test_stage_ranking_hand_computed_case(hand_case):
    assert Review.objects.get(assignment__reviewer__username="panel-C", assignment__entry__number=4).total == D(
        "30.0000"
    )

    assert _table(stage_ranking(stage=hand_case["stage"])) == [
        (2, 1, D("70.0000"), D("78.2843"), D("78.2843"), D("60.0000"), True, D("70.0000")),
        (1, 2, D("43.3333"), D("43.3333"), D("43.3333"), D("30.0000"), False, D("85.0000")),
        (4, 3, D("50.0000"), D("43.3333"), D("43.3333"), D("80.0000"), True, D("80.0000")),
        (3, 4, D("40.0000"), D("21.7157"), D("21.7157"), D("40.0000"), False, D("70.0000")),
    ]
    agreement = stage_ranking_with_agreement(stage=hand_case["stage"]).scores
    assert (agreement.mean, agreement.deviation, agreement.icc) == (D("50.0000"), D("28.2843"), D("-2.0294"))


def test_stage_ranking_without_calibration_follows_the_raw_mean(hand_case):
    Stage.objects.filter(pk=hand_case["stage"].pk).update(calibrated=False)
    hand_case["stage"].refresh_from_db()

    ranking = stage_ranking(stage=hand_case["stage"])

    assert [(ranked.entry.number, ranked.ranking_score) for ranked in ranking] == [
        (2, D("70.0000")),
        (4, D("50.0000")),
        (1, D("43.3333")),
        (3, D("40.0000")),
    ]


def test_stage_ranking_tie_without_previous_score_goes_to_earlier_submission(hand_case):
    Review.objects.filter(assignment__stage=hand_case["desk"]).delete()
    Entry.objects.filter(pk=hand_case["entries"][3].pk).update(submitted_at=timezone.now() - timedelta(days=90))

    ranking = stage_ranking(stage=hand_case["stage"])

    assert [ranked.entry.number for ranked in ranking] == [2, 4, 1, 3]
    assert [ranked.previous_score for ranked in ranking] == [None] * 4


def test_stage_ranking_keeps_a_released_assignments_submitted_review(hand_case):
    Assignment.objects.filter(stage=hand_case["stage"], reviewer__username="panel-C").update(released_at=timezone.now())
    ranked = {ranked.entry.number: ranked for ranked in stage_ranking(stage=hand_case["stage"])}
    assert (ranked[1].reviews, ranked[1].score) == (3, D("43.3333"))


def test_stage_ranking_drops_reviews_of_a_scorer_who_declared_a_conflict(hand_case):
    ConflictOfInterest.objects.create(reviewer=hand_case["panelists"]["C"], entry=hand_case["entries"][0])

    ranked = {ranked.entry.number: ranked for ranked in stage_ranking(stage=hand_case["stage"])}

    # E1 keeps A's 40 and B's 60.
    assert (ranked[1].reviews, ranked[1].score) == (2, D("50.0000"))


def test_stage_ranking_lists_entries_without_reviews_last(hand_case):
    late = EntryFactory(edition=hand_case["stage"].edition, number=9, status=Entry.Status.FINALIST)

    ranking = stage_ranking(stage=hand_case["stage"])

    assert (ranking[-1].entry, ranking[-1].rank, ranking[-1].score, ranking[-1].reviews) == (late, 5, None, 0)


def test_stage_ranking_titles_without_loading_snapshots(hand_case, django_assert_num_queries):
    with django_assert_num_queries(7):
        ranking = stage_ranking(stage=hand_case["stage"])
        titles = [ranked.title for ranked in ranking]
    assert titles == [Entry.objects.get(pk=ranked.entry.pk).title for ranked in ranking]


@pytest.mark.parametrize("extra", [0, 6])
def test_stage_ranking_query_count_does_not_grow(hand_case, django_assert_num_queries, extra):
    for number in range(extra):
        entry = EntryFactory(edition=hand_case["stage"].edition, number=10 + number, status=Entry.Status.FINALIST)
        hand_case["submit"]("B", entry, [5, 5, 5])
    with django_assert_num_queries(7):
        assert len(stage_ranking(stage=hand_case["stage"])) == 4 + extra
