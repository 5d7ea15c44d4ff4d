"""The detail page's schema.org description, as a crawler reads it."""

import json
import re

import pytest
from django.utils import translation

from innovations.models import Award
from tests.catalog.factories import AwardFactory, InnovationFactory, ReplicationFactory
from tests.factories import InstitutionFactory, regency

pytestmark = pytest.mark.django_db


def json_ld(client, innovation) -> dict:
    response = client.get(innovation.get_absolute_url())
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert match is not None
    return json.loads(match.group(1))


def test_json_ld_names_awards_of_awarded_record(client):
    innovation = InnovationFactory()
    AwardFactory(innovation=innovation, year=2014, competition=Award.Competition.KIPP, rank=Award.Rank.TOP_99)
    with translation.override("id"):
        expected = [f"{Award.Rank.TOP_99.label}, {Award.Competition.KIPP.label} 2014"]
        assert json_ld(client, innovation)["award"] == [str(text) for text in expected]


def test_json_ld_omits_award_without_awards(client):
    assert "award" not in json_ld(client, InnovationFactory())


def test_json_ld_replica_is_based_on_its_published_origin(client):
    origin = InnovationFactory(title="Asal")
    replica = InnovationFactory(title="Replika", institution=InstitutionFactory(region=regency("Mamasa")))
    ReplicationFactory(origin=origin, institution=replica.institution, replica=replica)
    assert json_ld(client, replica)["isBasedOn"] == f"http://testserver{origin.get_absolute_url()}"


def test_json_ld_date_created_is_the_implementation_date(client):
    innovation = InnovationFactory()
    data = json_ld(client, innovation)
    assert (data["dateCreated"], "datePublished" in data) == (innovation.implementation_date.isoformat(), True)
