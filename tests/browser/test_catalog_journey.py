"""A visitor finds an innovation, narrows the list, follows its lineage and takes the data away."""

import csv
import io
from pathlib import Path

from playwright.sync_api import expect

from innovations.models import Replication
from tests.browser.axe import serious_violations
from tests.catalog.factories import InnovationFactory
from tests.factories import InstitutionFactory, regency


def make_records():
    majene = InstitutionFactory(code="dinkes-majene-jalan", name="Dinas Kesehatan Majene", region=regency("Majene"))
    mamuju = InstitutionFactory(code="dinkes-mamuju-jalan", name="Dinas Kesehatan Mamuju", region=regency("Mamuju"))
    origin = InnovationFactory(
        title="Kesehatan Keliling Majene", slug="kesehatan-keliling-majene", institution=majene, sdgs=[3]
    )
    replica = InnovationFactory(
        title="Kesehatan Keliling Mamuju", slug="kesehatan-keliling-mamuju", institution=mamuju, sdgs=[3]
    )
    InnovationFactory(title="Kesehatan Sekolah Mamuju", institution=mamuju, sdgs=[4])
    InnovationFactory(title="Bank Sampah Mamuju", institution=mamuju, sdgs=[12])
    Replication.objects.create(
        origin=origin, institution=mamuju, replica=replica, status=Replication.Status.IMPLEMENTED
    )
    return origin, replica


def test_catalog_journey_search_filter_lineage_english_csv(page, live_server):
    make_records()
    page.goto(live_server.url + "/inovasi/")

    page.locator("input[name=q]").fill("kesehatan")
    page.locator("input[name=q]").press("Enter")
    expect(page).to_have_url(live_server.url + "/inovasi/?q=kesehatan&sort=relevance")
    # Three titles say it; the fourth record's institution is a Dinas Kesehatan.
    expect(page.locator(".chips")).to_contain_text("kesehatan")
    expect(page.locator("#catalog-results h3")).to_have_count(4)

    page.locator("select[name=region]").select_option("7604")
    expect(page.locator("#catalog-results h3")).to_have_count(3)
    page.locator("select[name=sdg]").select_option("3")
    expect(page.locator("#catalog-results h3")).to_have_count(1)
    assert "region=7604" in page.url and "sdg=3" in page.url

    page.get_by_role("link", name="Kesehatan Keliling Mamuju").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kesehatan Keliling Mamuju")
    page.locator(".lineage").get_by_role("link", name="Kesehatan Keliling Majene").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kesehatan Keliling Majene")
    expect(page.locator(".lineage").get_by_role("link", name="Kesehatan Keliling Mamuju")).to_be_visible()

    page.go_back()
    page.go_back()
    expect(page.locator("#catalog-results h3")).to_have_count(1)
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/en/inovasi/?q=kesehatan&region=7604&sdg=3&sort=relevance")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_download() as download_info:
        page.get_by_test_id("download-csv").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["title"], row["region_bps_code"], row["sdgs"]) for row in rows] == [
        ("Kesehatan Keliling Mamuju", "7604", "3")
    ]
    assert page.foreign_requests == []


def test_catalog_pages_have_no_serious_accessibility_violations(page, live_server):
    make_records()
    # The catalogue, a record, the statistics and the home as they first load are test_every_page.py's;
    # here, a search with its filters and one that finds nothing.
    for path in ["/inovasi/?q=kesehatan&region=7604", "/inovasi/?q=kesehatan&region=9999"]:
        page.goto(live_server.url + path)
        assert (path, serious_violations(page)) == (path, [])
    assert page.foreign_requests == []


def test_catalog_works_without_javascript(browser, live_server, reference_data):
    make_records()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/inovasi/")
    page.locator(".filter-panel > summary").click()
    page.locator("select[name=region]").select_option("7601")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator("#catalog-results h3")).to_have_count(1)
    context.close()


def many_records():
    """Two regions, enough records for a page of results."""
    make_records()
    for number in range(8):
        InnovationFactory(title=f"Posyandu Digital {number}")


def first_result_top(page) -> float:
    return page.locator("#catalog-results .result").first.bounding_box()["y"]


def test_catalog_phone_shows_search_and_results_first_and_filters_behind_a_disclosure(page, live_server):
    many_records()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/en/inovasi/")
    expect(page.locator("input[name=q]")).to_be_visible()
    assert first_result_top(page) < 740
    expect(page.locator("select[name=region]")).to_be_hidden()
    assert serious_violations(page) == []

    page.locator("summary", has_text="Filters").click()
    page.locator("select[name=region]").select_option("7604")
    expect(page.locator("#catalog-status")).to_have_text("3 innovations found")
    expect(page.locator("summary")).to_have_text("Filters (1)")
    expect(page.locator("select[name=region]")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Show 3 results").click()
    expect(page.locator("#results-title")).to_be_focused()
    chip = page.get_by_role("link", name="Remove filter Region: Mamuju")
    chip.click()
    expect(page.locator("#catalog-results h3")).to_have_count(12)
    expect(page.locator(".chips")).to_have_count(0)
    expect(page.locator("#results-title")).to_be_focused()
    assert page.url == live_server.url + "/en/inovasi/"


def test_catalog_search_on_a_phone_takes_the_reader_to_the_results(page, live_server):
    many_records()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/en/inovasi/")
    page.locator("input[name=q]").fill("keliling")
    page.locator("input[name=q]").press("Enter")
    expect(page.locator("#results-title")).to_have_text("2 innovations found")
    expect(page.locator("#results-title")).to_be_focused()
    expect(page.locator(".chips a")).to_have_text(["Remove filter Search: keliling ×"])


def test_catalog_wide_screen_shows_filters_beside_the_results(page, live_server):
    many_records()
    page.goto(live_server.url + "/en/inovasi/?region=7604")
    expect(page.locator("select[name=region]")).to_be_visible()
    assert first_result_top(page) < 900
    filters = page.locator("#catalog-filters").bounding_box()
    results = page.locator("#catalog-results").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"]
    assert serious_violations(page) == []
