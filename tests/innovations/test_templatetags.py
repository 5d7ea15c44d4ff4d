import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from innovations.models import Replication, SustainabilityUpdate
from tests.innovations.factories_network import NetworkInnovationFactory, ReplicationFactory

pytestmark = pytest.mark.django_db


def render(tag: str, innovation, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load innovation_panels %}{% " + tag + " innovation %}")
    return template.render(Context({"request": request, "innovation": innovation}))


def test_replication_panel_lists_open_request_for_owner(operator, institution, other_institution):
    origin = NetworkInnovationFactory(institution=institution)
    ReplicationFactory(origin=origin, institution=other_institution)
    assert other_institution.name in render("replication_panel", origin, operator)


def test_replication_panel_hides_request_of_third_institution(other_operator, institution):
    origin = NetworkInnovationFactory(institution=institution)
    third = ReplicationFactory(origin=origin)
    assert third.institution.name not in render("replication_panel", origin, other_operator)


def test_replication_panel_offers_replication_to_other_operator(other_operator, institution):
    origin = NetworkInnovationFactory(institution=institution, slug="asal")
    assert "/kelola/replikasi/baru/asal/" in render("replication_panel", origin, other_operator)


def test_replication_panel_shows_origin_of_replica(operator, institution, other_institution):
    origin = NetworkInnovationFactory(institution=other_institution, title="Asal Mula")
    replica = NetworkInnovationFactory(institution=institution)
    ReplicationFactory(origin=origin, institution=institution, replica=replica, status=Replication.Status.IMPLEMENTED)
    assert "Asal Mula" in render("replication_panel", replica, operator)


def test_sustainability_panel_shows_form_to_owner(operator, institution):
    record = NetworkInnovationFactory(institution=institution)
    assert 'name="status"' in render("sustainability_panel", record, operator)


def test_sustainability_panel_hides_form_from_other_institution(other_operator, institution):
    record = NetworkInnovationFactory(institution=institution)
    assert 'name="status"' not in render("sustainability_panel", record, other_operator)


def test_sustainability_panel_lists_history(operator, institution):
    record = NetworkInnovationFactory(institution=institution)
    SustainabilityUpdate.objects.create(innovation=record, year=2023, status="berhenti", reason="Dana habis")
    assert "Dana habis" in render("sustainability_panel", record, operator)


def test_replication_panel_lists_rejected_request_apart(operator, institution, other_institution):
    origin = NetworkInnovationFactory(institution=institution)
    ReplicationFactory(origin=origin, institution=other_institution, status=Replication.Status.REJECTED)
    with translation.override("en"):
        html = render("replication_panel", origin, operator)
    assert html.index("Not replicated yet.") < html.index(other_institution.name)
