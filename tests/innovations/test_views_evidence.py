import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from innovations.models import Evidence
from innovations.services.evidence import evidence_add
from tests.innovations.factories_evidence import huge_png, large_pdf, pdf_html_polyglot
from tests.innovations.factories_workflow import InnovationFactory, PublishedInnovationFactory, image_file, pdf_file

pytestmark = pytest.mark.django_db


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _add_url(innovation):
    return reverse("innovations:evidence_add", kwargs={"slug": innovation.slug})


def test_evidence_upload_pdf_is_stored(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    response = client.post(_add_url(innovation), {"file": pdf_file(), "caption": "Laporan"})
    assert (response.status_code, Evidence.objects.get().caption) == (302, "Laporan")


def test_evidence_upload_mismatched_content_refused_with_message(client, operator, settings):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    fake = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with translation.override("en"):
        response = client.post(_add_url(innovation), {"file": fake, "caption": "Laporan"})
    assert (
        response.status_code,
        "Its content was checked, not its name" in response.content.decode(),
        'value="Laporan"' in response.content.decode(),
        _stored_files(settings),
    ) == (422, True, True, [])


def test_evidence_upload_oversized_refused_before_storing(client, operator, settings):
    settings.EVIDENCE_MAX_BYTES = 20
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    with translation.override("en"):
        response = client.post(_add_url(innovation), {"caption": "Laporan", "file": pdf_file()})
    assert (
        response.status_code,
        "larger than 20\xa0bytes" in response.content.decode(),
        'value="Laporan"' in response.content.decode(),
        _stored_files(settings),
        Evidence.objects.count(),
    ) == (422, True, True, [], 0)


def test_evidence_upload_of_decompression_bomb_refused_with_pixel_message(client, operator, settings):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    with translation.override("en"):
        response = client.post(_add_url(innovation), {"caption": "Peta", "file": huge_png()})
    assert (
        response.status_code,
        "more than 40 megapixels" in response.content.decode(),
        'value="Peta"' in response.content.decode(),
        _stored_files(settings),
    ) == (422, True, True, [])


def test_evidence_upload_of_photo_shows_placeholder_until_preview_is_made(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence_add(innovation=innovation, by=operator, upload=image_file("foto.png"), caption="Foto")
    client.force_login(operator)
    response = client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug}))
    assert 'data-testid="preview-placeholder"' in response.content.decode()


def test_evidence_preview_task_runs_after_upload_and_replaces_placeholder(
    client, operator, django_capture_on_commit_callbacks
):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_add_url(innovation), {"caption": "Foto", "file": image_file("foto.png")})
    response = client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug}))
    evidence = Evidence.objects.get()
    assert (
        'data-testid="preview-placeholder"' in response.content.decode(),
        reverse("innovations:evidence_preview", kwargs={"pk": evidence.pk}) in response.content.decode(),
    ) == (False, True)


def test_evidence_upload_over_limit_says_larger_than_limit_not_where_reading_stopped(client, operator, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    with translation.override("en"):
        response = client.post(_add_url(innovation), {"caption": "Laporan", "file": large_pdf(6 * 1024 * 1024)})
    page = response.content.decode()
    assert (response.status_code, "larger than 1 MB" in page, "The file is 1." in page, _stored_files(settings)) == (
        422,
        True,
        False,
        [],
    )


def test_evidence_file_document_is_attachment_with_nosniff(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=pdf_file("Laporan.pdf"), caption="L")
    client.force_login(operator)
    response = client.get(reverse("innovations:evidence_file", kwargs={"pk": evidence.pk}))
    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        response["X-Content-Type-Options"],
    ) == ("application/pdf", 'attachment; filename="Laporan.pdf"', "nosniff")


def test_evidence_file_pdf_named_html_downloads_as_pdf(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=pdf_html_polyglot("evil.html"), caption="L")
    client.force_login(operator)
    response = client.get(reverse("innovations:evidence_file", kwargs={"pk": evidence.pk}))
    assert (
        evidence.file.name.endswith(".pdf"),
        response["Content-Type"],
        response["Content-Disposition"],
        response["X-Content-Type-Options"],
    ) == (True, "application/pdf", 'attachment; filename="evil.pdf"', "nosniff")


def test_evidence_file_photo_named_html_is_named_by_its_type(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=image_file("foto.html"), caption="F")
    client.force_login(operator)
    response = client.get(reverse("innovations:evidence_file", kwargs={"pk": evidence.pk}))
    assert (response["Content-Type"], response["Content-Disposition"]) == ("image/png", 'inline; filename="foto.png"')


def test_evidence_file_photo_is_inline(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=image_file("foto.png"), caption="F")
    client.force_login(operator)
    response = client.get(reverse("innovations:evidence_file", kwargs={"pk": evidence.pk}))
    assert (response["Content-Type"], response["Content-Disposition"]) == ("image/png", 'inline; filename="foto.png"')


def test_evidence_preview_is_webp(client, operator, django_capture_on_commit_callbacks):
    innovation = InnovationFactory(institution=operator.institution)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = evidence_add(innovation=innovation, by=operator, upload=image_file("foto.png"), caption="F")
    client.force_login(operator)
    response = client.get(reverse("innovations:evidence_preview", kwargs={"pk": evidence.pk}))
    assert response["Content-Type"] == "image/webp"


def test_evidence_preview_of_document_is_404(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=pdf_file(), caption="L")
    client.force_login(operator)
    assert client.get(reverse("innovations:evidence_preview", kwargs={"pk": evidence.pk})).status_code == 404


def test_evidence_of_published_record_served_to_public(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=pdf_file(), caption="L")
    innovation.state = "published"
    innovation.save()
    assert client.get(reverse("innovations:evidence_file", kwargs={"pk": evidence.pk})).status_code == 200


def test_evidence_of_draft_hidden_from_public(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=pdf_file(), caption="L")
    assert client.get(reverse("innovations:evidence_file", kwargs={"pk": evidence.pk})).status_code == 404


def test_evidence_of_pending_revision_hidden_from_public(client, operator):
    from innovations.services.workflow import innovation_revision_start

    original = PublishedInnovationFactory(institution=operator.institution)
    revision = innovation_revision_start(innovation=original, by=operator)
    evidence = evidence_add(innovation=revision, by=operator, upload=pdf_file(), caption="L")
    assert client.get(reverse("innovations:evidence_file", kwargs={"pk": evidence.pk})).status_code == 404


def test_evidence_delete_removes_it(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=pdf_file(), caption="L")
    client.force_login(operator)
    client.post(reverse("innovations:evidence_delete", kwargs={"pk": evidence.pk}))
    assert Evidence.objects.count() == 0


def test_evidence_media_url_is_not_routed(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=pdf_file(), caption="L")
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


def test_evidence_upload_still_checks_csrf(operator):
    from django.test import Client

    innovation = InnovationFactory(institution=operator.institution)
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    response = client.post(_add_url(innovation), {"caption": "Laporan", "file": pdf_file()})
    assert (response.status_code, Evidence.objects.count()) == (403, 0)
