"""Every URL of the hub x every role: who gets the page, who is refused, who must sign in.

Roles: anonymous; operator of A (member institution, invited to the activity); operator of B (member,
not invited); the hub administrator (coordinator); reviewer, panelist and ministry administrator (no
membership).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jipp.models import ActivityAttachment, MaturityAnswer, MaturityAssessment, MaturityQuestion
from tests.conftest import module_fixture, module_people
from tests.jipp.factories_hub import ActivityFactory, hub_network
from tests.jipp.matrix import DONE, LOGIN, ROLES, assert_outcome, url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attachment_of(activity_) -> ActivityAttachment:
    stored = ActivityAttachment(
        activity=activity_, original_name="notulen.pdf", content_type="application/pdf", size=len(PDF)
    )
    stored.file.save("notulen.pdf", SimpleUploadedFile("notulen.pdf", PDF), save=False)
    stored.save()
    return stored


SLUG = lambda n: n["hub"].slug  # noqa: E731
ACTIVITY = lambda n: n["activity"].pk  # noqa: E731
MEMBERSHIP = lambda n: n["member_a"].pk  # noqa: E731
CONTACT = lambda n: n["contact_a"].pk  # noqa: E731
ATTACHMENT = lambda n: n["attachment"].pk  # noqa: E731
YEAR = lambda n: n["assessment"].year  # noqa: E731
ANSWER = lambda n: n["answer"].pk  # noqa: E731

ACTIVITY_POST = {
    "kind": "webinar",
    "title": "Webinar replikasi",
    "starts_at": "2030-03-18T09:00",
    "ends_at": "2030-03-18T12:00",
    "mode": "online",
    "link": "https://zoom.example.org/j/9",
}

CASES = {
    # name: (method, url, data, expected per role in ROLES order)
    "hub_list": ("get", url("hub_list"), None, [302, 302, 302, 302, 302, 302, 302]),
    "hub_profile": ("get", url("hub_profile", slug=SLUG), None, [200] * 7),
    "activity_detail": ("get", url("activity_detail", slug=SLUG, pk=ACTIVITY), None, [200] * 7),
    "activity_ics": ("get", url("activity_ics", slug=SLUG, pk=ACTIVITY), None, [200] * 7),
    "activity_feed": ("get", url("activity_feed", slug=SLUG), None, [200] * 7),
    "activity_attachment": (
        "get",
        url("activity_attachment", slug=SLUG, pk=ACTIVITY, attachment=ATTACHMENT),
        None,
        [LOGIN, 200, 403, 200, 403, 403, 403],
    ),
    "hub_manage_index": ("get", url("hub_manage_index"), None, [LOGIN, 403, 403, 302, 403, 403, 403]),
    "membership_list": ("get", url("membership_list", slug=SLUG), None, [LOGIN, 403, 403, 200, 403, 403, 403]),
    "membership_add": ("get", url("membership_add", slug=SLUG), None, [LOGIN, 403, 403, 200, 403, 403, 403]),
    "membership_detail": (
        "get",
        url("membership_detail", slug=SLUG, pk=MEMBERSHIP),
        None,
        [LOGIN, 403, 403, 200, 403, 403, 403],
    ),
    "membership_change_post": (
        "post",
        url("membership_detail", slug=SLUG, pk=MEMBERSHIP),
        {"role": "partner", "starts_on": "2024-06-01", "ends_on": "", "note": ""},
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "membership_end": (
        "post",
        url("membership_end", slug=SLUG, pk=MEMBERSHIP),
        {"ends_on": "2025-12-31", "reason": "Dilebur"},
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "contact_add": ("get", url("contact_add", slug=SLUG, pk=MEMBERSHIP), None, [LOGIN, 403, 403, 200, 403, 403, 403]),
    "contact_add_post": (
        "post",
        url("contact_add", slug=SLUG, pk=MEMBERSHIP),
        {"name": "Baru", "email": "baru@example.go.id"},
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "contact_edit": ("get", url("contact_edit", slug=SLUG, pk=CONTACT), None, [LOGIN, 403, 403, 200, 403, 403, 403]),
    "activity_manage_list": (
        "get",
        url("activity_manage_list", slug=SLUG),
        None,
        [LOGIN, 403, 403, 200, 403, 403, 403],
    ),
    "activity_create": ("get", url("activity_create", slug=SLUG), None, [LOGIN, 403, 403, 200, 403, 403, 403]),
    "activity_create_post": (
        "post",
        url("activity_create", slug=SLUG),
        ACTIVITY_POST,
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "activity_edit": (
        "get",
        url("activity_edit", slug=SLUG, pk=ACTIVITY),
        None,
        [LOGIN, 403, 403, 200, 403, 403, 403],
    ),
    "activity_cancel": (
        "post",
        url("activity_cancel", slug=SLUG, pk=ACTIVITY),
        {},
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "activity_report": (
        "get",
        url("activity_report", slug=SLUG, pk=ACTIVITY),
        None,
        [LOGIN, 403, 403, 200, 403, 403, 403],
    ),
    "activity_attachment_add": (
        "post",
        url("activity_attachment_add", slug=SLUG, pk=ACTIVITY),
        "file",
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "activity_attachment_delete": (
        "post",
        url("activity_attachment_delete", slug=SLUG, pk=ACTIVITY, attachment=ATTACHMENT),
        {},
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "maturity_overview": ("get", url("maturity_overview", slug=SLUG), None, [LOGIN, 200, 200, 200, 403, 403, 200]),
    "maturity_start": (
        "post",
        url("maturity_overview", slug=SLUG),
        {"year": "2026"},
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "maturity_assessment": (
        "get",
        url("maturity_assessment", slug=SLUG, year=YEAR),
        None,
        [LOGIN, 200, 200, 200, 403, 403, 200],
    ),
    "maturity_assessment_post": (
        "post",
        url("maturity_assessment", slug=SLUG, year=YEAR),
        lambda n: {f"option_{n['answer'].question_id}": n["answer"].option_id},
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "maturity_submit": (
        "post",
        url("maturity_submit", slug=SLUG, year=YEAR),
        {},
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "maturity_reopen": (
        "post",
        url("maturity_reopen", slug=SLUG, year=YEAR),
        {},
        [LOGIN, 403, 403, DONE, 403, 403, 403],
    ),
    "maturity_evidence": (
        "get",
        url("maturity_evidence", slug=SLUG, year=YEAR, answer=ANSWER),
        None,
        [LOGIN, 200, 200, 200, 403, 403, 200],
    ),
}


def assessment_with_evidence(hub_):
    question = MaturityQuestion.objects.filter(active=True).first()
    assessment = MaturityAssessment.objects.create(hub=hub_, year=2025)
    chosen = question.options.first()
    answer = MaturityAnswer(
        assessment=assessment, question=question, option=chosen, score=chosen.score, max_score=100, weight=1
    )
    answer.evidence.save("bukti.pdf", SimpleUploadedFile("bukti.pdf", PDF), save=False)
    answer.save()
    return assessment, answer


# Every test reads the same people and network, and what a test changes is rolled back after it.
globals().update(module_people())


@module_fixture
def network(hub_admin, institution, other_institution):
    """The hub of tests/jipp/conftest.py, built once: the hub administrator's institution coordinates it,
    A and B are members, A is invited to the activity."""
    built = hub_network(hub_admin, institution, other_institution)
    activity = ActivityFactory(hub=built["hub"], invited=[institution], title="Pembinaan Inovasi Pelayanan Publik")
    assessment, answer = assessment_with_evidence(built["hub"])
    return built | {
        "activity": activity,
        "attachment": attachment_of(activity),
        "assessment": assessment,
        "answer": answer,
    }


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("case", list(CASES))
def test_hub_url_answers_each_role(case, role_index, role, client_as, network):
    method, build, data, expected = CASES[case]
    client = client_as(role)
    if callable(data):
        data = data(network)
    if data == "file":
        data = {"file": SimpleUploadedFile("bahan.pdf", PDF, content_type="application/pdf"), "caption": "Bahan"}
    response = getattr(client, method)(build(network), data or {})
    assert_outcome(response, expected[role_index])
