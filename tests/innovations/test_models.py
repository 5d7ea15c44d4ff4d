import pytest
from django.db import IntegrityError

from innovations.models import InvalidTransitionError, State, innovation_field_label
from tests.innovations.factories_workflow import InnovationFactory, PublishedInnovationFactory

pytestmark = pytest.mark.django_db


def test_innovation_transition_along_edge():
    innovation = InnovationFactory()
    innovation.transition_to(State.SUBMITTED)
    assert innovation.state == State.SUBMITTED


def test_innovation_transition_draft_to_published_refused():
    with pytest.raises(InvalidTransitionError):
        InnovationFactory().transition_to(State.PUBLISHED)


def test_innovation_is_editable_only_draft_or_returned():
    states = [State.DRAFT, State.SUBMITTED, State.RETURNED, State.PUBLISHED, State.ARCHIVED]
    assert [InnovationFactory.build(state=state).is_editable for state in states] == [True, False, True, False, False]


def test_innovation_revision_cannot_be_published_in_database():
    original = PublishedInnovationFactory()
    with pytest.raises(IntegrityError):
        InnovationFactory(revision_of=original, state=State.PUBLISHED)


def test_innovation_implementation_before_trial_refused_in_database():
    import datetime

    with pytest.raises(IntegrityError):
        InnovationFactory(trial_date=datetime.date(2024, 2, 1), implementation_date=datetime.date(2024, 1, 1))


def test_innovation_manage_url_is_staff_detail():
    innovation = InnovationFactory(slug="abc")
    assert innovation.get_manage_url() == "/kelola/abc/"


def test_innovation_field_label_in_english():
    from django.utils import translation

    with translation.override("en"):
        assert innovation_field_label("trial_date") == "trial date"
