"""An operator adds evidence while writing a record: several files at once, from the edit page, without
losing what is typed in the record form, and a refused file is named."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from jipp.models import Role
from tests.browser.axe import serious_violations
from tests.factories import TEST_PASSWORD, InstitutionFactory, user_with_role

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.parametrize("width", [pytest.param(360, id="phone"), pytest.param(1280, id="desktop")])
def test_evidence_added_while_writing_keeps_typing_and_names_the_refused_file(page, live_server, tmp_path, width):
    user_with_role(Role.OPERATOR, username="op-bukti", institution=InstitutionFactory(code="dinkes-bukti"))
    pdf, photo, program = tmp_path / "laporan.pdf", tmp_path / "foto.png", tmp_path / "virus.pdf"
    pdf.write_bytes(PDF)
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 60)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())
    program.write_bytes(b"MZ\x90\x00 not a document")
    base = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + "/en/masuk/")
    page.get_by_label("Username").fill("op-bukti")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()

    page.goto(base + "/en/kelola/baru/")
    page.locator("#id_title").fill("Sapa Lansia Majene")
    page.get_by_role("button", name="Save draft and add files").click()
    expect(page).to_have_url(re.compile(r"/en/kelola/[^/]+/ubah/#evidence$"))

    page.locator("#id_summary").fill("Typed in the record form, not saved yet.")
    panel = page.get_by_test_id("evidence-panel")
    panel.get_by_label("Caption").fill("Kegiatan lapangan")
    panel.locator("#id_file").set_input_files([str(pdf), str(photo), str(program)])
    panel.get_by_role("button", name="Upload").click()

    panel = page.get_by_test_id("evidence-panel")
    expect(panel.get_by_role("status")).to_have_text("2 files added.")
    expect(panel.get_by_role("link", name="Kegiatan lapangan")).to_have_count(2)
    expect(panel).to_contain_text("“virus.pdf” was not added")
    expect(panel.get_by_label("Caption")).to_have_value("Kegiatan lapangan")
    expect(page.locator("#id_summary")).to_have_value("Typed in the record form, not saved yet.")
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= width,
        serious_violations(page, "[data-testid=evidence-panel]"),
        page.foreign_requests,
    ) == (True, [], [])
