import pytest
from django.urls import reverse
from django.utils import translation

from tests.catalog.factories import InnovationFactory
from tests.catalog.html import select, select_one, text

pytestmark = pytest.mark.django_db

KIPP_PLACEHOLDER = "will appear here once the secretariat publishes them"


def english_home(client) -> str:
    return client.get("/en/").text


def test_home_kipp_section_says_results_will_appear(client):
    section = select_one(english_home(client), "section[aria-labelledby=home-kipp-title]")
    assert (text(select_one(section, "h2")), KIPP_PLACEHOLDER in text(section)) == ("Latest KIPP results", True)


def test_home_kipp_placeholder_shows_once(client):
    page = " ".join(text(element) for element in select(english_home(client), "main"))
    assert (page.count(KIPP_PLACEHOLDER), page.count("Results will be published here")) == (1, 0)


def test_home_newest_section_lists_the_newest_record(client):
    InnovationFactory(title="Terbaru di Beranda")
    section = select_one(english_home(client), "section[aria-labelledby=home-newest-title]")
    assert "Terbaru di Beranda" in text(section)


def test_home_figures_section_counts_published_records(client):
    InnovationFactory.create_batch(2)
    section = select_one(english_home(client), "section[aria-labelledby=home-figures-title]")
    assert "2 published innovations" in text(section)


def test_home_search_box_searches_the_catalogue(client):
    form = select_one(english_home(client), "main form[role=search]")
    inputs = [(field.get("type"), field.get("name")) for field in select(form, "input")]
    assert (form.get("action"), form.get("method"), inputs) == ("/en/inovasi/", "get", [("search", "q")])


def test_home_search_box_has_a_label(client):
    html = english_home(client)
    field = select_one(html, "main form[role=search] input[name=q]")
    assert text(select_one(html, f"label[for={field.get('id')}]")) == "Search the innovations"


def test_home_cards_are_links(client):
    cards = select(english_home(client), ".cards .card")
    links = [[link.get("href") for link in select(card, "a")] for card in cards]
    with translation.override("en"):
        expected = [[reverse("catalog:list")], ["#home-kipp-title"], [reverse("catalog:statistics")]]
    assert links == expected


def test_home_no_longer_says_the_catalogue_opens_soon(client):
    assert "The catalogue opens soon" not in english_home(client)


def test_home_newest_titles_are_marked_as_indonesian_on_english_pages(client):
    InnovationFactory(title="Terbaru di Beranda")
    section = select_one(english_home(client), "section[aria-labelledby=home-newest-title]")
    assert (
        [text(element) for element in select(section, "[lang=id] a, a[lang=id]")],
        bool(select(section, ".content-language")),
    ) == (
        ["Terbaru di Beranda"],
        True,
    )
