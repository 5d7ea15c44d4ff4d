from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from competitions.models import AuditRecord, Decision, Entry, EntryGroup, Objection, Stage
from competitions.services.decisions import (
    Cut,
    CutMode,
    decisions_cut,
    decisions_mark,
    objection_answer,
    objection_file,
)
from competitions.services.results import results_publish
from tests.competitions.factories_results import ObjectionFactory, ranked_edition

pytestmark = pytest.mark.django_db

FINALIST = Decision.Outcome.FINALIST


@pytest.fixture
def ranked():
    return ranked_edition(totals=("90", "80", "70", "60"))


def outcomes(stage: Stage) -> dict[int, str]:
    return dict(Decision.objects.filter(stage=stage).values_list("entry__number", "outcome"))


def test_decisions_cut_top_n_marks_the_first_n(ranked, ministry_admin):
    decisions_cut(stage=ranked.finalist, by=ministry_admin, cut=Cut(CutMode.TOP, top=2), outcome=FINALIST)
    assert outcomes(ranked.finalist) == {1: FINALIST, 2: FINALIST}


def test_decisions_cut_passing_grade_marks_every_entry_at_or_above_it(ranked, ministry_admin):
    decisions_cut(
        stage=ranked.finalist, by=ministry_admin, cut=Cut(CutMode.GRADE, grade=Decimal("70")), outcome=FINALIST
    )
    assert outcomes(ranked.finalist) == {1: FINALIST, 2: FINALIST, 3: FINALIST}


def test_decisions_cut_with_rest_marks_the_others_not_continued(ranked, ministry_admin):
    marked, rest = decisions_cut(
        stage=ranked.finalist,
        by=ministry_admin,
        cut=Cut(CutMode.TOP, top=1),
        outcome=FINALIST,
        rest_eliminated=True,
    )
    assert (len(marked), len(rest), outcomes(ranked.finalist)) == (
        1,
        3,
        {1: FINALIST, 2: "eliminated", 3: "eliminated", 4: "eliminated"},
    )


def test_decisions_cut_within_a_group_counts_only_that_group(ministry_admin):
    ranked = ranked_edition(
        totals=("90", "80", "70", "60"),
        groups=(EntryGroup.GENERAL, EntryGroup.REPLICATION, EntryGroup.GENERAL, EntryGroup.REPLICATION),
    )
    decisions_cut(
        stage=ranked.finalist,
        by=ministry_admin,
        cut=Cut(CutMode.TOP, top=1),
        outcome=FINALIST,
        group=EntryGroup.REPLICATION,
        rest_eliminated=True,
    )
    assert outcomes(ranked.finalist) == {2: FINALIST, 4: "eliminated"}


def test_decisions_cut_records_the_score_and_rank_as_seen(ranked, ministry_admin):
    decisions_cut(stage=ranked.finalist, by=ministry_admin, cut=Cut(CutMode.TOP, top=2), outcome=FINALIST)
    decision = Decision.objects.get(stage=ranked.finalist, entry=ranked.entries[1])
    assert (decision.score, decision.rank, decision.decided_by) == (Decimal("80"), 2, ministry_admin)


def test_decisions_cut_above_everything_is_refused(ranked, ministry_admin):
    with pytest.raises(ValidationError) as error:
        decisions_cut(
            stage=ranked.finalist, by=ministry_admin, cut=Cut(CutMode.GRADE, grade=Decimal("95")), outcome=FINALIST
        )
    assert (error.value.code, outcomes(ranked.finalist)) == ("empty_cut", {})


def test_decisions_mark_refuses_an_outcome_of_another_stage(ranked, ministry_admin):
    with pytest.raises(ValidationError) as error:
        decisions_mark(
            stage=ranked.finalist,
            by=ministry_admin,
            entry_ids=[ranked.entries[0].pk],
            outcome=Decision.Outcome.TOP_45,
        )
    assert (error.value.code, outcomes(ranked.finalist)) == ("outcome", {})


def test_decisions_mark_refuses_an_entry_outside_the_ranking(ranked, ministry_admin):
    unranked = ranked_edition(year=2046, totals=("50",)).entries[0]
    with pytest.raises(ValidationError) as error:
        decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[unranked.pk], outcome=FINALIST)
    assert error.value.code == "not_ranked"


def test_decisions_mark_refuses_a_scoring_stage(ranked, ministry_admin):
    with pytest.raises(ValidationError) as error:
        decisions_mark(stage=ranked.desk, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome=FINALIST)
    assert error.value.code == "not_decision"


@pytest.mark.parametrize("role", ["operator", "hub_admin", "reviewer", "panelist"])
def test_decisions_mark_refuses_anyone_but_the_secretariat(ranked, role, request):
    with pytest.raises(PermissionDenied):
        decisions_mark(
            stage=ranked.finalist,
            by=request.getfixturevalue(role),
            entry_ids=[ranked.entries[0].pk],
            outcome=FINALIST,
        )
    assert outcomes(ranked.finalist) == {}


def test_decisions_mark_records_who_when_and_what(ranked, ministry_admin):
    entry = ranked.entries[0]
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[entry.pk], outcome=FINALIST, note="Top 1")
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[entry.pk], outcome=Decision.Outcome.ELIMINATED)
    records = AuditRecord.objects.filter(action=AuditRecord.Action.DECISION, entry=entry).order_by("pk")
    assert [(r.actor, r.stage, r.created_at is not None, r.data) for r in records] == [
        (
            ministry_admin,
            ranked.finalist,
            True,
            {"before": None, "after": {"outcome": "finalist", "score": "90.0000", "rank": 1}, "note": "Top 1"},
        ),
        (
            ministry_admin,
            ranked.finalist,
            True,
            {
                "before": {"outcome": "finalist", "score": "90.0000", "rank": 1},
                "after": {"outcome": "eliminated", "score": "90.0000", "rank": 1},
                "note": "",
            },
        ),
    ]


def test_decisions_mark_with_the_same_outcome_changes_and_records_nothing(ranked, ministry_admin):
    ids = [ranked.entries[0].pk]
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=ids, outcome=FINALIST)
    changed = decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=ids, outcome=FINALIST)
    assert (changed, AuditRecord.objects.filter(action=AuditRecord.Action.DECISION).count()) == ([], 1)


def test_decisions_leave_entry_statuses_alone_until_published(ranked, ministry_admin):
    decisions_cut(stage=ranked.finalist, by=ministry_admin, cut=Cut(CutMode.TOP, top=2), outcome=FINALIST)
    assert set(Entry.objects.values_list("status", flat=True)) == {Entry.Status.PASSED}


def test_results_publish_announces_finalists_and_opens_the_objection_window(ranked, ministry_admin):
    decisions_cut(
        stage=ranked.finalist, by=ministry_admin, cut=Cut(CutMode.TOP, top=2), outcome=FINALIST, rest_eliminated=True
    )
    stage = results_publish(stage=ranked.finalist, by=ministry_admin)
    statuses = dict(Entry.objects.values_list("number", "status"))
    actions = list(AuditRecord.objects.filter(stage=stage, entry=None).values_list("action", "actor"))
    assert (
        stage.announced_at == stage.results_published_at,
        stage.objections_close_at - stage.announced_at,
        statuses,
        actions,
    ) == (
        True,
        timedelta(days=5),
        {1: "finalist", 2: "finalist", 3: "eliminated", 4: "eliminated"},
        [("finalists_announced", ministry_admin.pk), ("results_published", ministry_admin.pk)],
    )


def test_results_publish_twice_is_refused(ranked, ministry_admin):
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome=FINALIST)
    results_publish(stage=ranked.finalist, by=ministry_admin)
    with pytest.raises(ValidationError) as error:
        results_publish(stage=ranked.finalist, by=ministry_admin)
    assert error.value.code == "published"


def test_results_publish_without_decisions_is_refused(ranked, ministry_admin):
    with pytest.raises(ValidationError) as error:
        results_publish(stage=ranked.finalist, by=ministry_admin)
    ranked.finalist.refresh_from_db()
    assert (error.value.code, ranked.finalist.results_published_at) == ("empty", None)


def test_results_publish_refuses_anyone_but_the_secretariat(ranked, ministry_admin, hub_admin):
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome=FINALIST)
    with pytest.raises(PermissionDenied):
        results_publish(stage=ranked.finalist, by=hub_admin)


def test_finalist_decision_changed_after_announcement_changes_the_status_at_once(ranked, ministry_admin):
    entry = ranked.entries[0]
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[entry.pk], outcome=FINALIST)
    results_publish(stage=ranked.finalist, by=ministry_admin)
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[entry.pk], outcome=Decision.Outcome.ELIMINATED)
    entry.refresh_from_db()
    assert entry.status == Entry.Status.ELIMINATED


def _final_published(ranked, ministry_admin):
    entries = ranked.entries
    for entry, outcome in zip(
        entries,
        [Decision.Outcome.OUTSTANDING, Decision.Outcome.TOP_45, Decision.Outcome.TOP_99, Decision.Outcome.ELIMINATED],
        strict=True,
    ):
        decisions_mark(stage=ranked.final, by=ministry_admin, entry_ids=[entry.pk], outcome=outcome)
    return results_publish(stage=ranked.final, by=ministry_admin)


def test_results_publish_final_writes_awards_onto_the_records(ranked, ministry_admin):
    from innovations.models import Award

    _final_published(ranked, ministry_admin)
    awards = sorted(
        Award.objects.filter(innovation__kipp_entries__edition=ranked.edition).values_list(
            "innovation__kipp_entries__number", "year", "competition", "rank"
        )
    )
    assert awards == [(1, 2045, "kipp", "outstanding"), (2, 2045, "kipp", "top45"), (3, 2045, "kipp", "top99")]


def test_results_publish_final_issues_certificates_to_winners_only(ranked, ministry_admin):
    _final_published(ranked, ministry_admin)
    from competitions.models import Certificate

    issued = sorted(Certificate.objects.values_list("entry__number", "outcome"))
    assert issued == [(1, "outstanding"), (2, "top45")]


def test_results_publish_final_closes_the_edition_and_sets_winners(ranked, ministry_admin):
    _final_published(ranked, ministry_admin)
    ranked.edition.refresh_from_db()
    statuses = dict(Entry.objects.values_list("number", "status"))
    assert (ranked.edition.status, statuses) == (
        "closed",
        {1: "winner", 2: "winner", 3: "finalist", 4: "eliminated"},
    )


def test_results_publish_final_keeps_only_each_records_best_award(ranked, ministry_admin):
    from innovations.models import Award

    entry = ranked.entries[0]
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[entry.pk], outcome=Decision.Outcome.TOP_99)
    results_publish(stage=ranked.finalist, by=ministry_admin)
    decisions_mark(stage=ranked.final, by=ministry_admin, entry_ids=[entry.pk], outcome=Decision.Outcome.TOP_45)
    results_publish(stage=ranked.final, by=ministry_admin)
    assert list(Award.objects.filter(innovation=entry.innovation).values_list("rank", flat=True)) == ["top45"]


def test_finalist_announcement_writes_no_award(ranked, ministry_admin):
    from innovations.models import Award

    decisions_mark(
        stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome=Decision.Outcome.TOP_99
    )
    results_publish(stage=ranked.finalist, by=ministry_admin)
    assert Award.objects.filter(competition="kipp").count() == 0


def test_final_decisions_cannot_change_once_published(ranked, ministry_admin):
    _final_published(ranked, ministry_admin)
    with pytest.raises(ValidationError) as error:
        decisions_mark(
            stage=ranked.final,
            by=ministry_admin,
            entry_ids=[ranked.entries[3].pk],
            outcome=Decision.Outcome.TOP_45,
        )
    assert (error.value.code, outcomes(ranked.final)[4]) == ("published", "eliminated")


@pytest.fixture
def announced(ranked, ministry_admin):
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome=FINALIST)
    results_publish(stage=ranked.finalist, by=ministry_admin)
    return ranked


def test_objection_file_accepts_an_objection_to_an_announced_finalist(announced):
    objection = objection_file(entry=announced.entries[0], name=" Warga ", phone="0812", text=" Belum jalan. ")
    assert (objection.name, objection.email, objection.phone, objection.text) == ("Warga", "", "0812", "Belum jalan.")


def test_objection_file_refuses_an_entry_that_is_no_finalist(announced):
    with pytest.raises(ValidationError) as error:
        objection_file(entry=announced.entries[1], name="Warga", email="w@example.com", text="Keberatan")
    assert (error.value.code, Objection.objects.count()) == ("window_closed", 0)


def test_objection_file_refuses_once_the_window_closed(announced):
    now = timezone.now()
    Stage.objects.filter(pk=announced.finalist.pk).update(
        announced_at=now - timedelta(days=6), objections_close_at=now - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError) as error:
        objection_file(entry=announced.entries[0], name="Warga", email="w@example.com", text="Keberatan")
    assert error.value.code == "window_closed"


def test_objection_file_refuses_before_the_announcement(ranked, ministry_admin):
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome=FINALIST)
    with pytest.raises(ValidationError) as error:
        objection_file(entry=ranked.entries[0], name="Warga", email="w@example.com", text="Keberatan")
    assert error.value.code == "window_closed"


def test_objection_file_needs_a_way_to_answer(announced):
    with pytest.raises(ValidationError) as error:
        objection_file(entry=announced.entries[0], name="Warga", text="Keberatan")
    assert error.value.code == "contact"


def test_objection_answer_is_saved_and_recorded(announced, ministry_admin):
    objection = ObjectionFactory(entry=announced.entries[0])
    objection_answer(objection=objection, by=ministry_admin, answer="Sudah diverifikasi di lapangan.")
    objection.refresh_from_db()
    record = AuditRecord.objects.get(action=AuditRecord.Action.OBJECTION_ANSWERED)
    assert (objection.answer, objection.answered_by, record.actor, record.entry, record.data) == (
        "Sudah diverifikasi di lapangan.",
        ministry_admin,
        ministry_admin,
        announced.entries[0],
        {"objection": objection.pk, "before": "", "after": "Sudah diverifikasi di lapangan."},
    )


def test_objection_answer_refuses_anyone_but_the_secretariat(announced, hub_admin):
    objection = ObjectionFactory(entry=announced.entries[0])
    with pytest.raises(PermissionDenied):
        objection_answer(objection=objection, by=hub_admin, answer="Jawaban")
