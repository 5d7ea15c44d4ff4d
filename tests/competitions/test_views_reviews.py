"""The scorers' pages: their list, the review form, evidence downloads and declaring a conflict; who may
open each URL; blind stages showing no institution, region or names; others' reviews kept hidden."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from competitions.models import Assignment, ConflictOfInterest, Entry, EntryEvidence, Review, Stage
from competitions.services.reviews import ScoreInput, review_save
from jipp.models import Institution, Role
from tests.competitions.factories import AssignmentFactory, CriterionFactory, EditionFactory, EntryFactory, StageFactory
from tests.factories import InstitutionFactory, regency, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROLES = [
    "anonymous",
    "operator",
    "other_operator",
    "hub_admin",
    "reviewer",
    "other_reviewer",
    "panelist",
    "ministry_admin",
]
LOGIN = "login"
DONE = "done"


def _national(code):
    return InstitutionFactory(code=code, kind=Institution.Kind.MINISTRY, region=None)


@pytest.fixture
def other_reviewer(db):
    return user_with_role(Role.REVIEWER, username="rev-lain", institution=_national("kemen-lain"))


@pytest.fixture
def scene(other_operator, reviewer, other_reviewer):
    """A blind desk evaluation open now: `reviewer` scores the Polewali Mandar entry of
    `other_operator`'s institution (two criteria, one with an evidence file); `other_reviewer` too."""
    stage = StageFactory(edition=EditionFactory(year=2035), blind=True)
    novelty = CriterionFactory(stage=stage, name_id="Kebaruan", name_en="Novelty", order=1)
    benefit = CriterionFactory(stage=stage, name_id="Bermanfaat", name_en="Beneficial", order=2)
    institution = other_operator.institution
    other_operator.first_name, other_operator.last_name = "Siti", "Rahmawati"
    other_operator.save()
    snapshot = {
        "title": f"Layanan Keliling {institution.name}",
        "sections": {"summary": "Dirintis Siti Rahmawati di Polewali Mandar bersama Puskesmas Wonomulyo."},
        "profile": {"stage": "penerapan"},
        "institution": {"id": institution.pk, "name": institution.name, "code": institution.code},
        "unit": "Puskesmas Wonomulyo",
        "region": {"id": institution.region_id, "name": "Polewali Mandar"},
        "evidence": [],
    }
    entry = EntryFactory(edition=stage.edition, institution=institution, status=Entry.Status.PASSED, snapshot=snapshot)
    evidence = EntryEvidence.objects.create(
        entry=entry,
        kind="document",
        file=SimpleUploadedFile("x.pdf", b"%PDF-1.7\n%%EOF"),
        caption="SK Kepala Dinas Polewali Mandar",
        original_name="SK_Dinkes_Polman.pdf",
        content_type="application/pdf",
        size=14,
    )
    entry.snapshot["evidence"] = [
        {
            "id": evidence.pk,
            "kind": "document",
            "caption": evidence.caption,
            "original_name": evidence.original_name,
            "content_type": "application/pdf",
            "size": 14,
        }
    ]
    entry.save()
    # `reviewer` comes from a Majene institution: no conflict with a Polewali Mandar entry.
    assignment = AssignmentFactory(stage=stage, entry=entry, reviewer=reviewer)
    other_assignment = AssignmentFactory(stage=stage, entry=entry, reviewer=other_reviewer)
    return {
        "stage": stage,
        "entry": entry,
        "evidence": evidence,
        "novelty": novelty,
        "benefit": benefit,
        "assignment": assignment,
        "other_assignment": other_assignment,
    }


def _post(scene, *, novelty="80", benefit="70", action="draft", **extra):
    return {
        f"value_{scene['novelty'].pk}": novelty,
        f"value_{scene['benefit'].pk}": benefit,
        f"comment_{scene['novelty'].pk}": "",
        f"comment_{scene['benefit'].pk}": "",
        "action": action,
        **extra,
    }


def _review_url(scene, name="review", **kwargs):
    return reverse(f"competitions:{name}", kwargs={"pk": scene["assignment"].pk, **kwargs})


SCORER_LIST = [LOGIN, 403, 403, 403, 200, 200, 200, 403]
ASSIGNED_ONLY = [LOGIN, 403, 403, 403, 200, 404, 404, 403]
ASSIGNED_DOES = [LOGIN, 403, 403, 403, DONE, 404, 404, 403]

CASES = {
    "review_list": ("get", lambda s: reverse("competitions:review_list"), None, SCORER_LIST),
    "review": ("get", lambda s: _review_url(s), None, ASSIGNED_ONLY),
    "review_post": ("post", lambda s: _review_url(s), lambda s: _post(s), ASSIGNED_DOES),
    "review_evidence": (
        "get",
        lambda s: _review_url(s, "review_evidence", evidence_pk=s["evidence"].pk),
        None,
        ASSIGNED_ONLY,
    ),
    "review_conflict": (
        "post",
        lambda s: _review_url(s, "review_conflict"),
        lambda s: {"reason": "Kerabat"},
        ASSIGNED_DOES,
    ),
}

MATRIX = [
    pytest.param(name, role, expected[index], id=f"{name}-{role}")
    for name, (_method, _url, _data, expected) in CASES.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("case", "role", "expected"), MATRIX)
def test_review_url_permission(client_as, scene, case, role, expected):
    method, url_for, data_for, _expected = CASES[case]
    client = client_as(role)
    url = url_for(scene)
    response = client.post(url, data_for(scene)) if method == "post" else client.get(url)
    if expected == LOGIN:
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("login"))
    elif expected == DONE:
        assert (response.status_code, response.url.split("?")[0] != reverse("login")) == (302, True)
    else:
        assert response.status_code == expected


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_review_of_a_stage_not_open_is_404(client, scene, reviewer):
    now = timezone.now()
    Stage.objects.filter(pk=scene["stage"].pk).update(
        opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2)
    )
    assert _get(client, reviewer, _review_url(scene)).status_code == 404


def test_review_of_a_released_assignment_is_404(client, scene, reviewer):
    Assignment.objects.filter(pk=scene["assignment"].pk).update(released_at=timezone.now())
    assert _get(client, reviewer, _review_url(scene)).status_code == 404
    assert (
        _get(client, reviewer, _review_url(scene, "review_evidence", evidence_pk=scene["evidence"].pk)).status_code
        == 404
    )


def test_review_with_a_declared_conflict_is_404(client, scene, reviewer):
    ConflictOfInterest.objects.create(reviewer=reviewer, entry=scene["entry"])
    assert _get(client, reviewer, _review_url(scene)).status_code == 404


def test_review_with_a_derived_conflict_is_404_even_when_assigned(client, scene):
    # Assigned behind the services' back: a reviewer from the entry's own regency still finds nothing.
    local = user_with_role(
        Role.REVIEWER,
        username="lokal",
        institution=InstitutionFactory(code="univ-polman", region=regency("Polewali Mandar")),
    )
    assignment = AssignmentFactory(stage=scene["stage"], entry=scene["entry"], reviewer=local)
    assert _get(client, local, reverse("competitions:review", kwargs={"pk": assignment.pk})).status_code == 404
    assert _get(client, local, reverse("competitions:review_list")).context["rows"] == []


def test_review_list_shows_own_open_assignments_only(client, scene, reviewer):
    now = timezone.now()
    closed = StageFactory(
        edition=scene["stage"].edition,
        kind=Stage.Kind.PRESENTATION,
        scorer="reviewer",
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=1),
    )
    AssignmentFactory(stage=closed, entry=scene["entry"], reviewer=reviewer)

    response = _get(client, reviewer, reverse("competitions:review_list"))

    assert [row["assignment"].pk for row in response.context["rows"]] == [scene["assignment"].pk]


BLIND_NAMES = ["Polewali", "Polman", "Wonomulyo", "Siti Rahmawati", "Rahmawati", "Dinas Kesehatan Uji"]


def test_blind_review_page_shows_no_institution_region_or_names(client, scene, reviewer):
    response = _get(client, reviewer, _review_url(scene))

    html = response.content.decode()
    assert [name for name in BLIND_NAMES if name in html] == []
    assert f"{scene['entry'].code}-1.pdf" in html
    assert "Dirintis [name] di [region] bersama [institution]." in html


def test_blind_review_list_shows_no_institution_name(client, scene, reviewer):
    html = _get(client, reviewer, reverse("competitions:review_list")).content.decode()
    assert [name for name in BLIND_NAMES if name in html] == []
    assert "Layanan Keliling [institution]" in html


def test_blind_evidence_download_is_named_after_the_entry(client, scene, reviewer):
    response = _get(client, reviewer, _review_url(scene, "review_evidence", evidence_pk=scene["evidence"].pk))
    assert response["Content-Disposition"] == f'attachment; filename="{scene["entry"].code}-1.pdf"'


def test_open_review_page_shows_institution_and_region(client, scene, reviewer):
    Stage.objects.filter(pk=scene["stage"].pk).update(blind=False)
    html = _get(client, reviewer, _review_url(scene)).content.decode()
    assert "Dinas Kesehatan Uji Polman" in html
    assert "Dirintis Siti Rahmawati di Polewali Mandar" in html


def test_review_page_in_indonesian_at_the_default_prefix(client, scene, reviewer):
    with translation.override("id"):
        url = _review_url(scene)
    response = _get(client, reviewer, url)
    assert (url.startswith("/kipp/"), response.status_code, response.context["LANGUAGE_CODE"]) == (True, 200, "id")


def test_review_post_draft_then_submit(client, scene, reviewer):
    client.force_login(reviewer)

    client.post(_review_url(scene), _post(scene, benefit=""))
    assert Review.objects.get(assignment=scene["assignment"]).status == Review.Status.DRAFT

    response = client.post(_review_url(scene), _post(scene, action="submit"), follow=True)
    review = Review.objects.get(assignment=scene["assignment"])
    assert (review.status, review.total) == (Review.Status.SUBMITTED, Decimal("75.0000"))
    assert "Review submitted. You can change it until the stage closes." in response.content.decode()


def test_review_post_out_of_scale_keeps_what_was_typed(client, scene, reviewer):
    client.force_login(reviewer)

    response = client.post(_review_url(scene), _post(scene, novelty="120", action="submit"))

    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors[f"value_{scene['novelty'].pk}"] == ["Between 0 and 100."]
    assert (form[f"value_{scene['novelty'].pk}"].value(), form[f"value_{scene['benefit'].pk}"].value()) == ("120", "70")
    assert not Review.objects.exists()


def test_review_post_submit_incomplete_names_the_criterion_and_keeps_the_rest(client, scene, reviewer):
    client.force_login(reviewer)

    response = client.post(_review_url(scene), _post(scene, benefit="", action="submit"))

    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        "Score or abstain on every criterion before submitting: Beneficial."
    ]
    assert response.context["form"][f"value_{scene['novelty'].pk}"].value() == "80"


def test_review_post_abstain_with_value_refused(client, scene, reviewer):
    client.force_login(reviewer)
    response = client.post(_review_url(scene), _post(scene, **{f"abstain_{scene['novelty'].pk}": "on"}))
    assert response.status_code == 422
    assert response.context["form"].errors[f"value_{scene['novelty'].pk}"] == [
        "Leave the score empty to abstain, or untick “abstain”."
    ]


def _submit(scene, assignment, user, novelty, benefit):
    review_save(
        assignment=assignment,
        by=user,
        scores=[ScoreInput(scene["novelty"].pk, Decimal(novelty)), ScoreInput(scene["benefit"].pk, Decimal(benefit))],
        submit=True,
    )


def test_other_reviews_hidden_until_own_is_submitted(client, scene, reviewer, other_reviewer):
    _submit(scene, scene["other_assignment"], other_reviewer, 40, 50)
    client.force_login(reviewer)

    before = client.get(_review_url(scene))
    _submit(scene, scene["assignment"], reviewer, 80, 70)
    after = client.get(_review_url(scene))

    assert before.context["others"] is None
    assert "Reviewer 1: total 45.00" not in before.content.decode()
    assert [review.total for review in after.context["others"]] == [Decimal("45.0000")]
    assert "Reviewer 1: total 45.00" in after.content.decode()


def test_other_reviews_shown_when_the_stage_does_not_hide_them(client, scene, reviewer, other_reviewer):
    Stage.objects.filter(pk=scene["stage"].pk).update(hide_reviews_until_submitted=False)
    _submit(scene, scene["other_assignment"], other_reviewer, 40, 50)
    response = _get(client, reviewer, _review_url(scene))
    assert [review.total for review in response.context["others"]] == [Decimal("45.0000")]


def test_review_conflict_post_releases_the_assignment(client, scene, reviewer):
    client.force_login(reviewer)
    response = client.post(_review_url(scene, "review_conflict"), {"reason": "Kerabat pelaksana"})
    assert response.url == reverse("competitions:review_list")
    assert Assignment.objects.get(pk=scene["assignment"].pk).released_at is not None
    assert ConflictOfInterest.objects.get().reason == "Kerabat pelaksana"


def test_dashboard_shows_scorer_counts(client, scene, reviewer):
    response = _get(client, reviewer, reverse("dashboard"))
    html = response.content.decode()
    assert "KIPP scoring" in html
    assert reverse("competitions:review_list") in html


def test_dashboard_shows_secretariat_scoring_stages(client, scene, ministry_admin):
    html = _get(client, ministry_admin, reverse("dashboard")).content.decode()
    assert "0 of 2 reviews submitted." in html


@pytest.mark.parametrize("size", [1, 6])
def test_review_list_query_count_does_not_grow(client, scene, reviewer, django_assert_num_queries, size):
    for number in range(size):
        institution = InstitutionFactory(code=f"dinas-{size}-{number}", region=regency("Mamasa"))
        entry = EntryFactory(edition=scene["stage"].edition, institution=institution, status=Entry.Status.PASSED)
        AssignmentFactory(stage=scene["stage"], entry=entry, reviewer=reviewer)
    client.force_login(reviewer)
    with django_assert_num_queries(8):
        response = client.get(reverse("competitions:review_list"))
    assert len(response.context["rows"]) == size + 1
