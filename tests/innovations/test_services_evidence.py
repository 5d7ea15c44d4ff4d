import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from catalog import freshness
from innovations.models import Evidence
from innovations.services.evidence import (
    evidence_add,
    evidence_add_files,
    evidence_detect_type,
    evidence_make_preview,
    evidence_remove,
)
from innovations.tasks import make_evidence_preview
from jipp.uploads import checked_upload
from tests.innovations.factories_evidence import huge_png
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


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if any image is decoded (only headers may be read)."""

    def refuse(self):
        raise AssertionError("an image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_evidence_detect_type_pdf_named_jpg_is_pdf():
    assert evidence_detect_type(upload=pdf_file("foto.jpg")).content_type == "application/pdf"


def test_evidence_detect_type_docx_from_zip_content():
    assert evidence_detect_type(upload=office_file("a.bin", "word/document.xml")).extension == "docx"


def test_evidence_detect_type_xlsx_from_zip_content():
    assert evidence_detect_type(upload=office_file("a.docx", "xl/workbook.xml")).extension == "xlsx"


def test_evidence_detect_type_refuses_plain_zip_named_docx():
    with pytest.raises(ValidationError):
        evidence_detect_type(upload=office_file("a.docx", "other/readme.txt"))


def test_evidence_detect_type_refuses_powerpoint_the_hub_files_accept():
    upload = office_file("paparan.pptx", "ppt/presentation.xml")

    with pytest.raises(ValidationError) as refused:
        evidence_detect_type(upload=upload)

    assert (checked_upload(upload).extension, refused.value.code) == ("pptx", "type")


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


def test_evidence_add_photo_gets_webp_preview_of_at_most_800px(operator, django_capture_on_commit_callbacks):
    innovation = InnovationFactory(institution=operator.institution)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = evidence_add(innovation=innovation, by=operator, upload=image_file(), caption="Foto")
    evidence.refresh_from_db()
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


def test_evidence_add_refuses_image_over_pixel_limit_without_decoding(operator, settings, no_decoding):
    innovation = InnovationFactory(institution=operator.institution)
    with pytest.raises(ValidationError) as refused:
        evidence_add(innovation=innovation, by=operator, upload=huge_png(), caption="Peta")
    assert (refused.value.code, _stored_files(settings), Evidence.objects.count()) == ("pixels", [], 0)


def test_evidence_detect_type_refuses_image_just_over_configured_limit(settings):
    settings.EVIDENCE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as refused:
        evidence_detect_type(upload=huge_png(1001, 1000))
    assert refused.value.code == "pixels"


def test_evidence_detect_type_accepts_image_at_configured_limit(settings):
    settings.EVIDENCE_MAX_PIXELS = 1_000_000
    assert evidence_detect_type(upload=huge_png(1000, 1000)).content_type == "image/png"


def test_pillow_refuses_to_open_more_than_the_pixel_limit(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.EVIDENCE_MAX_PIXELS


def test_evidence_add_photo_leaves_preview_to_the_worker_after_commit(
    operator, no_decoding, django_capture_on_commit_callbacks
):
    innovation = InnovationFactory(institution=operator.institution)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence = evidence_add(innovation=innovation, by=operator, upload=image_file(), caption="Foto")
    assert (bool(evidence.preview), len(enqueued(callbacks))) == (False, 1)


def test_evidence_add_document_enqueues_no_preview(operator, django_capture_on_commit_callbacks):
    innovation = InnovationFactory(institution=operator.institution)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_add(innovation=innovation, by=operator, upload=pdf_file(), caption="Laporan")
    assert enqueued(callbacks) == []


def enqueued(callbacks: list) -> list:
    """The on-commit callbacks but the catalogue version's own (catalog.freshness.catalog_changed)."""
    return [callback for callback in callbacks if getattr(callback, "func", None) is not freshness._committed]


def test_evidence_make_preview_twice_keeps_one_preview(operator, settings, django_capture_on_commit_callbacks):
    innovation = InnovationFactory(institution=operator.institution)
    with django_capture_on_commit_callbacks(execute=False):
        evidence = evidence_add(innovation=innovation, by=operator, upload=image_file(), caption="Foto")
    evidence_make_preview(evidence_id=evidence.pk)
    evidence_make_preview(evidence_id=evidence.pk)
    evidence.refresh_from_db()
    assert (len(_stored_files(settings)), evidence.preview.name.endswith(".webp")) == (2, True)


def test_evidence_make_preview_of_removed_evidence_does_nothing(operator, settings):
    evidence_make_preview(evidence_id=987654)
    assert _stored_files(settings) == []


def test_evidence_make_preview_of_undecodable_photo_leaves_no_preview(operator, django_capture_on_commit_callbacks):
    innovation = InnovationFactory(institution=operator.institution)
    with django_capture_on_commit_callbacks(execute=False):
        evidence = evidence_add(innovation=innovation, by=operator, upload=image_file(), caption="Foto")
    with evidence.file.open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n broken")
    evidence_make_preview(evidence_id=evidence.pk)
    evidence.refresh_from_db()
    assert bool(evidence.preview) is False


def test_make_evidence_preview_task_is_registered_under_its_name():
    assert make_evidence_preview.name == "innovations.make_evidence_preview"


def test_evidence_add_files_keeps_the_others_when_one_is_refused(operator):
    innovation = InnovationFactory(institution=operator.institution)
    fake = SimpleUploadedFile("virus.pdf", b"#!/bin/sh\n", content_type="application/pdf")
    added, refused = evidence_add_files(
        innovation=innovation, by=operator, uploads=[pdf_file("a.pdf"), fake, pdf_file("b.pdf")], caption="Laporan"
    )
    assert (
        [evidence.original_name for evidence in added],
        [(refusal.name, refusal.code) for refusal in refused],
        Evidence.objects.count(),
    ) == (["a.pdf", "b.pdf"], [("virus.pdf", "type")], 2)
