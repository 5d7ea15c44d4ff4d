from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from innovations.forms.evidence import EvidenceForm
from innovations.forms.workflow import AwardFormSet, InnovationForm, ReturnForm
from innovations.models import SDG, SECTION_LIMITS, Innovation
from tests.innovations.factories_workflow import InnovationFactory, office_file, pdf_file

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


@pytest.mark.parametrize(
    ("typed", "amount"), [("175.000.000", Decimal(175_000_000)), ("Rp. 75.000.000,00", Decimal(75_000_000))]
)
def test_innovation_form_budget_accepts_what_the_import_accepts(typed, amount):
    form = InnovationForm(data=_data(budget=typed))
    assert (form.is_valid(), form.cleaned_data.get("budget")) == (True, amount)


def test_innovation_form_budget_refuses_words_with_an_example():
    with translation.override("en"):
        form = InnovationForm(data=_data(budget="tujuh juta"))
        assert (form.is_valid(), form.errors["budget"]) == (
            False,
            [str(_("Enter an amount in rupiah, for example 175.000.000."))],
        )


def test_innovation_form_budget_shows_thousands_separated():
    form = InnovationForm(instance=Innovation(title="x", budget=Decimal(175_000_000)))
    with translation.override("id"):
        assert 'value="175.000.000"' in str(form["budget"])


@pytest.mark.parametrize("name", ["stage", "kind", "form", "initiator", "government_affair", "budget_source"])
def test_innovation_form_choices_start_with_choose(name):
    with translation.override("en"):
        assert InnovationForm().fields[name].choices[0] == ("", str(_("Choose…")))


def test_award_form_choices_start_with_choose():
    form = AwardFormSet(prefix="awards").forms[0]
    with translation.override("en"):
        assert (form.fields["competition"].choices[0], form.fields["rank"].choices[0]) == (
            ("", str(_("Choose…"))),
            ("", str(_("Choose…"))),
        )


@pytest.mark.parametrize("name", list(SECTION_LIMITS))
def test_innovation_form_sections_have_help_text(name):
    assert str(InnovationForm().fields[name].help_text) != ""


def test_innovation_form_error_links_point_at_each_field():
    form = InnovationForm(data=_data(trial_date="2024-02-01", implementation_date="2024-01-01"), for_submission=True)
    form.is_valid()
    anchors = [link["anchor"] for link in form.error_links()]
    assert anchors == [
        "id_summary",
        "id_stage",
        "id_kind",
        "id_form",
        "id_government_affair",
        "id_implementation_date",
        "id_sdgs_0",
    ]


def test_award_formset_error_links_point_at_the_row():
    row = {"year": "2014", "competition": "kipp", "rank": "top99"}
    data = {f"awards-{index}-{name}": value for index in (0, 1) for name, value in row.items()}
    formset = _awards(**data)
    formset.is_valid()
    assert [link["anchor"] for link in formset.error_links()] == ["id_awards-1-year"]


def test_innovation_form_checked_for_submission_names_what_the_saved_record_lacks():
    record = InnovationFactory(summary="", stage="", sdgs=[])
    form = InnovationForm.checked_for_submission(record)
    assert sorted(form.errors) == ["sdgs", "stage", "summary"]
