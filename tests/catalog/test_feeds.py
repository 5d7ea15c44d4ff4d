"""The Atom feed, read back by a real XML parser as a feed reader would."""

from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse

from jipp.models import Institution, Region
from tests.catalog.factories import InnovationFactory
from tests.catalog.xml_helpers import control_characters, parse_xml
from tests.factories import InstitutionFactory, regency

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(response) -> list[ElementTree.Element]:
    assert (response.status_code, response["Content-Type"].split(";")[0]) == (200, "application/atom+xml")
    root = parse_xml(response.content)
    return root.findall(f"{ATOM}entry")


@pytest.fixture
def dirty_record():
    """A published record whose every feed-bound text carries every control character, written straight
    to the database as an old import or a form before the cleaning rule would have left it."""
    dirt = control_characters()
    record = InnovationFactory(title="Judul", summary="Ringkasan", institution=InstitutionFactory(region=regency()))
    type(record).objects.filter(pk=record.pk).update(title=f"Judul{dirt}kotor", summary=f"Ringkasan{dirt}kotor")
    Institution.objects.filter(pk=record.institution_id).update(name=f"Dinas{dirt}Uji")
    Region.objects.filter(pk=record.region_id).update(name=f"Majene{dirt}")
    return record


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_feed_with_control_characters_in_stored_text_parses(client, dirty_record, prefix):
    response = client.get(f"{prefix}/inovasi/feed/")
    titles = [entry.findtext(f"{ATOM}title") for entry in feed_entries(response)]
    assert [(title[:5], title[-5:]) for title in titles] == [("Judul", "kotor")]


def test_region_feed_with_control_characters_in_stored_text_parses(client, dirty_record):
    response = client.get(reverse("catalog:feed"), {"region": "7601"})
    entries = feed_entries(response)
    feed_title = parse_xml(response.content).findtext(f"{ATOM}title")
    assert (len(entries), "Majene" in feed_title) == (1, True)


def test_feed_summary_keeps_the_text_around_control_characters(client, dirty_record):
    entry = feed_entries(client.get(reverse("catalog:feed")))[0]
    summary = entry.findtext(f"{ATOM}summary")
    assert (summary.startswith("Dinas"), summary[-5:], "Ringkasan" in summary) == (True, "kotor", True)


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


def elements_a_reader_renders(element: ElementTree.Element) -> list[str]:
    """What a feed reader would turn into markup: an Atom text construct of type html or xhtml is
    interpreted as HTML; type text (the default) is shown as it is."""
    kind = element.get("type", "text")
    if kind == "xhtml":
        return [child.tag for child in element.iter()][1:]
    if kind == "html":
        collector = _TagCollector()
        collector.feed(element.text or "")
        return collector.tags
    return []


def test_feed_summary_html_is_sent_as_text(client):
    summary = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>tebal</b>'
    InnovationFactory(title="<i>Judul</i>", summary=summary)
    entry = feed_entries(client.get(reverse("catalog:feed")))[0]
    rendered = [elements_a_reader_renders(entry.find(f"{ATOM}{name}")) for name in ("title", "summary")]
    assert (rendered, entry.findtext(f"{ATOM}summary").endswith(summary)) == ([[], []], True)


def test_feed_names_its_author(client):
    InnovationFactory()
    parsed = feedparser.parse(client.get(reverse("catalog:feed")).content)
    assert (parsed.bozo, parsed.feed.author) == (False, "Hub JIPP Sulawesi Barat")


def test_region_feed_has_its_own_id_and_self_link(client):
    InnovationFactory(institution=InstitutionFactory(region=regency("Mamuju")))
    whole = feedparser.parse(client.get(reverse("catalog:feed")).content).feed
    region = feedparser.parse(client.get(reverse("catalog:feed"), {"region": "76.02"}).content).feed
    self_links = [link.href for link in region.links if link.rel == "self"]
    alternate = [link.href for link in region.links if link.rel == "alternate"]
    assert (self_links, region.id, alternate, region.id != whole.id) == (
        ["http://testserver/inovasi/feed/?region=7604"],
        "http://testserver/inovasi/feed/?region=7604",
        ["http://testserver/inovasi/?region=7604"],
        True,
    )


def test_english_region_feed_links_stay_english(client):
    InnovationFactory(institution=InstitutionFactory(region=regency("Mamuju")))
    feed = feedparser.parse(client.get("/en/inovasi/feed/", {"region": "7604"}).content).feed
    assert [link.href for link in feed.links if link.rel == "self"] == [
        "http://testserver/en/inovasi/feed/?region=7604"
    ]


@pytest.mark.parametrize("code", ["0000", "76\x00<script>", "x" * 200])
def test_feed_unknown_region_is_a_plain_text_not_found(client, code):
    response = client.get(reverse("catalog:feed"), {"region": code})
    body = response.content.decode()
    assert (response.status_code, response["Content-Type"], "<" in body, "7601" in body) == (
        404,
        "text/plain; charset=utf-8",
        False,
        True,
    )


def test_catalog_feed_link_follows_the_region_filter(client):
    InnovationFactory(institution=InstitutionFactory(region=regency("Mamuju")))
    response = client.get(reverse("catalog:list"), {"region": "76.02"})
    links = HeadLinks()
    links.feed(response.content.decode())
    assert links.feeds == ["/inovasi/feed/?region=7604"]


def test_catalog_feed_link_without_region_is_the_whole_feed(client):
    response = client.get(reverse("catalog:list"))
    links = HeadLinks()
    links.feed(response.content.decode())
    assert links.feeds == ["/inovasi/feed/"]


class HeadLinks(HTMLParser):
    """The feeds a page announces with <link rel="alternate" type="application/atom+xml">."""

    def __init__(self) -> None:
        super().__init__()
        self.feeds: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "alternate" and values.get("type") == "application/atom+xml":
            self.feeds.append(values["href"])
