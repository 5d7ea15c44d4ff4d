"""sitemap.xml lists the public KIPP results pages in both languages, an edition's once published."""

import pytest

from competitions.services.decisions import decisions_mark
from competitions.services.results import results_publish
from tests.catalog.xml_helpers import parse_xml
from tests.competitions.factories_results import ranked_edition

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _kipp_locations(client):
    response = client.get("/sitemap.xml")
    locations = [element.text for element in parse_xml(response.content).iter(f"{SITEMAP}loc")]
    return sorted(location for location in locations if "/kipp/" in location)


def test_sitemap_lists_an_editions_results_page_only_once_published(client, ministry_admin):
    ranked = ranked_edition(year=2045)
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome="finalist")
    before = _kipp_locations(client)
    results_publish(stage=ranked.finalist, by=ministry_admin)
    assert (before, _kipp_locations(client)) == (
        ["http://testserver/en/kipp/", "http://testserver/kipp/"],
        [
            "http://testserver/en/kipp/",
            "http://testserver/en/kipp/2045/",
            "http://testserver/kipp/",
            "http://testserver/kipp/2045/",
        ],
    )
