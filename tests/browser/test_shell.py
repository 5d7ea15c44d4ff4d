from playwright.sync_api import expect

from jipp.models import Role
from tests.browser.axe import serious_violations
from tests.factories import TEST_PASSWORD, user_with_role


def test_home_switch_to_english_and_sign_in_as_operator(page, live_server):
    user_with_role(Role.OPERATOR, username="operator")
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inovasi pelayanan publik di Sulawesi Barat")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public-service innovation in Sulawesi Barat")

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_text("Operator", exact=True)).to_be_visible()

    assert page.foreign_requests == []


def test_home_fits_a_phone_and_skip_link_works(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Lewati ke konten utama")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_shell_pages_have_no_serious_accessibility_violations(page, live_server):
    # The Indonesian home, sign-in and reset pages are test_every_page.py's.
    for path in ["/en/", "/en/masuk/", "/tidak-ada/"]:
        page.goto(live_server.url + path)
        assert (path, serious_violations(page)) == (path, [])


def test_shell_messages_have_no_serious_accessibility_violations(page, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages import constants, get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._messages.add(constants.SUCCESS, "Draf disimpan.")
    html = render_to_string("base.html", {"messages": get_messages(request)}, request=request)
    page.set_content(html)
    assert serious_violations(page) == []
