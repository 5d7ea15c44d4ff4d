"""Publishing results (awards, certificates) and the public selectors of published results."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from competitions.models import Certificate, Stage
from competitions.selectors import certificate_verified, edition_results, latest_result, published_decisions
from competitions.services.certificates import certificates_issue
from competitions.services.decisions import decisions_mark
from competitions.services.results import awards_write, results_publish
from innovations.models import Award
from tests.competitions.factories_results import ranked_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(db):
    return ranked_edition(totals=("90", "80", "70", "60"), groups=("umum", "replikasi", "umum", "umum"))


def decide(ranked, by, stage, outcomes):
    for entry, outcome in zip(ranked.entries, outcomes, strict=False):
        decisions_mark(stage=stage, by=by, entry_ids=[entry.pk], outcome=outcome)


def test_published_decisions_are_empty_before_publication(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist", "finalist"])
    assert (list(published_decisions(edition=ranked.edition)), edition_results(edition=ranked.edition)) == ([], [])


def test_published_decisions_leave_out_entries_not_continued(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist", "top99", "eliminated"])
    results_publish(stage=ranked.finalist, by=ministry_admin)
    listed = sorted(published_decisions(edition=ranked.edition).values_list("entry__number", "outcome"))
    assert listed == [(1, "finalist"), (2, "top99")]


def test_edition_results_group_by_group_then_category(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist", "finalist", "top99"])
    results_publish(stage=ranked.finalist, by=ministry_admin)
    [section] = edition_results(edition=ranked.edition)
    shape = [
        (group.group, [(item.category.code, [d.entry.number for d in item.decisions]) for item in group.categories])
        for group in section.groups
    ]
    # Top 99 before a plain finalist inside a category; umum before replikasi.
    assert (section.count, shape) == (3, [("umum", [(1, [3, 1])]), ("replikasi", [(1, [2])])])


def test_edition_results_put_the_latest_stage_first(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist", "finalist"])
    results_publish(stage=ranked.finalist, by=ministry_admin)
    decide(ranked, ministry_admin, ranked.final, ["top45"])
    results_publish(stage=ranked.final, by=ministry_admin)
    assert [section.stage.kind for section in edition_results(edition=ranked.edition)] == [
        "final_decision",
        "finalist_decision",
    ]


def test_latest_result_is_the_last_published_stage(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist", "finalist"])
    results_publish(stage=ranked.finalist, by=ministry_admin)
    decide(ranked, ministry_admin, ranked.final, ["top99", "outstanding"])
    results_publish(stage=ranked.final, by=ministry_admin)
    latest = latest_result()
    assert (latest["stage"], [(d.entry.number, d.outcome) for d in latest["decisions"]]) == (
        ranked.final,
        [(2, "outstanding"), (1, "top99")],
    )


def test_latest_result_is_none_before_any_publication(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist"])
    assert latest_result() is None


def test_published_decisions_carry_no_score_to_the_template(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist"])
    results_publish(stage=ranked.finalist, by=ministry_admin)
    decision = published_decisions(edition=ranked.edition).get()
    assert sorted(decision.get_deferred_fields() & {"score", "rank", "note"}) == ["note", "rank", "score"]


def test_results_publish_refused_while_the_ranked_stage_is_still_open(ranked, ministry_admin, english):
    Stage.objects.filter(pk=ranked.desk.pk).update(closes_at=timezone.now() + timedelta(days=2))
    decide(ranked, ministry_admin, ranked.finalist, ["finalist"])
    with pytest.raises(ValidationError) as refused:
        results_publish(stage=ranked.finalist, by=ministry_admin)
    ranked.finalist.refresh_from_db()
    assert (
        refused.value.code,
        ranked.finalist.results_published_at,
        list(published_decisions(edition=ranked.edition)),
    ) == (
        "source_open",
        None,
        [],
    )


def test_awards_write_twice_adds_nothing(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.final, ["top45", "top99"])
    results_publish(stage=ranked.final, by=ministry_admin)
    assert (awards_write(edition=ranked.edition), Award.objects.filter(competition="kipp").count()) == (0, 2)


def test_awards_write_gives_the_public_pages_a_new_version(ranked, ministry_admin):
    from catalog.freshness import catalog_version

    decide(ranked, ministry_admin, ranked.final, ["top45", "top99"])
    results_publish(stage=ranked.final, by=ministry_admin)
    Award.objects.filter(competition="kipp").delete()
    before = catalog_version().token
    awards_write(edition=ranked.edition)
    assert (catalog_version().token != before, Award.objects.filter(competition="kipp").count()) == (True, 2)


def test_awards_write_locks_the_awards_it_writes_and_one_typed_before(ranked, ministry_admin):
    first, second = ranked.entries[:2]
    typed = Award.objects.create(
        innovation=second.innovation, year=ranked.edition.year, competition="kipp", rank="top99"
    )
    other = Award.objects.create(innovation=second.innovation, year=2019, competition="kipp", rank="top99")
    decide(ranked, ministry_admin, ranked.final, ["top45", "top99"])
    results_publish(stage=ranked.final, by=ministry_admin)
    assert sorted(Award.objects.values_list("innovation_id", "year", "rank", "locked")) == sorted(
        [
            (first.innovation_id, ranked.edition.year, "top45", True),
            (typed.innovation_id, ranked.edition.year, "top99", True),
            (other.innovation_id, 2019, "top99", False),
        ]
    )


def test_awards_write_ignores_unpublished_decisions(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.final, ["top45"])
    assert (awards_write(edition=ranked.edition), Award.objects.count()) == (0, 0)


def test_certificates_issue_twice_issues_nothing_new(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.final, ["top45", "outstanding", "top99"])
    results_publish(stage=ranked.final, by=ministry_admin)
    assert (certificates_issue(stage=ranked.final), Certificate.objects.count()) == ([], 2)


def test_certificate_codes_are_twelve_unambiguous_characters(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.final, ["top45", "outstanding"])
    results_publish(stage=ranked.final, by=ministry_admin)
    codes = list(Certificate.objects.values_list("code", flat=True))
    assert [(len(code), set(code) & set("01IO")) for code in codes] == [(12, set()), (12, set())]


def test_certificate_verified_forgives_case_and_spaces(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.final, ["top45"])
    results_publish(stage=ranked.final, by=ministry_admin)
    certificate = Certificate.objects.get()
    typed = f" {certificate.code[:4].lower()} {certificate.code[4:]}"
    assert (certificate_verified(code=typed), certificate_verified(code=""), certificate_verified(code="X")) == (
        certificate,
        None,
        None,
    )


def test_results_publish_records_the_counts_and_awards(ranked, ministry_admin):
    from competitions.models import AuditRecord

    decide(ranked, ministry_admin, ranked.final, ["top45", "top45", "top99", "eliminated"])
    results_publish(stage=ranked.final, by=ministry_admin)
    record = AuditRecord.objects.get(action=AuditRecord.Action.RESULTS_PUBLISHED)
    assert (record.actor, record.data) == (
        ministry_admin,
        {"counts": {"eliminated": 1, "top45": 2, "top99": 1}, "awards": 3, "certificates": 2},
    )
