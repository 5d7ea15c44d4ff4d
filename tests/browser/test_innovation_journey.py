"""An operator logs an innovation with evidence; the hub returns it, then publishes it; the public sees it."""

import re

import pytest
from playwright.sync_api import expect

from innovations.models import Replication
from innovations.services.sustainability import sustainability_report
from innovations.services.workflow import innovation_return, innovation_revision_start
from jipp.demo import DEMO_PASSWORD
from jipp.models import Role
from tests.browser.axe import serious_violations
from tests.factories import TEST_PASSWORD, InstitutionFactory, regency, user_with_role
from tests.innovations.factories_workflow import PublishedInnovationFactory, SubmittedInnovationFactory

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def test_innovation_journey_draft_return_resubmit_publish(page, live_server, demo_data, tmp_path):
    base = live_server.url
    pdf = tmp_path / "laporan-kegiatan.pdf"
    pdf.write_bytes(PDF)

    sign_in(page, base, "operator")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Inovasi saya").click()
    page.get_by_role("link", name="Inovasi baru").click()
    page.locator("#id_title").fill("Sapa Lansia Majene")
    page.locator("#id_summary").fill("Kunjungan rumah bagi warga lanjut usia.")
    expect(page.locator("#id_summary_counter")).to_contain_text("karakter")
    page.locator("#id_background").fill("Banyak lansia tidak dapat datang ke puskesmas.")
    page.locator("#id_stage").select_option("penerapan")
    page.locator("#id_kind").select_option("non_digital")
    page.locator("#id_form").select_option("pelayanan_publik")
    page.locator("#id_government_affair").select_option("kesehatan")
    page.locator("#section-goals").get_by_label(re.compile(r"^\s*3\.")).check()
    page.get_by_role("button", name="Simpan draf", exact=True).click()
    expect(page.get_by_text("Draf disimpan.")).to_be_visible()

    page.get_by_role("link", name="Kembali ke data").click()
    page.locator("#id_file").set_input_files(str(pdf))
    page.locator("#id_caption").fill("Laporan kegiatan")
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_role("link", name="Laporan kegiatan")).to_be_visible()
    page.get_by_role("button", name="Kirim ke hub").click()
    expect(page.get_by_text("Dikirim ke hub untuk verifikasi.")).to_be_visible()
    record_url = page.url

    sign_in(page, base, "hubadmin")
    page.goto(base + "/kelola/verifikasi/")
    page.get_by_role("link", name="Sapa Lansia Majene").click()
    page.get_by_label("Apa yang perlu diperbaiki instansi?").fill("Tambahkan jumlah lansia yang dilayani.")
    page.get_by_role("button", name="Kembalikan dengan catatan").click()
    expect(page.get_by_text("Dikembalikan ke instansi dengan catatan Anda.")).to_be_visible()

    sign_in(page, base, "operator")
    page.goto(record_url)
    expect(page.get_by_role("note")).to_contain_text("Tambahkan jumlah lansia yang dilayani.")
    page.get_by_role("link", name="Ubah", exact=True).click()
    expect(page.locator("#id_background")).to_have_value("Banyak lansia tidak dapat datang ke puskesmas.")
    page.locator("#id_significance").fill("120 lansia dilayani setiap bulan.")
    page.get_by_role("button", name="Simpan dan kirim ke hub").click()
    expect(page.get_by_text("Dikirim ke hub untuk verifikasi.")).to_be_visible()

    sign_in(page, base, "hubadmin")
    page.goto(record_url)
    page.get_by_role("button", name="Verifikasi dan terbitkan").click()
    expect(page.get_by_text("Diverifikasi dan diterbitkan.")).to_be_visible()
    slug = record_url.rstrip("/").rsplit("/", 1)[-1]

    page.context.clear_cookies()
    page.goto(f"{base}/inovasi/{slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sapa Lansia Majene")

    assert page.foreign_requests == []


WIDTHS = [pytest.param(360, id="phone"), pytest.param(1280, id="desktop")]


@pytest.fixture
def staff():
    """An operator with a returned record and a draft, and a hub administrator with two records waiting."""
    operator = user_with_role(Role.OPERATOR, username="op-jalan", institution=InstitutionFactory(code="dinkes-jalan"))
    hub_admin = user_with_role(Role.HUB_ADMIN, username="hub-jalan")
    returned = SubmittedInnovationFactory(institution=operator.institution, title="Sapa Lansia Dikembalikan")
    innovation_return(innovation=returned, by=hub_admin, comment="Tambahkan jumlah lansia.")
    SubmittedInnovationFactory(title="Posyandu Menunggu Verifikasi")
    SubmittedInnovationFactory(title="Perubahan Menunggu", revision_of=PublishedInnovationFactory())
    return operator, hub_admin


def sign_in_english(page, base, username, next_path=""):
    page.context.clear_cookies()
    page.goto(base + "/en/masuk/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def assert_fits_and_accessible(page, width):
    assert (page.url, page.evaluate("document.documentElement.scrollWidth") <= width) == (page.url, True)
    assert (page.url, serious_violations(page)) == (page.url, [])


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_land_on_their_dashboard_with_what_needs_action(page, live_server, staff, width):
    base = live_server.url
    page.set_viewport_size({"width": width, "height": 900})

    sign_in_english(page, base, "op-jalan")
    expect(page).to_have_url(base + "/en/dasbor/")
    action = page.get_by_test_id("needs-action")
    expect(action.get_by_role("link", name="New innovation")).to_be_visible()
    expect(action.get_by_role("link", name="Sapa Lansia Dikembalikan")).to_be_visible()
    assert_fits_and_accessible(page, width)

    sign_in_english(page, base, "hub-jalan")
    expect(page).to_have_url(base + "/en/dasbor/")
    action = page.get_by_test_id("needs-action")
    expect(action.get_by_role("link", name="Posyandu Menunggu Verifikasi")).to_be_visible()
    expect(action.get_by_role("link", name="New innovation")).to_have_count(0)
    assert_fits_and_accessible(page, width)

    sign_in_english(page, base, "hub-jalan", next_path="/en/kelola/verifikasi/")
    expect(page).to_have_url(base + "/en/kelola/verifikasi/")
    assert page.foreign_requests == []


def leaving_is_held_back(page):
    """Whether the page would ask before being left (its beforeunload handler cancels the event)."""
    return page.evaluate(
        "() => { const e = new Event('beforeunload', {cancelable: true});"
        " window.dispatchEvent(e); return e.defaultPrevented; }"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_record_form_keeps_a_failed_submission_and_leads_to_each_missing_field(page, live_server, staff, width):
    base = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_english(page, base, "op-jalan", next_path="/en/kelola/baru/")

    expect(page.get_by_role("heading", level=1)).to_have_text("New innovation")
    expect(page.get_by_text("No similar published innovation found.")).to_have_count(0)
    assert page.locator("#id_stage option").first.text_content() == "Choose…"
    assert leaving_is_held_back(page) is False
    assert_fits_and_accessible(page, width)

    page.locator("#id_title").fill("Sapa Lansia Jalan Kaki")
    expect(page.get_by_text("No similar published innovation found.")).to_be_visible()
    assert leaving_is_held_back(page) is True
    page.locator("#id_budget").fill("175.000.000")
    page.locator("#id_awards-0-year").fill("2019")
    page.locator("#id_awards-0-competition").select_option("provincial")
    page.locator("#id_awards-0-rank").select_option("provincial")
    page.get_by_role("button", name="Add another award").click()
    expect(page.locator("#id_awards-1-year")).to_be_focused()
    page.locator("#id_awards-1-year").fill("2024")
    page.locator("#id_awards-1-competition").select_option("kipp")
    page.locator("#id_awards-1-rank").select_option("top99")
    page.get_by_role("button", name="Save and send to the hub").click()

    expect(page).to_have_url(re.compile(r"/en/kelola/sapa-lansia-jalan-kaki/ubah/\?check=1$"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(6)
    assert leaving_is_held_back(page) is False
    assert_fits_and_accessible(page, width)
    summary.get_by_role("link", name=re.compile("^Summary")).click()
    expect(page.locator("#id_summary")).to_be_focused()
    expect(page.locator("#id_budget")).to_have_value("175,000,000")
    expect(page.locator("#id_awards-1-year")).to_have_value("2019")
    expect(page.locator("#id_awards-0-year")).to_have_value("2024")
    assert page.foreign_requests == []


def background_of(locator):
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


@pytest.mark.parametrize("width", WIDTHS)
def test_hub_finds_a_waiting_record_and_decides_beside_it(page, live_server, staff, width):
    base = live_server.url
    polman = InstitutionFactory(
        code="dinkes-polman-jalan", name="Dinas Kesehatan Polman", region=regency("Polewali Mandar")
    )
    SubmittedInnovationFactory(title="Sekolah Lapang Polman", institution=polman)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_english(page, base, "hub-jalan", next_path="/en/kelola/verifikasi/")

    expect(page.get_by_role("columnheader", name="Waiting since")).to_be_visible()
    assert_fits_and_accessible(page, width)
    page.get_by_role("link", name=re.compile(r"^1\s+Polewali Mandar$")).click()
    expect(page).to_have_url(re.compile(r"\?region=7602$"))
    expect(page.get_by_role("cell", name="Sekolah Lapang Polman")).to_be_visible()
    expect(page.get_by_role("cell", name="Posyandu Menunggu Verifikasi")).to_have_count(0)
    page.get_by_role("link", name="Clear the filters").click()
    page.get_by_label("Kind of submission").select_option("change")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Perubahan Menunggu").click()

    panel = page.get_by_test_id("review-panel")
    publish = panel.get_by_role("button", name="Verify and publish")
    send_back = panel.get_by_role("button", name="Return with comment")
    expect(publish).to_be_visible()
    assert (background_of(publish), background_of(send_back)) == ("rgb(11, 83, 148)", "rgb(255, 255, 255)")
    if width >= 1280:
        record, aside = page.locator(".record-main").bounding_box(), panel.bounding_box()
        assert aside["x"] >= record["x"] + record["width"]
    assert_fits_and_accessible(page, width)

    page.goto(base + "/en/kelola/")
    expect(page.get_by_role("heading", level=1)).to_have_text("All records")
    page.get_by_label("Region").select_option("7602")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    assert_fits_and_accessible(page, width)
    assert page.foreign_requests == []


def test_secondary_buttons_are_not_filled(page, live_server, staff):
    sign_in_english(page, live_server.url, "op-jalan", next_path="/en/kelola/baru/")
    save = page.get_by_role("button", name="Save draft", exact=True)
    assert (background_of(save), save.evaluate("e => getComputedStyle(e).color")) == (
        "rgb(255, 255, 255)",
        "rgb(11, 83, 148)",
    )


def test_header_on_a_phone_is_one_row_with_a_menu_opened_by_keyboard(page, live_server, staff):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in_english(page, live_server.url, "hub-jalan")
    header = page.locator(".site-header")
    toggle = header.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert header.bounding_box()["height"] <= 80

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Verification")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    assert_fits_and_accessible(page, 360)
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()


def test_header_on_a_desktop_shows_the_menu_without_a_toggle(page, live_server, staff):
    sign_in_english(page, live_server.url, "hub-jalan")
    expect(page.locator(".site-header").get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Verification")
    ).to_be_visible()


def test_header_on_a_phone_without_javascript_shows_the_menu(browser, live_server, reference_data, staff):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in_english(page, live_server.url, "hub-jalan")
    expect(
        page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Verification")
    ).to_be_visible()
    expect(page.locator(".site-header").get_by_role("button", name="Menu")).to_be_hidden()
    context.close()


@pytest.fixture
def record_in_service(staff):
    """A published record of the operator's institution with two yearly reports, a replication and a pending change."""
    operator, _hub_admin = staff
    record = PublishedInnovationFactory(
        institution=operator.institution,
        title="Pelayanan Administrasi Kependudukan Terpadu Berbasis Desa Dan Kelurahan",
        unit="Bidang Pelayanan Pendaftaran Penduduk Dan Pencatatan Sipil",
    )
    for year in (2023, 2024):
        sustainability_report(
            innovation=record,
            by=operator,
            year=year,
            status="berlanjut_pengembangan",
            reason="Layanan diperluas ke kecamatan baru dengan petugas registrasi keliling " * 3,
        )
    Replication.objects.create(
        origin=record, institution=InstitutionFactory(code="dukcapil-polman-jalan"), status="interest"
    )
    revision = innovation_revision_start(innovation=record, by=operator)
    revision.summary = "Ringkasan yang diperbarui dengan keterangan panjang tentang layanan keliling " * 5
    revision.save()
    return record, revision


@pytest.mark.parametrize("who", ["op-jalan", "hub-jalan"])
def test_staff_pages_fit_a_phone(page, live_server, record_in_service, who):
    record, revision = record_in_service
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in_english(page, base, who)
    paths = [
        f"/en/kelola/{record.slug}/",
        f"/en/kelola/{revision.slug}/",
        f"/en/kelola/keberlanjutan/{record.slug}/",
        "/en/kelola/replikasi/",
        "/en/kelola/",
    ]
    if who == "hub-jalan":
        paths += [
            f"/en/kelola/{revision.slug}/perbandingan/",
            f"/en/kelola/{record.slug}/riwayat/",
            "/en/kelola/impor/",
        ]
    for path in paths:
        page.goto(base + path)
        assert_fits_and_accessible(page, 360)
