import pytest

from innovations.models import State
from jipp.permissions import can
from tests.innovations.factories_workflow import (
    InnovationFactory,
    PublishedInnovationFactory,
    SubmittedInnovationFactory,
)

pytestmark = pytest.mark.django_db


def test_rule_operator_changes_own_draft(operator):
    assert can(operator, "innovations.change_innovation", InnovationFactory(institution=operator.institution)) is True


def test_rule_operator_cannot_change_other_institution_draft(operator, other_institution):
    assert can(operator, "innovations.change_innovation", InnovationFactory(institution=other_institution)) is False


def test_rule_operator_cannot_change_submitted(operator):
    record = SubmittedInnovationFactory(institution=operator.institution)
    assert can(operator, "innovations.change_innovation", record) is False


def test_rule_operator_revises_own_published(operator):
    record = PublishedInnovationFactory(institution=operator.institution)
    assert can(operator, "innovations.revise_innovation", record) is True


def test_rule_only_hub_verifies(operator, hub_admin, reviewer, ministry_admin):
    record = SubmittedInnovationFactory(institution=operator.institution)
    verdicts = [
        can(user, "innovations.verify_innovation", record) for user in (operator, hub_admin, reviewer, ministry_admin)
    ]
    assert verdicts == [False, True, False, False]


def test_rule_public_views_only_published(plain_user):
    from django.contrib.auth.models import AnonymousUser

    verdicts = [
        can(AnonymousUser(), "innovations.view_innovation", record)
        for record in (InnovationFactory(), PublishedInnovationFactory())
    ]
    assert verdicts == [False, True]


def test_rule_history_hub_only(operator, hub_admin):
    record = InnovationFactory(institution=operator.institution)
    verdicts = (can(operator, "innovations.view_history", record), can(hub_admin, "innovations.view_history", record))
    assert verdicts == (False, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "expected"), [(State.SUBMITTED, True), (State.DRAFT, False), (State.PUBLISHED, False)]
)
def test_rule_hub_decides_only_submitted_records(hub_admin, state, expected):
    assert can(hub_admin, "innovations.decide_innovation", InnovationFactory(state=state)) is expected


@pytest.mark.django_db
def test_rule_operator_never_decides(operator):
    record = InnovationFactory(state=State.SUBMITTED, institution=operator.institution)
    assert can(operator, "innovations.decide_innovation", record) is False


@pytest.mark.parametrize(
    ("state", "revision", "allowed"),
    [
        (State.DRAFT, False, False),
        (State.SUBMITTED, False, False),
        (State.RETURNED, False, False),
        (State.PUBLISHED, False, True),
        (State.ARCHIVED, False, True),
        (State.DRAFT, True, False),
    ],
)
def test_rule_sustainability_is_reported_only_on_a_record_in_service(operator, hub_admin, state, revision, allowed):
    original = PublishedInnovationFactory(institution=operator.institution) if revision else None
    record = InnovationFactory(institution=operator.institution, state=state, revision_of=original)
    verdicts = [can(user, "innovations.report_sustainability", record) for user in (operator, hub_admin)]
    assert verdicts == [allowed, allowed]
