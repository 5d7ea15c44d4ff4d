import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from innovations.forms.evidence import EvidenceForm
from tests.innovations.factories_workflow import image_file, pdf_file

pytestmark = pytest.mark.django_db


def _not_a_document(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 a program", content_type="application/pdf")


def test_evidence_form_keeps_accepted_files_and_lists_refused_ones():
    form = EvidenceForm(
        data={"caption": "Kegiatan"},
        files={"file": [pdf_file("laporan.pdf"), _not_a_document("virus.pdf"), image_file("foto.png")]},
    )
    assert (
        form.is_valid(),
        [upload.name for upload in form.cleaned_data["file"]],
        [(refusal.name, refusal.code) for refusal in form.refused],
    ) == (True, ["laporan.pdf", "foto.png"], [("virus.pdf", "type")])


def test_evidence_form_with_every_file_refused_names_each():
    form = EvidenceForm(
        data={"caption": "Kegiatan"}, files={"file": [_not_a_document("a.pdf"), _not_a_document("b.pdf")]}
    )
    with translation.override("en"):
        errors = form.errors["file"]
    assert (form.is_valid(), [error.split(":")[0] for error in errors]) == (
        False,
        ["“a.pdf” was not added", "“b.pdf” was not added"],
    )


def test_evidence_form_empty_file_among_several_is_refused_alone():
    form = EvidenceForm(
        data={"caption": "Kegiatan"},
        files={"file": [SimpleUploadedFile("kosong.pdf", b""), pdf_file("laporan.pdf")]},
    )
    assert (form.is_valid(), [refusal.name for refusal in form.refused]) == (True, ["kosong.pdf"])


def test_evidence_form_without_file_is_invalid():
    form = EvidenceForm(data={"caption": "Kegiatan"}, files={})
    assert (form.is_valid(), list(form.errors)) == (False, ["file"])


def test_evidence_form_input_takes_several_files():
    assert "multiple" in str(EvidenceForm()["file"])
