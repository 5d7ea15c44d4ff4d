import pytest
from django.urls import reverse
from django.utils import translation

from innovations.models import Replication, State, SustainabilityUpdate
from jipp.models import Role
from tests.factories import InstitutionFactory, user_with_role
from tests.innovations.factories_evidence import large_pdf, pdf_html_polyglot
from tests.innovations.factories_network import NetworkInnovationFactory, ReplicationFactory, docx_upload, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def origin(institution):
    return NetworkInnovationFactory(institution=institution, slug="posyandu-digital")


@pytest.fixture
def replication(origin, other_institution):
    return ReplicationFactory(origin=origin, institution=other_institution)


def many_replications(count: int, institution) -> None:
    for index in range(count):
        ReplicationFactory(
            origin=NetworkInnovationFactory(institution=institution),
            institution=InstitutionFactory(code=f"replikator-{index}"),
        )


@pytest.mark.parametrize("count", [3, 30])
def test_replication_list_queries_constant_for_operator(
    client, operator, institution, count, django_assert_num_queries
):
    many_replications(count, institution)
    client.force_login(operator)
    url = reverse("innovations:replication_list")
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_replication_list_queries_constant_for_hub(client, hub_admin, institution, count, django_assert_num_queries):
    many_replications(count, institution)
    client.force_login(hub_admin)
    url = reverse("innovations:replication_list")
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url + "?status=interest")
    assert response.status_code == 200


def test_replication_list_filters_by_status(client, hub_admin, replication, origin):
    ReplicationFactory(origin=origin, institution=InstitutionFactory(code="lain"), status=Replication.Status.REJECTED)
    client.force_login(hub_admin)
    response = client.get(reverse("innovations:replication_list") + "?status=rejected")
    assert [r.status for r in response.context["page"].object_list] == ["rejected"]


def test_replication_list_splits_incoming_and_outgoing(client, other_operator, replication):
    client.force_login(other_operator)
    response = client.get(reverse("innovations:replication_list"))
    assert (len(response.context["incoming"]), list(response.context["outgoing"])) == (0, [replication])


def test_replication_create_records_interest(client, other_operator, origin):
    client.force_login(other_operator)
    response = client.post(reverse("innovations:replication_create", kwargs={"slug": origin.slug}), {"scope": "Semua"})
    replication = Replication.objects.get()
    assert response.url == reverse("innovations:replication_detail", kwargs={"pk": replication.pk})


def test_replication_create_duplicate_keeps_typed_text(client, other_operator, replication, origin):
    client.force_login(other_operator)
    url = reverse("innovations:replication_create", kwargs={"slug": origin.slug})
    response = client.post(url, {"scope": "Sebagian", "note": "Catatan kami"})
    assert response.status_code == 200
    assert "Catatan kami" in response.content.decode()
    assert [error.code for error in response.context["form"].non_field_errors().as_data()] == ["duplicate"]


def test_replication_create_of_unpublished_record_is_404(client, other_operator, institution):
    draft = NetworkInnovationFactory(institution=institution, state=State.DRAFT)
    client.force_login(other_operator)
    assert client.get(reverse("innovations:replication_create", kwargs={"slug": draft.slug})).status_code == 404


def test_replication_detail_of_two_other_institutions_is_404(client, replication):
    stranger = user_with_role(Role.OPERATOR, username="op3", institution=InstitutionFactory(code="ketiga"))
    client.force_login(stranger)
    assert client.get(reverse("innovations:replication_detail", kwargs={"pk": replication.pk})).status_code == 404


def test_replication_detail_shows_owner_decision_buttons(client, operator, replication):
    client.force_login(operator)
    response = client.get(reverse("innovations:replication_detail", kwargs={"pk": replication.pk}))
    assert response.context["actions"] == {"attach_agreement", "reject"}


def test_replication_agreement_upload_moves_to_agreement(client, other_operator, replication):
    client.force_login(other_operator)
    client.post(reverse("innovations:replication_agreement", kwargs={"pk": replication.pk}), {"document": pdf_upload()})
    replication.refresh_from_db()
    assert replication.status == Replication.Status.AGREEMENT


def test_replication_agreement_over_limit_says_larger_than_limit_and_stores_nothing(
    client, other_operator, replication, settings
):
    settings.AGREEMENT_MAX_BYTES = 1024 * 1024
    client.force_login(other_operator)
    with translation.override("en"):
        response = client.post(
            reverse("innovations:replication_agreement", kwargs={"pk": replication.pk}),
            {"document": large_pdf(6 * 1024 * 1024), "note": "Sudah ditandatangani"},
        )
    replication.refresh_from_db()
    page = response.content.decode()
    assert (
        response.status_code,
        "larger than 1 MB" in page,
        "Sudah ditandatangani" in page,
        replication.status,
        bool(replication.agreement_document),
    ) == (400, True, True, Replication.Status.INTEREST, False)


def test_replication_agreement_upload_still_checks_csrf(other_operator, replication):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(other_operator)
    client.post(reverse("innovations:replication_agreement", kwargs={"pk": replication.pk}), {"document": pdf_upload()})
    replication.refresh_from_db()
    assert replication.status == Replication.Status.INTEREST


def test_replication_approve_by_replicator_is_refused(client, other_operator, replication):
    replication.status = Replication.Status.AGREEMENT
    replication.save()
    client.force_login(other_operator)
    response = client.post(reverse("innovations:replication_approve", kwargs={"pk": replication.pk}))
    assert response.status_code == 403


def test_replication_approve_by_owner(client, operator, replication):
    replication.status = Replication.Status.AGREEMENT
    replication.save()
    client.force_login(operator)
    client.post(reverse("innovations:replication_approve", kwargs={"pk": replication.pk}), {"note": "Setuju"})
    replication.refresh_from_db()
    assert replication.status == Replication.Status.APPROVED


def test_replication_reject_without_reason_rerenders(client, operator, replication):
    client.force_login(operator)
    response = client.post(reverse("innovations:replication_reject", kwargs={"pk": replication.pk}), {"reason": ""})
    assert response.status_code == 400
    replication.refresh_from_db()
    assert replication.status == Replication.Status.INTEREST


def test_replication_document_served_to_owner(client, operator, other_operator, replication):
    client.force_login(other_operator)
    client.post(reverse("innovations:replication_agreement", kwargs={"pk": replication.pk}), {"document": pdf_upload()})
    client.force_login(operator)
    response = client.get(reverse("innovations:replication_document", kwargs={"pk": replication.pk}))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_replication_document_of_pdf_named_html_downloads_as_pdf(client, operator, other_operator, replication):
    client.force_login(other_operator)
    client.post(
        reverse("innovations:replication_agreement", kwargs={"pk": replication.pk}),
        {"document": pdf_html_polyglot("evil.html")},
    )
    client.force_login(operator)
    response = client.get(reverse("innovations:replication_document", kwargs={"pk": replication.pk}))
    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        response["X-Content-Type-Options"],
    ) == ("application/pdf", f'attachment; filename="kesepakatan-replikasi-{replication.pk}.pdf"', "nosniff")


def test_replication_document_stored_under_old_html_name_downloads_as_pdf(client, operator, replication):
    # Files stored before the type decided the name keep the uploader's extension on disk.
    replication.agreement_document.save("evil.html", pdf_html_polyglot(), save=True)
    client.force_login(operator)
    response = client.get(reverse("innovations:replication_document", kwargs={"pk": replication.pk}))
    assert response["Content-Disposition"] == f'attachment; filename="kesepakatan-replikasi-{replication.pk}.pdf"'


def test_replication_document_docx_downloads_as_docx(client, operator, replication):
    client.force_login(operator)
    client.post(
        reverse("innovations:replication_agreement", kwargs={"pk": replication.pk}),
        {"document": docx_upload("kesepakatan.pdf")},
    )
    response = client.get(reverse("innovations:replication_document", kwargs={"pk": replication.pk}))
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f'attachment; filename="kesepakatan-replikasi-{replication.pk}.docx"',
    )


def test_replication_document_without_file_is_404(client, operator, replication):
    client.force_login(operator)
    assert client.get(reverse("innovations:replication_document", kwargs={"pk": replication.pk})).status_code == 404


def test_sustainability_stop_without_reason_keeps_typed_year(client, operator, origin):
    client.force_login(operator)
    url = reverse("innovations:sustainability", kwargs={"slug": origin.slug})
    response = client.post(url, {"year": "2023", "status": "berhenti", "reason": ""})
    assert (response.status_code, response.context["form"]["year"].value()) == (400, "2023")
    assert SustainabilityUpdate.objects.count() == 0


def test_sustainability_report_saved(client, operator, origin):
    client.force_login(operator)
    url = reverse("innovations:sustainability", kwargs={"slug": origin.slug})
    client.post(url, {"year": "2023", "status": "berlanjut"})
    origin.refresh_from_db()
    assert origin.sustainability_status == "berlanjut"


def test_sustainability_post_by_other_institution_is_not_found(client, other_operator, origin):
    client.force_login(other_operator)
    url = reverse("innovations:sustainability", kwargs={"slug": origin.slug})
    assert client.post(url, {"year": "2023", "status": "berlanjut"}).status_code == 404


def test_sustainability_edit_link_prefills_the_years_report(client, operator, origin):
    SustainabilityUpdate.objects.create(innovation=origin, year=2022, status="berhenti", reason="Dana habis")
    client.force_login(operator)
    response = client.get(reverse("innovations:sustainability", kwargs={"slug": origin.slug}) + "?year=2022")
    form = response.context["form"]
    assert (form["year"].value(), form["status"].value(), form["reason"].value()) == (2022, "berhenti", "Dana habis")


def test_replication_create_with_open_replication_leads_to_it(client, other_operator, replication, origin):
    client.force_login(other_operator)
    response = client.get(reverse("innovations:replication_create", kwargs={"slug": origin.slug}))
    assert response.url == reverse("innovations:replication_detail", kwargs={"pk": replication.pk})
