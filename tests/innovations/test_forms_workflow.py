import pytest

from innovations.forms.evidence import EvidenceForm
from innovations.forms.workflow import AwardFormSet, InnovationForm, ReturnForm
from innovations.models import SDG
from tests.innovations.factories_workflow import office_file, pdf_file

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {"title": "Posyandu Digital"}
    data.update(overrides)
    return data


def test_innovation_form_draft_needs_only_title():
    assert InnovationForm(data=_data()).is_valid() is True


def test_innovation_form_draft_without_title_is_invalid():
    form = InnovationForm(data=_data(title=""))
    assert (form.is_valid(), list(form.errors)) == (False, ["title"])


def test_innovation_form_submission_requires_essentials():
    form = InnovationForm(data=_data(), for_submission=True)
    form.is_valid()
    assert sorted(form.errors) == sorted(["summary", "stage", "kind", "form", "government_affair", "sdgs"])


def test_innovation_form_submission_complete_is_valid():
    data = _data(
        summary="S",
        stage="penerapan",
        kind="digital",
        form="pelayanan_publik",
        government_affair="kesehatan",
        sdgs=[SDG.objects.get(number=1).pk],
    )
    assert InnovationForm(data=data, for_submission=True).is_valid() is True


def test_innovation_form_implementation_before_trial_is_invalid():
    form = InnovationForm(data=_data(trial_date="2024-02-01", implementation_date="2024-01-01"))
    assert (form.is_valid(), list(form.errors)) == (False, ["implementation_date"])


def test_innovation_form_refuses_http_video_link():
    form = InnovationForm(data=_data(video_url="http://youtube.com/watch?v=1"))
    assert (form.is_valid(), list(form.errors)) == (False, ["video_url"])


def test_innovation_form_section_over_limit_is_invalid():
    form = InnovationForm(data=_data(summary="x" * 1501))
    assert (form.is_valid(), list(form.errors)) == (False, ["summary"])


def test_innovation_form_has_no_state_or_institution_field():
    assert {"state", "institution", "region", "revision_of"} & set(InnovationForm().fields) == set()


def test_innovation_form_sections_count_filled_fields():
    form = InnovationForm(data=_data(unit="UPT Puskesmas"))
    identity = form.sections()[0]
    assert (identity["anchor"], identity["filled"], identity["total"]) == ("identity", 2, 3)


def _awards(**rows):
    data = {"awards-TOTAL_FORMS": "2", "awards-INITIAL_FORMS": "0"}
    data.update(rows)
    return AwardFormSet(data=data, prefix="awards")


def test_award_formset_ignores_blank_row():
    formset = _awards(**{"awards-0-year": "2014", "awards-0-competition": "kipp", "awards-0-rank": "top99"})
    assert (formset.is_valid(), len(formset.awards())) == (True, 1)


def test_award_formset_refuses_duplicate():
    row = {"year": "2014", "competition": "kipp", "rank": "top99"}
    data = {f"awards-{index}-{name}": value for index in (0, 1) for name, value in row.items()}
    assert _awards(**data).is_valid() is False


def test_award_formset_deleted_row_dropped():
    formset = _awards(
        **{"awards-0-year": "2014", "awards-0-competition": "kipp", "awards-0-rank": "top99", "awards-0-DELETE": "on"}
    )
    assert (formset.is_valid(), formset.awards()) == (True, [])


def test_return_form_requires_comment():
    assert ReturnForm(data={"comment": ""}).is_valid() is False


def test_evidence_form_accepts_docx_content():
    form = EvidenceForm(data={"caption": "Dok"}, files={"file": office_file("x.docx", "word/document.xml")})
    assert form.is_valid() is True


def test_evidence_form_refuses_oversized(settings):
    settings.EVIDENCE_MAX_BYTES = 5
    form = EvidenceForm(data={"caption": "Dok"}, files={"file": pdf_file()})
    assert (form.is_valid(), form.errors.as_data()["file"][0].code) == (False, "too_large")
