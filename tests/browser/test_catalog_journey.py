"""A visitor finds an innovation, narrows the list, follows its lineage and takes the data away."""

import csv
import io
from pathlib import Path

from playwright.sync_api import expect

from innovations.models import Replication
from tests.catalog.factories import InnovationFactory
from tests.factories import InstitutionFactory, regency


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (violation["id"], violation["impact"])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


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
    expect(page.locator("#catalog-results h3")).to_have_count(3)

    page.locator("select[name=region]").select_option("7604")
    expect(page.locator("#catalog-results h3")).to_have_count(2)
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
    origin, _replica = make_records()
    for path in ["/inovasi/", "/inovasi/?q=kesehatan&region=9999", origin.get_absolute_url(), "/statistik/", "/"]:
        page.goto(live_server.url + path)
        assert (path, serious_violations(page)) == (path, [])
    assert page.foreign_requests == []


def test_catalog_works_without_javascript(browser, live_server, reference_data):
    make_records()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/inovasi/")
    page.locator("select[name=region]").select_option("7601")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator("#catalog-results h3")).to_have_count(1)
    context.close()
