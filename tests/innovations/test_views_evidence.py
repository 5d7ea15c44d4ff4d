import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from innovations.models import Evidence, Innovation
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


def _edit_url(innovation):
    return reverse("innovations:edit", kwargs={"slug": innovation.slug})


def test_evidence_upload_several_files_at_once_stores_each(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    response = client.post(
        _add_url(innovation), {"caption": "Kegiatan", "file": [pdf_file("laporan.pdf"), image_file("foto.png")]}
    )
    assert (response.status_code, sorted(Evidence.objects.values_list("original_name", "caption"))) == (
        302,
        [("foto.png", "Kegiatan"), ("laporan.pdf", "Kegiatan")],
    )


def test_evidence_upload_refused_file_is_named_and_the_others_kept(client, operator, settings):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with translation.override("en"):
        response = client.post(_add_url(innovation), {"caption": "Kegiatan", "file": [pdf_file("laporan.pdf"), fake]})
    page = response.content.decode()
    assert (
        response.status_code,
        "virus.pdf" in page,
        "Its content was checked, not its name" in page,
        'value="Kegiatan"' in page,
        list(Evidence.objects.values_list("original_name", flat=True)),
    ) == (422, True, True, True, ["laporan.pdf"])


def test_evidence_upload_oversized_file_among_several_is_named_and_the_others_kept(client, operator, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    with translation.override("en"):
        response = client.post(
            _add_url(innovation),
            {"caption": "Kegiatan", "file": [large_pdf(3 * 1024 * 1024, "besar.pdf"), pdf_file("kecil.pdf")]},
        )
    page = response.content.decode()
    assert (
        "besar.pdf" in page,
        "larger than 1 MB" in page,
        'value="Kegiatan"' in page,
        list(Evidence.objects.values_list("original_name", flat=True)),
    ) == (True, True, True, ["kecil.pdf"])


def test_evidence_upload_of_only_refused_files_names_each(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    first = SimpleUploadedFile("satu.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    second = SimpleUploadedFile("dua.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(_add_url(innovation), {"caption": "Kegiatan", "file": [first, second]})
    page = response.content.decode()
    assert (response.status_code, "satu.exe" in page, "dua.exe" in page, Evidence.objects.count()) == (
        422,
        True,
        True,
        0,
    )


def test_evidence_upload_from_edit_page_returns_to_its_evidence_panel(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    response = client.post(_add_url(innovation), {"caption": "Laporan", "file": pdf_file(), "back": "edit"})
    assert response["Location"] == _edit_url(innovation) + "#evidence"


def test_evidence_upload_by_htmx_answers_the_panel_only(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    response = client.post(
        _add_url(innovation), {"caption": "Laporan", "file": pdf_file(), "back": "edit"}, headers={"HX-Request": "true"}
    )
    assert (
        response.status_code,
        response.templates[0].name,
        "Laporan" in response.content.decode(),
        "<html" in response.content.decode(),
    ) == (200, "innovations/panels/evidence.html", True, False)


def test_evidence_upload_by_htmx_refusal_is_swapped_in_with_caption_kept(client, operator):
    # htmx swaps only 2xx answers: the refusal must be one, or the operator would see nothing happen.
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(
        _add_url(innovation), {"caption": "Laporan", "file": fake, "back": "edit"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert (response.status_code, "virus.pdf" in page, 'value="Laporan"' in page) == (200, True, True)


def test_evidence_delete_from_edit_page_returns_to_its_evidence_panel(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=pdf_file(), caption="L")
    client.force_login(operator)
    response = client.post(reverse("innovations:evidence_delete", kwargs={"pk": evidence.pk}), {"back": "edit"})
    assert (response["Location"], Evidence.objects.count()) == (_edit_url(innovation) + "#evidence", 0)


def test_record_edit_page_offers_evidence_upload(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    evidence_add(innovation=innovation, by=operator, upload=pdf_file(), caption="Laporan akhir")
    client.force_login(operator)
    page = client.get(_edit_url(innovation)).content.decode()
    assert (
        f'action="{_add_url(innovation)}"' in page,
        re.search(r'<input type="file" name="file"[^>]* multiple', page) is not None,
        "Laporan akhir" in page,
    ) == (True, True, True)


def test_record_create_page_offers_to_save_the_draft_and_add_evidence(client, operator):
    client.force_login(operator)
    page = client.get(reverse("innovations:create")).content.decode()
    assert 'value="save_evidence"' in page


def test_record_create_save_and_add_evidence_lands_on_the_evidence_panel(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("innovations:create"),
        {
            "title": "Posyandu Digital",
            "action": "save_evidence",
            "awards-TOTAL_FORMS": "0",
            "awards-INITIAL_FORMS": "0",
        },
    )
    innovation = Innovation.objects.get()
    assert (response.status_code, response["Location"], innovation.state) == (
        302,
        _edit_url(innovation) + "#evidence",
        "draft",
    )


def test_evidence_panel_remove_buttons_tell_files_of_one_caption_apart(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    for name in ("pagi.pdf", "sore.pdf"):
        evidence_add(innovation=innovation, by=operator, upload=pdf_file(name), caption="Kegiatan")
    client.force_login(operator)
    with translation.override("en"):
        page = client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug})).content.decode()
    assert ("Remove “Kegiatan” (pagi.pdf)" in page, "Remove “Kegiatan” (sore.pdf)" in page) == (True, True)
