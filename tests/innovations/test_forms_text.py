"""Every staff form that takes typed text removes control characters before validating, so a
character pasted from Word can neither fail the form nor reach the database or a feed."""

import pytest

from innovations.forms.evidence import EvidenceForm
from innovations.forms.replication import (
    AgreementForm,
    DecisionNoteForm,
    ImplementForm,
    RejectForm,
    ReplicationRequestForm,
)
from innovations.forms.sustainability import SustainabilityForm
from innovations.forms.workflow import AwardForm, DecisionForm, InnovationForm, ReturnForm, SimilarQueryForm

pytestmark = pytest.mark.django_db

TYPED = "Posyandu\x00 keliling\x1b\x02\x7f\x9f\x0bbaris baru"
CLEAN = "Posyandu keliling\nbaris baru"

TEXT_FIELDS = [
    (InnovationForm, {}, "title"),
    (InnovationForm, {"title": "Judul"}, "summary"),
    (InnovationForm, {"title": "Judul"}, "background"),
    (InnovationForm, {"title": "Judul"}, "unit"),
    (AwardForm, {"year": "2020", "competition": "kipp", "rank": "top99"}, "note"),
    (ReturnForm, {}, "comment"),
    (DecisionForm, {}, "comment"),
    (ReplicationRequestForm, {}, "scope"),
    (ReplicationRequestForm, {}, "note"),
    (AgreementForm, {}, "note"),
    (DecisionNoteForm, {}, "note"),
    (RejectForm, {}, "reason"),
    (ImplementForm, {}, "note"),
    (SustainabilityForm, {"year": "2020", "status": "berlanjut"}, "reason"),
    (EvidenceForm, {}, "caption"),
    (SimilarQueryForm, {}, "title"),
    (SimilarQueryForm, {}, "summary"),
]


@pytest.mark.parametrize(
    ("form_class", "other", "field"),
    TEXT_FIELDS,
    ids=[f"{form_class.__name__}-{field}" for form_class, _other, field in TEXT_FIELDS],
)
def test_form_removes_control_characters_from_typed_text(form_class, other, field):
    form = form_class(data={**other, field: TYPED})
    form.is_valid()
    assert (form.cleaned_data.get(field), form.errors.get(field)) == (CLEAN, None)


def test_innovation_form_redisplays_cleaned_text():
    form = InnovationForm(data={"title": TYPED, "trial_date": "2024-05-01", "implementation_date": "2023-01-01"})
    assert (form.is_valid(), form["title"].value()) == (False, CLEAN)


@pytest.mark.parametrize("exclude", ["\u00b2", "\u2460", "12a", "-1", "99999999999999999999"])
def test_similar_query_form_ignores_an_exclude_that_is_not_a_record_number(exclude):
    form = SimilarQueryForm(data={"title": "posyandu", "exclude": exclude})
    assert (form.is_valid(), form.query()) == (False, {"title": "posyandu", "summary": "", "exclude_pk": None})


def test_similar_query_form_reads_a_record_number():
    form = SimilarQueryForm(data={"title": "posyandu", "summary": "s" * 2000, "exclude": "12"})
    assert (form.is_valid(), form.query()) == (True, {"title": "posyandu", "summary": "s" * 1500, "exclude_pk": 12})
