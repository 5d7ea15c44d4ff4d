"""The secretariat configures an edition: groups, categories, stages and rubrics; what others rely on freezes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from competitions.models import AuditRecord, Criterion, Edition, EntryGroup, Stage
from competitions.services.editions import (
    CategoryInput,
    CriterionInput,
    GroupRules,
    StageInput,
    criteria_reset_default,
    criteria_save,
    default_categories,
    edition_announce,
    edition_create,
    edition_update,
    stages_save,
)
from tests.competitions.factories import CriterionFactory, EditionFactory, StageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GROUPS = [GroupRules(EntryGroup.GENERAL, 24, 10), GroupRules(EntryGroup.REPLICATION, 12, 5)]
CATEGORIES = [CategoryInput(1, "Pelayanan kesehatan", "Health services"), CategoryInput(2, "Pendidikan", "Education")]


def _create(by, **overrides):
    values = {
        "year": 2031,
        "theme": "Inovasi untuk semua",
        "passing_grade": Decimal("85"),
        "objection_window_days": 5,
        "exclude_past_winners": True,
        "groups": GROUPS,
        "categories": CATEGORIES,
    }
    return edition_create(by=by, **{**values, **overrides})


def _stages(now=None, **dates):
    now = now or timezone.now()
    days = {
        Stage.Kind.REGISTRATION: (1, 10),
        Stage.Kind.ADMINISTRATIVE: (11, 15),
        Stage.Kind.DESK: (16, 30),
        Stage.Kind.PRESENTATION: (40, 45),
    }
    return [
        StageInput(kind=kind, opens_at=now + timedelta(days=start), closes_at=now + timedelta(days=end))
        for kind, (start, end) in {**days, **dates}.items()
    ]


def test_edition_create_stores_groups_categories_and_audit(ministry_admin):
    edition = _create(ministry_admin)
    assert (
        edition.status,
        list(edition.groups.values_list("group", "min_months_in_operation", "max_entries_per_institution")),
        list(edition.categories.values_list("code", "name_id", "name_en")),
        list(AuditRecord.objects.filter(edition=edition).values_list("action", "actor")),
    ) == (
        Edition.Status.DRAFT,
        [("replikasi", 12, 5), ("umum", 24, 10)],
        [(1, "Pelayanan kesehatan", "Health services"), (2, "Pendidikan", "Education")],
        [(AuditRecord.Action.EDITION_CHANGED, ministry_admin.pk)],
    )


@pytest.mark.parametrize("role", ["operator", "hub_admin", "reviewer", "panelist"])
def test_edition_create_refused_to_everybody_but_the_secretariat(request, role):
    with pytest.raises(PermissionDenied):
        _create(request.getfixturevalue(role))
    assert Edition.objects.count() == 0


def test_edition_create_same_year_twice_refused(ministry_admin):
    _create(ministry_admin)
    with pytest.raises(ValidationError) as error:
        _create(ministry_admin, theme="Lagi")
    assert list(error.value.message_dict) == ["year"]


def test_edition_create_without_group_refused(ministry_admin):
    with pytest.raises(ValidationError) as error:
        _create(ministry_admin, groups=[])
    assert list(error.value.message_dict) == ["groups"]


def test_default_categories_of_a_listed_year():
    assert [category.name_id for category in default_categories(2022)] == [
        "Pelayanan publik yang inklusif dan berkeadilan",
        "Efektivitas institusi publik untuk mencapai TPB/SDGs",
        "Ketahanan institusi publik di masa pandemi dan antisipasi pascapandemi",
    ]


def test_default_categories_of_a_later_year_start_from_the_latest_listed():
    assert (len(default_categories(2026)), default_categories(2026)[7].name_en, default_categories(2020)) == (
        9,
        "Digital transformation of public services",
        [],
    )


def test_stages_save_orders_stages_and_gives_default_rubrics(ministry_admin):
    edition = _create(ministry_admin)
    stages_save(edition=edition, by=ministry_admin, stages=list(reversed(_stages())))
    desk = edition.stages.get(kind=Stage.Kind.DESK)
    presentation = edition.stages.get(kind=Stage.Kind.PRESENTATION)
    assert (
        list(edition.stages.order_by("order").values_list("kind", "order")),
        list(desk.criteria.values_list("name_id", "weight", "scale_min", "scale_max")),
        list(presentation.criteria.values_list("name_en", "weight")),
        (desk.scorer, presentation.scorer),
    ) == (
        [("registration", 1), ("administrative_selection", 2), ("desk_evaluation", 3), ("presentation", 4)],
        [
            ("Kebaruan", Decimal("20"), 0, 100),
            ("Efektif", Decimal("20"), 0, 100),
            ("Bermanfaat", Decimal("20"), 0, 100),
            ("Mudah disebarkan", Decimal("20"), 0, 100),
            ("Berkelanjutan", Decimal("20"), 0, 100),
        ],
        [("Substance", Decimal("70")), ("Delivery", Decimal("30"))],
        ("reviewer", "panelist"),
    )


def test_stages_save_refuses_a_stage_opening_before_the_previous(ministry_admin):
    edition = _create(ministry_admin)
    now = timezone.now()
    stages = _stages(now, **{Stage.Kind.DESK: (5, 30)})
    with pytest.raises(ValidationError) as error:
        stages_save(edition=edition, by=ministry_admin, stages=stages)
    assert (error.value.messages, edition.stages.count()) == (
        ["Desk evaluation cannot open before Administrative selection."],
        0,
    )


def test_stages_save_keeps_the_opening_date_of_an_opened_stage(ministry_admin):
    edition = EditionFactory()
    opened = StageFactory(edition=edition, kind=Stage.Kind.REGISTRATION, order=1)
    moved = StageInput(
        kind=Stage.Kind.REGISTRATION, opens_at=opened.opens_at + timedelta(days=2), closes_at=opened.closes_at
    )
    with pytest.raises(ValidationError):
        stages_save(edition=edition, by=ministry_admin, stages=[moved])
    opened.refresh_from_db()
    assert opened.opens_at == moved.opens_at - timedelta(days=2)


def test_stages_save_extends_the_closing_date_of_an_opened_stage(ministry_admin):
    edition = EditionFactory()
    opened = StageFactory(edition=edition, kind=Stage.Kind.REGISTRATION, order=1)
    later = opened.closes_at + timedelta(days=3)
    stages_save(
        edition=edition,
        by=ministry_admin,
        stages=[StageInput(kind=Stage.Kind.REGISTRATION, opens_at=opened.opens_at, closes_at=later)],
    )
    opened.refresh_from_db()
    assert opened.closes_at == later


def test_stages_save_refuses_removing_an_opened_stage(ministry_admin):
    edition = EditionFactory()
    StageFactory(edition=edition, kind=Stage.Kind.REGISTRATION, order=1)
    with pytest.raises(ValidationError):
        stages_save(edition=edition, by=ministry_admin, stages=[])
    assert edition.stages.count() == 1


def _future_desk():
    now = timezone.now()
    return StageFactory(kind=Stage.Kind.DESK, opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=9))


def test_criteria_save_before_the_stage_opens(ministry_admin):
    stage = _future_desk()
    criteria_save(
        stage=stage,
        by=ministry_admin,
        criteria=[
            CriterionInput(
                name_id="Kebaruan",
                name_en="Novelty",
                weight=Decimal("3"),
                scale_min=1,
                scale_max=5,
                level_labels={"1": {"id": "Sangat kurang", "en": "Very poor"}},
            ),
            CriterionInput(name_id="Catatan", name_en="Remarks", weight=Decimal("1"), counts_to_total=False),
        ],
    )
    assert list(stage.criteria.values_list("name_id", "weight", "scale_max", "counts_to_total", "order")) == [
        ("Kebaruan", Decimal("3"), 5, True, 0),
        ("Catatan", Decimal("1"), 100, False, 1),
    ]
    assert AuditRecord.objects.filter(stage=stage, action=AuditRecord.Action.RUBRIC_CHANGED).count() == 1


def test_criteria_save_after_the_stage_opened_is_refused(ministry_admin):
    stage = StageFactory(kind=Stage.Kind.DESK)  # opened yesterday
    criterion = CriterionFactory(stage=stage, weight=Decimal("1"))
    with pytest.raises(ValidationError) as error:
        criteria_save(
            stage=stage,
            by=ministry_admin,
            criteria=[CriterionInput(name_id=criterion.name_id, name_en="x", weight=Decimal("9"), pk=criterion.pk)],
        )
    criterion.refresh_from_db()
    assert (error.value.code, criterion.weight) == ("rubric_frozen", Decimal("1"))


def test_criteria_reset_default_after_the_stage_opened_is_refused(ministry_admin):
    stage = StageFactory(kind=Stage.Kind.DESK)
    CriterionFactory(stage=stage)
    with pytest.raises(ValidationError):
        criteria_reset_default(stage=stage, by=ministry_admin)
    assert stage.criteria.count() == 1


def test_criteria_save_without_a_counted_criterion_refused(ministry_admin):
    stage = _future_desk()
    with pytest.raises(ValidationError):
        criteria_save(
            stage=stage,
            by=ministry_admin,
            criteria=[CriterionInput(name_id="A", name_en="A", weight=Decimal("1"), counts_to_total=False)],
        )
    assert stage.criteria.count() == 0


def test_criteria_save_refused_to_the_hub(hub_admin):
    with pytest.raises(PermissionDenied):
        criteria_save(
            stage=_future_desk(), by=hub_admin, criteria=[CriterionInput(name_id="A", name_en="A", weight=Decimal(1))]
        )


def test_criteria_save_may_swap_names_between_rows(ministry_admin):
    stage = _future_desk()
    first = CriterionFactory(stage=stage, name_id="A", order=0)
    second = CriterionFactory(stage=stage, name_id="B", order=1)
    criteria_save(
        stage=stage,
        by=ministry_admin,
        criteria=[
            CriterionInput(name_id="B", name_en="B", weight=Decimal(1), pk=first.pk),
            CriterionInput(name_id="A", name_en="A", weight=Decimal(1), pk=second.pk),
        ],
    )
    assert list(Criterion.objects.filter(stage=stage).values_list("pk", "name_id")) == [
        (first.pk, "B"),
        (second.pk, "A"),
    ]


def test_edition_update_after_registration_opened_keeps_the_rules(ministry_admin):
    edition = _create(ministry_admin)
    StageFactory(edition=edition, kind=Stage.Kind.REGISTRATION, order=1)
    with pytest.raises(ValidationError) as error:
        edition_update(
            edition=edition,
            by=ministry_admin,
            year=2031,
            theme="Tema",
            passing_grade=Decimal("85"),
            objection_window_days=5,
            exclude_past_winners=True,
            groups=[GroupRules(EntryGroup.GENERAL, 6, 10)],
            categories=CATEGORIES,
        )
    assert (error.value.code, edition.groups.count()) == ("rules_frozen", 2)


def test_edition_update_after_registration_opened_changes_the_theme(ministry_admin):
    edition = _create(ministry_admin)
    StageFactory(edition=edition, kind=Stage.Kind.REGISTRATION, order=1)
    edition_update(
        edition=edition,
        by=ministry_admin,
        year=2031,
        theme="Tema baru",
        passing_grade=Decimal("80"),
        objection_window_days=7,
        exclude_past_winners=True,
        groups=list(reversed(GROUPS)),
        categories=CATEGORIES,
    )
    edition.refresh_from_db()
    assert (edition.theme, edition.passing_grade, edition.objection_window_days) == ("Tema baru", Decimal("80"), 7)


def test_edition_announce_incomplete_says_what_is_missing(ministry_admin):
    edition = _create(ministry_admin)
    with pytest.raises(ValidationError) as error:
        edition_announce(edition=edition, by=ministry_admin)
    assert error.value.messages == ["Before announcing, the edition needs: a registration stage with its dates."]


def test_edition_announce_opens_a_complete_edition(ministry_admin):
    edition = _create(ministry_admin)
    stages_save(edition=edition, by=ministry_admin, stages=_stages())
    edition_announce(edition=edition, by=ministry_admin)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.OPEN
