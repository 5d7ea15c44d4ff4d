import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innovations.models import Innovation, SustainabilityStatus, SustainabilityUpdate
from innovations.services.sustainability import sustainability_report
from tests.innovations.factories_network import NetworkInnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(institution):
    return NetworkInnovationFactory(institution=institution)


def test_sustainability_report_sets_record_status(record, operator):
    sustainability_report(innovation=record, by=operator, year=2024, status=SustainabilityStatus.DEVELOPED)
    record.refresh_from_db()
    assert record.sustainability_status == SustainabilityStatus.DEVELOPED


def test_sustainability_report_of_older_year_keeps_latest_status(record, operator):
    sustainability_report(innovation=record, by=operator, year=2024, status=SustainabilityStatus.CONTINUES)
    sustainability_report(innovation=record, by=operator, year=2022, status=SustainabilityStatus.STOPPED, reason="Dana")
    record.refresh_from_db()
    assert record.sustainability_status == SustainabilityStatus.CONTINUES


def test_sustainability_report_same_year_edits_the_report(record, operator):
    sustainability_report(innovation=record, by=operator, year=2024, status=SustainabilityStatus.CONTINUES)
    sustainability_report(innovation=record, by=operator, year=2024, status=SustainabilityStatus.DEVELOPED)
    assert list(SustainabilityUpdate.objects.values_list("year", "status")) == [(2024, "berlanjut_pengembangan")]


def test_sustainability_report_stop_requires_reason(record, operator):
    with pytest.raises(ValidationError):
        sustainability_report(innovation=record, by=operator, year=2024, status=SustainabilityStatus.STOPPED)
    assert SustainabilityUpdate.objects.count() == 0


def test_sustainability_report_refuses_other_institution(record, other_operator):
    with pytest.raises(PermissionDenied):
        sustainability_report(innovation=record, by=other_operator, year=2024, status=SustainabilityStatus.CONTINUES)


def test_sustainability_report_allows_hub_admin(record, hub_admin):
    update = sustainability_report(innovation=record, by=hub_admin, year=2024, status=SustainabilityStatus.CONTINUES)
    assert update.reported_by == hub_admin


def test_sustainability_report_keeps_other_fields(record, operator):
    Innovation.objects.filter(pk=record.pk).update(title="Judul Baru")
    sustainability_report(innovation=record, by=operator, year=2024, status=SustainabilityStatus.CONTINUES)
    record.refresh_from_db()
    assert record.title == "Judul Baru"
