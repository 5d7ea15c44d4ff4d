"""The KIPP journey of issue 8 in a browser: the ministry administrator opens an edition; the demo
operator enters an innovation; the secretariat passes it and assigns reviewers automatically; two
reviewers score it blind; the secretariat ranks it, marks it a finalist and announces the finalists;
a visitor sees it on the public results page. Each page of the journey has no serious axe violation
at 1280 px; the key ones neither at 360 px, where they need no sideways scrolling.

The pages are the English ones (/en/): the Indonesian of new strings is merged later. Time passes
between the stages by moving the edition's dates, as the calendar would.
"""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from competitions.models import Assignment, Entry, Stage
from jipp.demo import DEMO_PASSWORD
from tests.browser.axe import serious_violations
from tests.browser.test_public_pages import PHONE

YEAR = 2027
DESKTOP = {"width": 1280, "height": 900}
RECORD = "Posyandu Prima Berbasis Aplikasi"  # the demo operator's record, old enough for the general group
SCORES = {"Novelty": "88", "Effective": "84", "Beneficial": "90", "Replicable": "80", "Sustainable": "86"}


class Journey:
    """Signs in and out, and checks every page it lands on with axe."""

    def __init__(self, page, base):
        self.page, self.base, self.violations = page, base, []

    def check(self, *, phone=False):
        found = [(self.page.url, "desktop", v) for v in serious_violations(self.page)]
        if phone:
            self.page.set_viewport_size(PHONE)
            found += [(self.page.url, "phone", v) for v in serious_violations(self.page)]
            width = self.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                found.append((self.page.url, "phone", f"{width} px wide"))
            self.page.set_viewport_size(DESKTOP)
        self.violations += found

    def sign_in(self, username):
        page = self.page
        page.context.clear_cookies()
        page.goto(self.base + "/en/masuk/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def time_passes(days):
    """The calendar moves on `days`: every stage of the edition is that much earlier."""
    for stage in Stage.objects.filter(edition__year=YEAR):
        stage.opens_at -= timedelta(days=days)
        stage.closes_at -= timedelta(days=days)
        stage.save(update_fields=["opens_at", "closes_at"])


def open_edition(journey):
    """The ministry administrator creates the edition, its stages (the desk evaluation blind, two
    reviewers per entry), checks the default rubric and announces it."""
    page, now = journey.page, timezone.now()
    journey.sign_in("ministry")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="KIPP editions").click()
    journey.check(phone=True)
    page.get_by_role("link", name="New edition").click()
    journey.check(phone=True)
    page.locator("#id_year").fill(str(YEAR))
    page.locator("#id_theme").fill("Inovasi pelayanan publik yang inklusif")
    page.get_by_role("button", name="Save the edition").click()
    expect(page.get_by_text("Edition saved as a draft.")).to_be_visible()
    journey.check()

    dates = {
        "registration": (now - timedelta(hours=1), now + timedelta(days=2)),
        "administrative_selection": (now + timedelta(days=2, hours=1), now + timedelta(days=4)),
        "desk_evaluation": (now + timedelta(days=5), now + timedelta(days=20)),
        "finalist_decision": (now + timedelta(days=21), now + timedelta(days=30)),
        "final_decision": (now + timedelta(days=31), now + timedelta(days=40)),
    }
    for kind, (opens, closes) in dates.items():
        stage = page.locator(f"#stage-{kind}")
        stage.get_by_label("Hold:").check()
        stage.get_by_label("Opens").fill(local(opens))
        stage.get_by_label("Closes").fill(local(closes))
    desk = page.locator("#stage-desk_evaluation")
    expect(desk.get_by_label("Blind: scorers see no institution, region or names")).to_be_checked()
    desk.get_by_label("Reviewers per entry").fill("2")
    page.get_by_role("button", name="Save the stages").click()
    expect(page.get_by_text("Stages saved.")).to_be_visible()
    journey.check(phone=True)

    page.get_by_role("link", name="5 criteria").click()
    expect(page.get_by_label("Name (English)").first).to_have_value("Novelty")
    journey.check()
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Announce the edition").click()
    expect(page.get_by_text("Edition announced")).to_be_visible()
    journey.check()


def enter_record(journey):
    page = journey.page
    journey.sign_in("operator")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="KIPP entries").click()
    journey.check(phone=True)
    page.get_by_role("link", name="Enter an innovation").click()
    journey.check(phone=True)
    page.get_by_label("Innovation").select_option(label=f"{RECORD} (Dinas Kesehatan Kabupaten Majene)")
    page.get_by_label("General (umum)").check()
    page.get_by_label("Category").select_option(label="Health services")
    page.get_by_role("button", name="Submit the entry").click()
    expect(page.get_by_text("The proposal is frozen")).to_be_visible()
    journey.check(phone=True)
    return Entry.objects.get(edition__year=YEAR)


def select_and_assign(journey, entry):
    """The secretariat passes the entry and assigns its reviewers automatically."""
    page = journey.page
    journey.sign_in("ministry")
    page.goto(f"{journey.base}/en/kipp/kelola/{YEAR}/")
    page.get_by_role("link", name="Administrative selection").first.click()
    journey.check()
    page.get_by_label(entry.code).check()
    page.get_by_label("Passes").check()
    page.get_by_role("button", name="Mark the ticked entries").click()
    expect(page.get_by_role("cell", name="Passed the administrative selection")).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Desk evaluation: reviewers and scores").click()
    journey.check()
    expect(page.get_by_label("Reviewers per entry")).to_have_value("2")
    page.get_by_role("button", name="Assign automatically").click()
    expect(page.get_by_role("row", name=entry.code)).to_contain_text("2/2")
    journey.check(phone=True)
    return [assignment.reviewer.username for assignment in Assignment.objects.filter(entry=entry)]


def review(journey, entry, reviewer):
    """A reviewer scores the entry, blind: no institution, region or person is named."""
    page = journey.page
    journey.sign_in(reviewer)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="My reviews").click()
    journey.check()
    page.get_by_role("link", name=entry.code).click()
    content = page.locator("main").inner_text()
    assert [name for name in ("Majene", "Dinas Kesehatan", "Andi Operator") if name in content] == []
    journey.check(phone=True)
    for criterion, value in SCORES.items():
        page.get_by_label(f"Score for “{criterion}”").fill(value)
    page.get_by_role("button", name="Submit the review").click()
    expect(page.get_by_text("Review submitted.")).to_be_visible()
    journey.check()


def decide_and_publish(journey, entry):
    """The secretariat reads the ranking, marks the entry a finalist and announces the finalists."""
    page = journey.page
    journey.sign_in("ministry")
    page.goto(f"{journey.base}/en/kipp/kelola/{YEAR}/")
    page.get_by_role("link", name="Desk evaluation: reviewers and scores").click()
    page.get_by_role("link", name="Desk evaluation: scores and agreement").click()
    expect(page.get_by_role("row", name=entry.code)).to_contain_text("85.60")
    journey.check()
    page.get_by_role("link", name="Decisions and downloads").click()
    journey.check()
    page.get_by_role("link", name="Finalist decision and objection window").click()
    journey.check(phone=True)
    page.get_by_label("The first N entries shown").check()
    page.get_by_label("N (the first N entries)").fill("1")
    page.get_by_label("Finalist", exact=True).check()
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("1 entry would become “Finalist”.")).to_be_visible()
    journey.check()
    page.get_by_role("button", name="Mark these entries").click()
    expect(page.get_by_role("row", name=entry.code)).to_contain_text("Finalist")
    page.get_by_role("button", name="Announce the finalists").first.click()
    expect(page.get_by_text("Objections are accepted until")).to_be_visible()
    journey.check()


def test_kipp_journey_from_an_edition_to_its_public_result(page, live_server, demo_data):
    journey = Journey(page, live_server.url)
    open_edition(journey)
    entry = enter_record(journey)
    time_passes(days=6)  # registration has closed; the desk evaluation is open
    reviewers = select_and_assign(journey, entry)
    for reviewer in reviewers:
        review(journey, entry, reviewer)
    time_passes(days=16)  # the desk evaluation has closed; the finalist decision is open
    decide_and_publish(journey, entry)

    page.context.clear_cookies()
    page.goto(live_server.url + "/en/kipp/")
    journey.check(phone=True)
    page.get_by_role("link", name=f"KIPP {YEAR}").first.click()
    expect(page.get_by_role("main")).to_contain_text(RECORD)
    journey.check(phone=True)
    page.goto(live_server.url + f"/kipp/{YEAR}/")  # and in Indonesian
    expect(page.get_by_role("main")).to_contain_text(RECORD)
    journey.check(phone=True)
    assert (len(reviewers), journey.violations, page.foreign_requests) == (2, [], [])
