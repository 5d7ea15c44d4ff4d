"""The secretariat's pages for an edition, its stages and rubrics."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from competitions.models import AuditRecord, Edition, Stage
from competitions.services.reviews import ScoreInput, review_save
from jipp.models import Institution, Role
from tests.competitions.factories import (
    AssignmentFactory,
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    StageFactory,
)
from tests.factories import InstitutionFactory, user_with_role

pytestmark = pytest.mark.django_db


def _edition_data(**overrides):
    data = {
        "year": "2031",
        "theme": "Inovasi pelayanan untuk semua",
        "passing_grade": "85",
        "objection_window_days": "5",
        "exclude_past_winners": "on",
        "umum_offered": "on",
        "umum_min_months": "24",
        "umum_max_entries": "10",
        "replikasi_min_months": "12",
        "khusus_min_months": "24",
        "categories": "Pelayanan kesehatan | Health services\nPendidikan",
    }
    return {**data, **overrides}


def _en(name, **kwargs):
    with translation.override("en"):
        return reverse(f"competitions:{name}", kwargs=kwargs)


def test_edition_create_page_starts_from_the_years_categories(client, ministry_admin):
    client.force_login(ministry_admin)
    response = client.get(reverse("competitions:edition_create"))
    assert response.context["form"]["categories"].value().splitlines()[0] == (
        "Kesetaraan gender dan perlindungan hak perempuan, anak dan penyandang disabilitas | "
        "Gender equality and the rights of women, children and people with disabilities"
    )


def test_edition_create_saves_and_goes_to_the_stages(client, ministry_admin):
    client.force_login(ministry_admin)
    response = client.post(reverse("competitions:edition_create"), _edition_data())
    edition = Edition.objects.get(year=2031)
    assert (
        response.status_code,
        response["Location"],
        list(edition.groups.values_list("group", flat=True)),
        list(edition.categories.values_list("code", "name_id", "name_en")),
    ) == (
        302,
        reverse("competitions:edition_stages", kwargs={"year": 2031}),
        ["umum"],
        [(1, "Pelayanan kesehatan", "Health services"), (2, "Pendidikan", "")],
    )


def test_edition_create_error_keeps_what_was_typed_in_english(client, ministry_admin):
    client.force_login(ministry_admin)
    response = client.post(_en("edition_create"), _edition_data(categories="", umum_offered=""))
    content = response.content.decode()
    assert (
        response.status_code,
        Edition.objects.count(),
        "Inovasi pelayanan untuk semua" in content,
        "Give at least one category." in content,
        "Offer at least one group." in content,
    ) == (422, 0, True, True, True)


def test_edition_create_same_year_error_on_the_year(client, ministry_admin):
    EditionFactory(year=2031)
    client.force_login(ministry_admin)
    response = client.post(_en("edition_create"), _edition_data())
    assert (response.status_code, response.context["form"].errors["year"]) == (
        422,
        ["An edition of 2031 exists already."],
    )


def test_edition_create_control_characters_removed(client, ministry_admin):
    client.force_login(ministry_admin)
    client.post(reverse("competitions:edition_create"), _edition_data(theme="Tema\x00 baru\x0bkedua"))
    assert Edition.objects.get(year=2031).theme == "Tema baru\nkedua"


def _stage_data(now, **extra):
    def local(days):
        return timezone.localtime(now + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")

    data = {
        "registration_included": "on",
        "registration_opens_at": local(1),
        "registration_closes_at": local(10),
        "desk_evaluation_included": "on",
        "desk_evaluation_opens_at": local(12),
        "desk_evaluation_closes_at": local(20),
        "desk_evaluation_blind": "on",
        "desk_evaluation_aggregation": "median",
        "desk_evaluation_spread_threshold": "15",
        "desk_evaluation_reviewers_per_entry": "2",
        "desk_evaluation_hide_reviews_until_submitted": "on",
        "presentation_aggregation": "mean",
        "presentation_spread_threshold": "20",
        "presentation_reviewers_per_entry": "3",
        "field_verification_aggregation": "mean",
        "field_verification_spread_threshold": "20",
        "field_verification_reviewers_per_entry": "3",
    }
    return {**data, **extra}


def test_edition_stages_saves_dates_and_options(client, ministry_admin):
    edition = EditionFactory(year=2031, status=Edition.Status.DRAFT)
    client.force_login(ministry_admin)
    response = client.post(reverse("competitions:edition_stages", kwargs={"year": 2031}), _stage_data(timezone.now()))
    desk = edition.stages.get(kind=Stage.Kind.DESK)
    assert (
        response.status_code,
        list(edition.stages.values_list("kind", "order")),
        (desk.blind, desk.aggregation, desk.spread_threshold, desk.reviewers_per_entry, desk.criteria.count()),
    ) == (
        302,
        [("registration", 1), ("desk_evaluation", 2)],
        (True, "median", Decimal("15"), 2, 5),
    )


def test_edition_stages_closing_before_opening_keeps_the_form(client, ministry_admin):
    EditionFactory(year=2031, status=Edition.Status.DRAFT)
    client.force_login(ministry_admin)
    now = timezone.now()
    data = _stage_data(now, registration_closes_at=timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"))
    response = client.post(_en("edition_stages", year=2031), data)
    assert (response.status_code, response.context["form"].errors["registration_closes_at"]) == (
        422,
        ["A stage must close after it opens."],
    )


def _criteria_data(rows):
    data = {"criteria-TOTAL_FORMS": str(len(rows)), "criteria-INITIAL_FORMS": "0"}
    for number, row in enumerate(rows):
        data.update({f"criteria-{number}-{name}": value for name, value in row.items()})
    return data


def test_stage_rubric_saves_a_1_to_5_scale_with_labels(client, ministry_admin):
    now = timezone.now()
    stage = StageFactory(
        edition=EditionFactory(year=2031), opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=9)
    )
    client.force_login(ministry_admin)
    row = {
        "name_id": "Kebaruan",
        "name_en": "Novelty",
        "weight": "2",
        "scale_min": "1",
        "scale_max": "5",
        "counts_to_total": "on",
        "labels_id": "Sangat kurang\nKurang\nCukup\nBaik\nSangat baik",
        "labels_en": "Very poor\nPoor\nFair\nGood\nVery good",
    }
    response = client.post(
        reverse("competitions:stage_rubric", kwargs={"year": 2031, "kind": stage.kind}), _criteria_data([row])
    )
    criterion = stage.criteria.get()
    with translation.override("en"):
        label = criterion.level_label(4)
    assert (response.status_code, criterion.weight, criterion.level_labels["1"], label) == (
        302,
        Decimal("2"),
        {"id": "Sangat kurang", "en": "Very poor"},
        "Good",
    )


def test_stage_rubric_wrong_number_of_labels_keeps_the_form(client, ministry_admin):
    now = timezone.now()
    stage = StageFactory(
        edition=EditionFactory(year=2031), opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=9)
    )
    client.force_login(ministry_admin)
    row = {"name_id": "A", "name_en": "A", "weight": "1", "scale_min": "1", "scale_max": "5", "labels_id": "x\ny"}
    response = client.post(_en("stage_rubric", year=2031, kind=stage.kind), _criteria_data([row]))
    assert (response.status_code, response.context["formset"].forms[0].errors["labels_id"]) == (
        422,
        ["Give 5 labels, one per level from 1 to 5."],
    )


def test_stage_rubric_after_the_stage_opened_is_refused(client, ministry_admin):
    stage = StageFactory(edition=EditionFactory(year=2031))  # opened yesterday
    criterion = CriterionFactory(stage=stage, weight=Decimal("1"))
    client.force_login(ministry_admin)
    row = {"name_id": "A", "name_en": "A", "weight": "9", "scale_min": "0", "scale_max": "100", "counts_to_total": "on"}
    response = client.post(_en("stage_rubric", year=2031, kind=stage.kind), _criteria_data([row]), follow=True)
    criterion.refresh_from_db()
    assert (
        criterion.weight,
        stage.criteria.count(),
        "its rubric and weights are frozen" in response.content.decode(),
    ) == (
        Decimal("1"),
        1,
        True,
    )


def test_edition_announce_view_opens_a_complete_edition(client, ministry_admin):
    edition = EditionFactory(year=2031, status=Edition.Status.DRAFT)
    client.force_login(ministry_admin)
    client.post(reverse("competitions:edition_create"))  # an empty form changes nothing
    client.post(reverse("competitions:edition_stages", kwargs={"year": 2031}), _stage_data(timezone.now()))
    client.post(reverse("competitions:edition_edit", kwargs={"year": 2031}), _edition_data())
    client.post(reverse("competitions:edition_announce", kwargs={"year": 2031}))
    edition.refresh_from_db()
    assert edition.status == Edition.Status.OPEN


@pytest.mark.parametrize("size", [3, 30])
def test_edition_list_query_count_does_not_grow(client, ministry_admin, django_assert_num_queries, size):
    for number in range(size):
        edition = EditionFactory(year=2100 - number)
        StageFactory(edition=edition, kind=Stage.Kind.REGISTRATION, order=1)
    client.force_login(ministry_admin)
    client.get(reverse("competitions:edition_list"))  # warm the session and the user's groups
    with django_assert_num_queries(5):
        response = client.get(reverse("competitions:edition_list"))
    assert len(response.context["editions"]) == size


def test_edition_edit_after_registration_opened_changes_the_theme_only(client, ministry_admin, edition):
    client.force_login(ministry_admin)
    data = _edition_data(year=str(edition.year), theme="Tema yang diperbaiki", umum_min_months="1", categories="Lain")
    response = client.post(reverse("competitions:edition_edit", kwargs={"year": edition.year}), data)
    edition.refresh_from_db()
    assert (
        response.status_code,
        edition.theme,
        list(edition.groups.values_list("group", "min_months_in_operation")),
        list(edition.categories.values_list("name_id", flat=True)),
    ) == (
        302,
        "Tema yang diperbaiki",
        [("replikasi", 12), ("umum", 24)],
        ["Pelayanan kesehatan", "Transformasi digital"],
    )


@pytest.mark.parametrize(
    "name", ["edition_list", "edition_create", "edition_detail", "edition_edit", "edition_stages", "selection"]
)
def test_secretariat_pages_in_english(client, ministry_admin, edition, name):
    client.force_login(ministry_admin)
    kwargs = {} if name in ("edition_list", "edition_create") else {"year": edition.year}
    response = client.get(_en(name, **kwargs))
    assert (response.status_code, '<html lang="en">' in response.content.decode()) == (200, True)


def test_edition_nav_links_each_scoring_stages_reviewers_and_scores(client, ministry_admin):
    desk = StageFactory(edition=EditionFactory(year=2036))
    presentation = StageFactory(edition=desk.edition, kind=Stage.Kind.PRESENTATION, scorer="panelist")
    StageFactory(edition=desk.edition, kind=Stage.Kind.FINAL, scorer="")
    client.force_login(ministry_admin)
    content = client.get(_en("edition_detail", year=2036)).content.decode()
    links = [_en("assignments", year=2036, kind=stage.kind) for stage in (desk, presentation)] + [
        _en("assignments", year=2036, kind=Stage.Kind.FINAL)
    ]
    assert [f'href="{link}"' in content for link in links] == [True, True, False]


def _changed_score(ministry_admin):
    """A review submitted at 70 and changed to 85 by its reviewer."""
    stage = StageFactory(edition=EditionFactory(year=2037))
    criterion = CriterionFactory(stage=stage, name_id="Kebaruan", name_en="Novelty")
    ministry = InstitutionFactory(code="kemen-2037", kind=Institution.Kind.MINISTRY, region=None)
    reviewer = user_with_role(Role.REVIEWER, username="penilai-2037", institution=ministry)
    assignment = AssignmentFactory(stage=stage, entry=EntryFactory(edition=stage.edition), reviewer=reviewer)
    for value in ("70", "85"):
        review_save(assignment=assignment, by=reviewer, scores=[ScoreInput(criterion.pk, Decimal(value))], submit=True)
    return assignment


def test_edition_audit_shows_who_when_and_what_of_a_changed_score(client, ministry_admin):
    assignment = _changed_score(ministry_admin)
    client.force_login(ministry_admin)
    response = client.get(_en("edition_audit", year=2037), {"action": AuditRecord.Action.SCORE_CHANGED})
    [(record, lines)] = response.context["history"]
    assert (record.actor.username, record.entry, record.created_at is not None, lines) == (
        "penilai-2037",
        assignment.entry,
        True,
        [
            ("reviewer", "penilai-2037"),
            ("review", str(assignment.review.pk)),
            ("total before", "70.0000"),
            ("total", "85.0000"),
            ("changed", "Kebaruan: 70.00 → 85.00"),
        ],
    )


def test_edition_audit_is_the_secretariats(client, hub_admin):
    EditionFactory(year=2037)
    client.force_login(hub_admin)
    assert client.get(_en("edition_audit", year=2037)).status_code == 403


def _summary(response):
    """The error summary's lines, as the page shows them."""
    content = response.content.decode()
    summary = content[
        content.index('id="error-summary"') : content.index("</section>", content.index('id="error-summary"'))
    ]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]


def test_edition_create_error_summary_names_the_group_of_a_field(client, ministry_admin):
    client.force_login(ministry_admin)
    response = client.post(_en("edition_create"), _edition_data(khusus_offered="on", khusus_min_months=""))
    assert _summary(response) == [
        "Special (khusus): Minimum months in operation: Give the minimum months in operation."
    ]


def test_edition_stages_error_summary_names_the_stage_of_a_field(client, ministry_admin):
    EditionFactory(year=2031, status=Edition.Status.DRAFT)
    client.force_login(ministry_admin)
    response = client.post(_en("edition_stages", year=2031), _stage_data(timezone.now(), desk_evaluation_closes_at=""))
    assert _summary(response) == ["Desk evaluation: Closes: Give the date the stage closes."]


def test_stage_rubric_field_error_is_summarised_by_criterion_and_keeps_the_form(client, ministry_admin):
    now = timezone.now()
    stage = StageFactory(
        edition=EditionFactory(year=2031), opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=9)
    )
    client.force_login(ministry_admin)
    rows = [
        {"name_id": "Kebaruan", "name_en": "Novelty", "weight": "2", "scale_min": "0", "scale_max": "100"},
        {"name_id": "Efektif", "name_en": "Effective", "weight": "1", "scale_min": "5", "scale_max": "1"},
    ]
    response = client.post(_en("stage_rubric", year=2031, kind=stage.kind), _criteria_data(rows))
    formset = response.context["formset"]
    assert (
        response.status_code,
        _summary(response),
        [form["name_en"].value() for form in formset],
        stage.criteria.count(),
    ) == (
        422,
        ["Criterion 2, Highest score: The highest score must be above the lowest."],
        ["Novelty", "Effective"],
        0,
    )
