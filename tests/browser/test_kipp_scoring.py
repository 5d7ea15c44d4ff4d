"""A reviewer's blind review form in a browser, submitted by keyboard-reachable controls (the scoring
pages' accessibility at 1280 and 360 px is test_every_page.py's, on the demo's editions)."""

from decimal import Decimal

import pytest
from django.test import Client
from playwright.sync_api import expect

from competitions.models import Entry, Review
from jipp.models import Institution, Role
from tests.competitions.factories import AssignmentFactory, CriterionFactory, EditionFactory, EntryFactory, StageFactory
from tests.factories import InstitutionFactory, regency, user_with_role

LEVELS = {str(n): {"id": f"Tingkat {n}", "en": f"Level {n}"} for n in range(1, 6)}


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def scoring(reference_data):
    stage = StageFactory(edition=EditionFactory(year=2035), blind=True)
    CriterionFactory(stage=stage, name_id="Kebaruan", name_en="Novelty", order=1)
    CriterionFactory(
        stage=stage, name_id="Efektif", name_en="Effective", scale_min=1, scale_max=5, level_labels=LEVELS, order=2
    )
    national = InstitutionFactory(code="kemen-uji", kind=Institution.Kind.MINISTRY, region=None)
    reviewer = user_with_role(Role.REVIEWER, username="penilai", institution=national)
    other = user_with_role(Role.REVIEWER, username="penilai2", institution=national)
    secretariat = user_with_role(Role.MINISTRY_ADMIN, username="sekretariat", institution=national)
    entries = []
    for number, region in enumerate(["Polewali Mandar", "Mamasa", "Mamuju"], start=1):
        institution = InstitutionFactory(code=f"dinas-{number}", name=f"Dinas Uji {region}", region=regency(region))
        entry = EntryFactory(edition=stage.edition, institution=institution, status=Entry.Status.PASSED)
        entry.snapshot["sections"] = {"summary": f"Layanan keliling di {region}."}
        entry.save()
        entries.append(entry)
        AssignmentFactory(stage=stage, entry=entry, reviewer=reviewer)
        assignment = AssignmentFactory(stage=stage, entry=entry, reviewer=other)
        Review.objects.create(
            assignment=assignment, status="submitted", submitted_at=stage.opens_at, total=Decimal(60 + number * 10)
        )
    return {"stage": stage, "reviewer": reviewer, "secretariat": secretariat, "entries": entries}


def test_reviewer_submits_a_blind_review(page, live_server, scoring):
    sign_in(page, live_server, scoring["reviewer"])
    page.goto(live_server.url + "/en/kipp/penilaian/")
    page.get_by_role("link", name=scoring["entries"][0].code).click()

    expect(page.get_by_text("Layanan keliling di [region].")).to_be_visible()
    assert "Polewali" not in page.content()
    page.get_by_label("Score for “Novelty”").fill("82.5")
    page.get_by_label("4: Level 4").check()
    page.get_by_role("button", name="Submit the review").click()

    expect(page.get_by_text("Review submitted. You can change it until the stage closes.")).to_be_visible()
    expect(page.get_by_text("Reviewer 1: total 70.00")).to_be_visible()
