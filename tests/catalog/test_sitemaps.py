"""sitemap.xml, read back by a real XML parser as a search engine would."""

import pytest

from jipp.models import Institution
from tests.catalog.factories import InnovationFactory
from tests.catalog.xml_helpers import control_characters, parse_xml

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_with_control_characters_in_stored_text_parses(client):
    dirt = control_characters()
    record = InnovationFactory(slug="kotor")
    type(record).objects.filter(pk=record.pk).update(title=f"Judul{dirt}", summary=f"Ringkasan{dirt}")
    Institution.objects.filter(pk=record.institution_id).update(name=f"Dinas{dirt}")
    response = client.get("/sitemap.xml")
    locations = [element.text for element in parse_xml(response.content).iter(f"{SITEMAP}loc")]
    assert (
        response.status_code,
        "http://testserver/inovasi/kotor/" in locations,
        "http://testserver/en/inovasi/kotor/" in locations,
    ) == (200, True, True)
