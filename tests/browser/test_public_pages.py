"""Public pages on a 360 px phone and at 1280 px: readable, reachable by keyboard, no serious axe violation.
Each page as it first loads is also test_every_page.py's, at both widths; these are the states and
measures of their own (charts at text size, line length, the English detail, the API documentation)."""

from playwright.sync_api import expect

from innovations.models import Replication, SustainabilityUpdate
from jipp.models import Region
from tests.browser.axe import serious_violations
from tests.catalog.factories import AwardFactory, InnovationFactory
from tests.factories import InstitutionFactory, regency

PHONE = {"width": 360, "height": 740}


def make_records():
    province = InstitutionFactory(code="biro-org", name="Biro Organisasi", region=Region.objects.get(level="province"))
    mamasa = InstitutionFactory(code="dinkes-mamasa", name="Dinas Kesehatan Kabupaten Mamasa", region=regency("Mamasa"))
    origin = InnovationFactory(
        title="Posyandu Prima Berbasis Aplikasi",
        slug="posyandu-prima",
        summary="Kader posyandu mencatat tumbuh kembang balita di aplikasi. " * 6,
        novelty="Untuk pertama kalinya data posyandu tercatat harian. " * 8,
        sdgs=[3, 16],
    )
    AwardFactory(innovation=origin, year=2021)
    SustainabilityUpdate.objects.create(innovation=origin, year=2024, status="berlanjut", reason="Diperluas.")
    replica = InnovationFactory(title="Posyandu Prima Mamasa", institution=mamasa, sdgs=[3])
    Replication.objects.create(origin=origin, institution=mamasa, replica=replica, status="implemented")
    InnovationFactory(title="Sistem Informasi Provinsi", institution=province, sdgs=[16])
    return origin


def test_statistics_on_a_phone_reads_at_page_size(page, live_server):
    make_records()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/statistik/")
    label = page.locator("section[aria-labelledby=chart-sdg-title] .bar-label").last
    expect(label).to_have_text("17. Kemitraan untuk Mencapai Tujuan")
    sizes = page.eval_on_selector_all(
        ".bar-label, .bar-value", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert (min(sizes), page.evaluate("document.documentElement.scrollWidth")) == (16, 360)


def test_detail_in_english_has_no_serious_violations_on_a_phone_and_desktop(page, live_server):
    # Indonesian content in an English page (marked lang="id"); the Indonesian page is every-page's.
    make_records()
    page.goto(live_server.url + "/en/inovasi/posyandu-prima/")
    found = []
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(viewport)
        found += [(viewport["width"], violation) for violation in serious_violations(page)]
    assert (found, page.foreign_requests) == ([], [])


def test_detail_lines_stay_readable_on_a_wide_screen(page, live_server):
    make_records()
    page.goto(live_server.url + "/inovasi/posyandu-prima/")
    # The summary's width against 71 zeros in the same font: at most about 70 characters a line.
    fits = page.eval_on_selector(
        "article .summary",
        """p => { const probe = document.createElement('span'); probe.textContent = '0'.repeat(71);
                 p.appendChild(probe); const room = probe.getBoundingClientRect().width; probe.remove();
                 return [p.getBoundingClientRect().width < room, p.getBoundingClientRect().width > room / 2]; }""",
    )
    assert fits == [True, True]


def test_api_docs_load_nothing_from_another_host(page, live_server):
    blocked = []
    page.on("requestfailed", lambda request: blocked.append((request.url, request.failure)))
    for path in ("/api/docs/", "/api/redoc/"):
        page.goto(live_server.url + path)
        expect(page.locator("header.api-docs-header a[href='/']").first).to_be_visible()
        page.wait_for_load_state("networkidle")
    # Redoc's sidebar asks for its maker's logo; the docs pages' policy refuses it before it leaves the browser.
    leaving = [url for url in page.foreign_requests if (url, "csp") not in blocked]
    assert leaving == []


def test_home_search_box_finds_a_record_on_a_phone(page, live_server):
    make_records()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/en/")
    assert serious_violations(page) == []
    page.get_by_label("Search the innovations").fill("posyandu")
    page.get_by_label("Search the innovations").press("Enter")
    expect(page.get_by_role("link", name="Posyandu Prima Berbasis Aplikasi")).to_be_visible()
