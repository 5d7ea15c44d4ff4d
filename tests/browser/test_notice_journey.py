"""The hub administrator sends a coaching invitation to three regencies; the dashboard shows it sent; a
regency's user acknowledges it from the inbox; the dashboard shows the acknowledgement. Axe on each page.

In English (/en/): the new pages' Indonesian is merged later, and the journey must not depend on it.
"""

import pytest
from playwright.sync_api import expect

from jipp.models import Delivery, Institution, Membership, Notice, Role
from tests.browser.axe import serious_violations
from tests.factories import TEST_PASSWORD, InstitutionFactory, regency, user_with_role
from tests.jipp.factories_hub import ContactFactory, HubFactory, MembershipFactory, province


@pytest.fixture
def network(reference_data):
    hub = HubFactory()
    bapperida = InstitutionFactory(
        code="sulbar-bapperida-uji", name="Bapperida Provinsi Sulawesi Barat", region=province()
    )
    MembershipFactory(hub=hub, institution=bapperida, role=Membership.Role.COORDINATOR)
    user_with_role(Role.HUB_ADMIN, username="admin-hub", institution=bapperida)
    governments = {}
    for name in ("Majene", "Polewali Mandar", "Mamasa", "Mamuju"):
        government = InstitutionFactory(
            code=f"pemkab-{name.lower().replace(' ', '-')}-uji",
            name=f"Pemerintah Kabupaten {name}",
            kind=Institution.Kind.PEMDA,
            region=regency(name),
        )
        ContactFactory(membership=MembershipFactory(hub=hub, institution=government), name=f"Kabag Organisasi {name}")
        governments[name] = government
    user_with_role(Role.OPERATOR, username="admin-majene", institution=governments["Majene"])
    return hub


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/en/masuk/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def axe_clean(page, where, violations):
    found = serious_violations(page)
    if found:
        violations.append((where, found))


def test_notice_journey_coaching_invitation_sent_and_acknowledged(page, live_server, network):
    base, violations = live_server.url, []

    sign_in(page, base, "admin-hub")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Notices").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Notices")
    axe_clean(page, "notice list", violations)

    page.get_by_role("link", name="Write a notice").click()
    page.get_by_role("link", name="Coaching invitation").click()
    expect(page.locator("#id_subject")).to_have_value("Invitation: coaching on public service innovation, [date]")
    axe_clean(page, "notice form", violations)
    page.locator("#id_subject").fill("Undangan Pembinaan Inovasi Pelayanan Publik, 18 Maret 2026")
    page.locator("#id_link_url").fill("https://zoom.example.org/j/123")
    page.get_by_label("Members in some regencies").check()
    for name in ("Majene", "Polewali Mandar", "Mamasa"):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Save and preview").click()

    preview = page.get_by_test_id("notice-preview")
    expect(preview.get_by_test_id("preview-subject")).to_have_text(
        "Undangan Pembinaan Inovasi Pelayanan Publik, 18 Maret 2026"
    )
    expect(page.get_by_text("Recipients: Members in some regencies, 3 institutions.")).to_be_visible()
    axe_clean(page, "draft and preview", violations)

    page.get_by_role("button", name="Send the notice").click()
    progress = page.get_by_test_id("notice-progress")
    # Each government: its contact's e-mail, its own notice address and its inbox.
    expect(progress.get_by_test_id("count-sent")).to_have_text("9")
    expect(progress.get_by_test_id("count-queued")).to_have_text("0")
    expect(progress).to_contain_text("All deliveries are done.")
    expect(progress.get_by_test_id("count-institutions-acknowledged")).to_have_text("0 / 3")
    axe_clean(page, "delivery dashboard", violations)
    dashboard = page.url

    sign_in(page, base, "admin-majene")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Inbox").click()
    axe_clean(page, "inbox", violations)
    page.get_by_role("link", name="Undangan Pembinaan Inovasi Pelayanan Publik, 18 Maret 2026").click()
    axe_clean(page, "inbox notice", violations)
    page.get_by_role("button", name="Confirm receipt").click()
    expect(page.get_by_test_id("receipt")).to_contain_text("Your institution confirmed receipt on")

    sign_in(page, base, "admin-hub")
    page.goto(dashboard)
    progress = page.get_by_test_id("notice-progress")
    expect(progress.get_by_test_id("count-institutions-acknowledged")).to_have_text("1 / 3")
    expect(progress.get_by_test_id("count-acknowledged")).to_have_text("3")
    axe_clean(page, "dashboard after acknowledgement", violations)

    notice = Notice.objects.get()
    mamuju = notice.deliveries.filter(institution__region__name="Mamuju").count()
    acknowledged = set(
        notice.deliveries.filter(state=Delivery.State.ACKNOWLEDGED).values_list("institution__code", flat=True)
    )
    assert (violations, mamuju, acknowledged, page.foreign_requests) == ([], 0, {"pemkab-majene-uji"}, [])
