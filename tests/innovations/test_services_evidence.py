import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from innovations.models import Evidence
from innovations.services.evidence import evidence_add, evidence_detect_type, evidence_remove
from tests.innovations.factories_workflow import (
    InnovationFactory,
    PublishedInnovationFactory,
    image_file,
    office_file,
    pdf_file,
)

pytestmark = pytest.mark.django_db


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(path.name for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_evidence_detect_type_pdf_named_jpg_is_pdf():
    assert evidence_detect_type(upload=pdf_file("foto.jpg")).content_type == "application/pdf"


def test_evidence_detect_type_docx_from_zip_content():
    assert evidence_detect_type(upload=office_file("a.bin", "word/document.xml")).extension == "docx"


def test_evidence_detect_type_xlsx_from_zip_content():
    assert evidence_detect_type(upload=office_file("a.docx", "xl/workbook.xml")).extension == "xlsx"


def test_evidence_detect_type_refuses_plain_zip_named_docx():
    with pytest.raises(ValidationError):
        evidence_detect_type(upload=office_file("a.docx", "other/readme.txt"))


def test_evidence_detect_type_refuses_script_named_pdf():
    with pytest.raises(ValidationError):
        evidence_detect_type(upload=SimpleUploadedFile("a.pdf", b"#!/bin/sh\necho hi\n", "application/pdf"))


def test_evidence_add_stores_under_generated_name(operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=pdf_file("Laporan Akhir.pdf"), caption="Laporan")
    assert (
        evidence.kind,
        evidence.original_name,
        "Laporan" in evidence.file.name,
        evidence.file.name.endswith(".pdf"),
    ) == (
        Evidence.Kind.DOCUMENT,
        "Laporan Akhir.pdf",
        False,
        True,
    )


def test_evidence_add_photo_gets_webp_preview_of_at_most_800px(operator):
    from PIL import Image

    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=image_file(), caption="Foto")
    with Image.open(evidence.preview.path) as preview:
        assert (evidence.kind, preview.format, max(preview.size)) == (Evidence.Kind.PHOTO, "WEBP", 800)


def test_evidence_add_refuses_oversized_file_without_storing(operator, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    innovation = InnovationFactory(institution=operator.institution)
    with pytest.raises(ValidationError):
        evidence_add(innovation=innovation, by=operator, upload=pdf_file(), caption="x")
    assert (_stored_files(settings), Evidence.objects.count()) == ([], 0)


def test_evidence_add_refuses_other_institution(other_operator, operator, settings):
    innovation = InnovationFactory(institution=operator.institution)
    with pytest.raises(PermissionDenied):
        evidence_add(innovation=innovation, by=other_operator, upload=pdf_file(), caption="x")
    assert _stored_files(settings) == []


def test_evidence_add_refuses_published_record(operator):
    innovation = PublishedInnovationFactory(institution=operator.institution)
    with pytest.raises(PermissionDenied):
        evidence_add(innovation=innovation, by=operator, upload=pdf_file(), caption="x")


def test_evidence_remove_deletes_row_and_file(operator, settings, django_capture_on_commit_callbacks):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=image_file(), caption="Foto")
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=evidence, by=operator)
    assert (_stored_files(settings), Evidence.objects.count()) == ([], 0)


def test_evidence_remove_refuses_other_institution(other_operator, operator):
    evidence = evidence_add(
        innovation=InnovationFactory(institution=operator.institution), by=operator, upload=pdf_file(), caption="x"
    )
    with pytest.raises(PermissionDenied):
        evidence_remove(evidence=evidence, by=other_operator)
    assert Evidence.objects.count() == 1
