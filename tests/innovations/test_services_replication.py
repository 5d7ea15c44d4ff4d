from pathlib import PurePosixPath

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innovations.models import InvalidTransitionError, Replication, ReplicationEvent, State
from innovations.services.replication import (
    replication_approve,
    replication_attach_agreement,
    replication_implement,
    replication_reject,
    replication_request,
)
from tests.innovations.factories_evidence import pdf_html_polyglot
from tests.innovations.factories_network import (
    NetworkInnovationFactory,
    ReplicationFactory,
    docx_upload,
    pdf_upload,
    png_named_pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def origin(institution):
    return NetworkInnovationFactory(institution=institution)


@pytest.fixture
def replication(origin, other_institution):
    return ReplicationFactory(origin=origin, institution=other_institution)


def test_replication_request_records_interest(origin, other_operator):
    replication = replication_request(origin=origin, by=other_operator, scope="Seluruhnya", note="Minat")
    assert (replication.status, replication.institution_id) == (
        Replication.Status.INTEREST,
        other_operator.institution_id,
    )


def test_replication_request_records_event(origin, other_operator):
    replication = replication_request(origin=origin, by=other_operator)
    assert list(replication.events.values_list("status", "actor")) == [("interest", other_operator.pk)]


def test_replication_request_refuses_own_institution(origin, operator):
    with pytest.raises(PermissionDenied):
        replication_request(origin=origin, by=operator)
    assert Replication.objects.count() == 0


def test_replication_request_refuses_unpublished_record(institution, other_operator):
    draft = NetworkInnovationFactory(institution=institution, state=State.DRAFT)
    with pytest.raises(PermissionDenied):
        replication_request(origin=draft, by=other_operator)


def test_replication_request_refuses_second_open_replication(origin, other_operator):
    replication_request(origin=origin, by=other_operator)
    with pytest.raises(ValidationError) as error:
        replication_request(origin=origin, by=other_operator)
    assert error.value.code == "duplicate"
    assert Replication.objects.count() == 1


def test_replication_request_allowed_again_after_rejection(replication, other_operator, operator):
    replication_reject(replication=replication, by=operator, reason="Belum siap")
    again = replication_request(origin=replication.origin, by=other_operator)
    assert again.status == Replication.Status.INTEREST


def test_replication_attach_agreement_accepts_pdf(replication, other_operator):
    replication = replication_attach_agreement(replication=replication, by=other_operator, document=pdf_upload())
    assert replication.status == Replication.Status.AGREEMENT
    stored = PurePosixPath(replication.agreement_document.name)
    assert (stored.parent.as_posix(), stored.suffix) == ("agreements", ".pdf")


def test_replication_attach_agreement_accepts_docx(replication, operator):
    replication = replication_attach_agreement(replication=replication, by=operator, document=docx_upload())
    assert replication.status == Replication.Status.AGREEMENT


def test_replication_attach_agreement_pdf_named_html_is_stored_as_pdf(replication, other_operator):
    replication = replication_attach_agreement(
        replication=replication, by=other_operator, document=pdf_html_polyglot("evil.html")
    )
    assert PurePosixPath(replication.agreement_document.name).suffix == ".pdf"


def test_replication_attach_agreement_docx_named_pdf_is_stored_as_docx(replication, other_operator):
    replication = replication_attach_agreement(
        replication=replication, by=other_operator, document=docx_upload("kesepakatan.pdf")
    )
    assert PurePosixPath(replication.agreement_document.name).suffix == ".docx"


def test_replication_attach_agreement_refuses_image_named_pdf(replication, other_operator):
    with pytest.raises(ValidationError) as error:
        replication_attach_agreement(replication=replication, by=other_operator, document=png_named_pdf())
    assert error.value.code == "bad_type"
    replication.refresh_from_db()
    assert replication.status == Replication.Status.INTEREST


def test_replication_attach_agreement_refuses_file_over_10_mb(replication, other_operator):
    with pytest.raises(ValidationError) as error:
        replication_attach_agreement(
            replication=replication, by=other_operator, document=pdf_upload(size=10 * 1024 * 1024)
        )
    assert error.value.code == "too_large"


def test_replication_attach_agreement_refuses_third_institution(replication, hub_admin):
    from jipp.models import Role
    from tests.factories import InstitutionFactory, user_with_role

    stranger = user_with_role(Role.OPERATOR, username="op3", institution=InstitutionFactory(code="third"))
    with pytest.raises(PermissionDenied):
        replication_attach_agreement(replication=replication, by=stranger, document=pdf_upload())


def test_replication_approve_by_owner(replication, operator, other_operator):
    replication_attach_agreement(replication=replication, by=other_operator, document=pdf_upload())
    replication = replication_approve(replication=replication, by=operator)
    assert replication.status == Replication.Status.APPROVED


def test_replication_approve_by_hub_admin(replication, other_operator, hub_admin):
    replication_attach_agreement(replication=replication, by=other_operator, document=pdf_upload())
    assert replication_approve(replication=replication, by=hub_admin).status == Replication.Status.APPROVED


def test_replication_approve_refuses_replicator(replication, other_operator):
    replication_attach_agreement(replication=replication, by=other_operator, document=pdf_upload())
    with pytest.raises(PermissionDenied):
        replication_approve(replication=replication, by=other_operator)


def test_replication_approve_refuses_without_agreement(replication, operator):
    with pytest.raises(InvalidTransitionError):
        replication_approve(replication=replication, by=operator)
    replication.refresh_from_db()
    assert replication.status == Replication.Status.INTEREST


def test_replication_reject_requires_reason(replication, operator):
    with pytest.raises(ValidationError) as error:
        replication_reject(replication=replication, by=operator, reason="  ")
    assert error.value.code == "reason_required"


def test_replication_reject_records_reason(replication, operator):
    replication_reject(replication=replication, by=operator, reason="Tidak sesuai")
    assert ReplicationEvent.objects.filter(replication=replication).last().note == "Tidak sesuai"


def test_replication_reject_refuses_replicator(replication, other_operator):
    with pytest.raises(PermissionDenied):
        replication_reject(replication=replication, by=other_operator, reason="Batal")


def test_replication_reject_refuses_approved(replication, operator):
    replication.status = Replication.Status.APPROVED
    replication.save()
    with pytest.raises(InvalidTransitionError):
        replication_reject(replication=replication, by=operator, reason="Terlambat")


def test_replication_implement_links_replica(replication, other_operator, other_institution):
    replication.status = Replication.Status.APPROVED
    replication.save()
    replica = NetworkInnovationFactory(institution=other_institution)
    replication = replication_implement(replication=replication, by=other_operator, replica=replica)
    assert (replication.status, replication.replica_id) == (Replication.Status.IMPLEMENTED, replica.pk)


def test_replication_implement_refuses_record_of_another_institution(replication, other_operator, institution):
    replication.status = Replication.Status.APPROVED
    replication.save()
    with pytest.raises(PermissionDenied):
        replication_implement(
            replication=replication, by=other_operator, replica=NetworkInnovationFactory(institution=institution)
        )


def test_replication_implement_refuses_owner(replication, operator):
    replication.status = Replication.Status.APPROVED
    replication.save()
    with pytest.raises(PermissionDenied):
        replication_implement(replication=replication, by=operator)
