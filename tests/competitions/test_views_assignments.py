"""The secretariat's assignment pages: the matrix and loads, automatic and file assignment, one entry's
reviewers, conflicts of interest; who may open each URL; queries that do not grow with the stage."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from competitions.models import Assignment, ConflictOfInterest, Entry, Review
from jipp.models import Institution, Role
from tests.competitions.factories import AssignmentFactory, EditionFactory, EntryFactory, StageFactory
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
SECRETARIAT_ONLY = [LOGIN, 403, 403, 403, 403, 403, 403, 200]
SECRETARIAT_DOES = [LOGIN, 403, 403, 403, 403, 403, 403, DONE]


@pytest.fixture
def other_reviewer(db):
    return user_with_role(Role.REVIEWER, username="rev-lain", institution=_national("kemen-lain"))


def _national(code):
    return InstitutionFactory(code=code, kind=Institution.Kind.MINISTRY, region=None)


@pytest.fixture
def scene(operator, other_operator, reviewer, other_reviewer):
    """A desk evaluation open now with an entry of each operator's institution; `reviewer` (from a
    Majene institution) scores the Polewali Mandar entry and may not score the Majene one."""
    stage = StageFactory(edition=EditionFactory(year=2035))
    ours = EntryFactory(edition=stage.edition, institution=operator.institution, status=Entry.Status.PASSED)
    theirs = EntryFactory(edition=stage.edition, institution=other_operator.institution, status=Entry.Status.PASSED)
    assignment = AssignmentFactory(stage=stage, entry=theirs, reviewer=reviewer)
    return {"stage": stage, "ours": ours, "theirs": theirs, "assignment": assignment}


def _stage_url(name, stage, **kwargs):
    return reverse(f"competitions:{name}", kwargs={"year": stage.edition.year, "kind": stage.kind, **kwargs})


def _csv(text):
    return SimpleUploadedFile("tugas.csv", ("\ufeff" + text).encode(), content_type="text/csv")


CASES = {
    "assignments": ("get", lambda s: _stage_url("assignments", s["stage"]), None, SECRETARIAT_ONLY),
    "assignments_auto": (
        "post",
        lambda s: _stage_url("assignments_auto", s["stage"]),
        lambda s: {"per_entry": "1"},
        SECRETARIAT_DOES,
    ),
    "assignments_import": (
        "post",
        lambda s: _stage_url("assignments_import", s["stage"]),
        lambda s: {"file": _csv(f"entry,reviewer\n{s['ours'].code},rev-lain\n")},
        SECRETARIAT_DOES,
    ),
    "entry_assignments": (
        "get",
        lambda s: _stage_url("entry_assignments", s["stage"], pk=s["theirs"].pk),
        None,
        SECRETARIAT_ONLY,
    ),
    "entry_assignments_post": (
        "post",
        lambda s: _stage_url("entry_assignments", s["stage"], pk=s["theirs"].pk),
        lambda s: {"reviewer": str(s["other_reviewer"].pk)},
        SECRETARIAT_DOES,
    ),
    "assignment_release": (
        "post",
        lambda s: reverse("competitions:assignment_release", kwargs={"pk": s["assignment"].pk}),
        lambda s: {},
        SECRETARIAT_DOES,
    ),
    "assignment_reassign": (
        "post",
        lambda s: reverse("competitions:assignment_reassign", kwargs={"pk": s["assignment"].pk}),
        lambda s: {"to-reviewer": str(s["other_reviewer"].pk)},
        SECRETARIAT_DOES,
    ),
    "stage_scores": ("get", lambda s: _stage_url("stage_scores", s["stage"]), None, SECRETARIAT_ONLY),
    "conflicts": (
        "get",
        lambda s: reverse("competitions:conflicts", kwargs={"year": s["stage"].edition.year}),
        None,
        SECRETARIAT_ONLY,
    ),
    "conflicts_post": (
        "post",
        lambda s: reverse("competitions:conflicts", kwargs={"year": s["stage"].edition.year}),
        lambda s: {"reviewer": str(s["other_reviewer"].pk), "entry": str(s["ours"].pk), "reason": "Alumni"},
        SECRETARIAT_DOES,
    ),
}

MATRIX = [
    pytest.param(name, role, expected[index], id=f"{name}-{role}")
    for name, (_method, _url, _data, expected) in CASES.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("case", "role", "expected"), MATRIX)
def test_assignment_url_permission(client_as, scene, other_reviewer, case, role, expected):
    method, url_for, data_for, _expected = CASES[case]
    scene["other_reviewer"] = other_reviewer
    client = client_as(role)
    url = url_for(scene)
    response = client.post(url, data_for(scene)) if method == "post" else client.get(url)
    if expected == LOGIN:
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("login"))
    elif expected == DONE:
        assert (response.status_code, response.url.split("?")[0] != reverse("login")) == (302, True)
    else:
        assert response.status_code == expected


def test_assignment_pages_of_a_stage_that_does_not_score_are_404(client, ministry_admin, scene):
    StageFactory(edition=scene["stage"].edition, kind="registration")
    client.force_login(ministry_admin)
    response = client.get(
        reverse("competitions:assignments", kwargs={"year": scene["stage"].edition.year, "kind": "registration"})
    )
    assert response.status_code == 404


def test_matrix_shows_loads_cells_and_conflicts(client, ministry_admin, scene, reviewer):
    Review.objects.create(assignment=scene["assignment"])
    client.force_login(ministry_admin)

    response = client.get(_stage_url("assignments", scene["stage"]))

    rows = {
        row.entry.pk: {cell.reviewer.username: cell.state for cell in row.cells} for row in response.context["rows"]
    }
    assert rows == {
        scene["ours"].pk: {"rev": "conflict", "rev-lain": ""},
        scene["theirs"].pk: {"rev": "draft", "rev-lain": ""},
    }
    loads = {load.reviewer.username: (load.active, load.submitted) for load in response.context["loads"]}
    assert loads == {"rev": (1, 0), "rev-lain": (0, 0)}
    assert "Reviewers and their loads" in response.content.decode()


def test_matrix_in_indonesian_at_the_default_prefix(client, ministry_admin, scene):
    client.force_login(ministry_admin)
    with translation.override("id"):
        url = _stage_url("assignments", scene["stage"])
    response = client.get(url)
    assert (url.startswith("/kipp/"), response.status_code, response.context["LANGUAGE_CODE"]) == (True, 200, "id")


def test_auto_assign_post_assigns_and_reports_loads(client, ministry_admin, scene):
    client.force_login(ministry_admin)

    response = client.post(_stage_url("assignments_auto", scene["stage"]), {"per_entry": "1"}, follow=True)

    active = Assignment.objects.filter(stage=scene["stage"], released_at__isnull=True)
    assert sorted(active.values_list("entry", "reviewer__username")) == sorted(
        [(scene["theirs"].pk, "rev"), (scene["ours"].pk, "rev-lain")]
    )
    assert "1 assignment made. Loads now range from 1 to 1 entries." in response.content.decode()


def test_auto_assign_post_refuses_zero_per_entry_and_keeps_the_page(client, ministry_admin, scene):
    client.force_login(ministry_admin)
    response = client.post(_stage_url("assignments_auto", scene["stage"]), {"per_entry": "0"})
    assert response.status_code == 422
    assert response.context["auto_form"].errors["per_entry"] == ["Ensure this value is greater than or equal to 1."]


def test_import_post_with_errors_lists_row_and_column_and_assigns_nothing(client, ministry_admin, scene):
    client.force_login(ministry_admin)
    content = f"entry;reviewer\n{scene['ours'].code};rev\n{scene['theirs'].code};nobody\n"

    response = client.post(_stage_url("assignments_import", scene["stage"]), {"file": _csv(content)})

    assert response.status_code == 422
    assert response.context["import_errors"] == [
        f"Row 2, column “reviewer”: Uji may not score {scene['ours'].code}: the reviewer's own regency.",
        "Row 3, column “reviewer”: nobody who scores this stage has the username or e-mail “nobody”.",
    ]
    assert Assignment.objects.count() == 1


def test_import_post_refuses_other_file_types(client, ministry_admin, scene):
    client.force_login(ministry_admin)
    upload = SimpleUploadedFile("tugas.pdf", b"%PDF-1.7", content_type="application/pdf")
    response = client.post(_stage_url("assignments_import", scene["stage"]), {"file": upload})
    assert response.status_code == 422
    assert response.context["import_form"].errors["file"] == ["Upload a .csv or .xlsx file."]


def test_entry_page_lists_only_reviewers_free_to_score_it(client, ministry_admin, scene, reviewer, other_reviewer):
    client.force_login(ministry_admin)
    response = client.get(_stage_url("entry_assignments", scene["stage"], pk=scene["ours"].pk))
    assert list(response.context["form"].fields["reviewer"].queryset) == [other_reviewer]
    assert [(scorer, str(reason.label)) for scorer, reason in response.context["conflicts"]] == [
        (reviewer, "the reviewer's own regency")
    ]


def test_entry_page_post_conflicting_reviewer_is_refused_with_reason(client, ministry_admin, scene, reviewer):
    client.force_login(ministry_admin)
    response = client.post(
        _stage_url("entry_assignments", scene["stage"], pk=scene["ours"].pk), {"reviewer": str(reviewer.pk)}
    )
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        f"Uji may not score {scene['ours'].code}: the reviewer's own regency."
    ]


def test_entry_page_of_an_entry_outside_the_stage_is_404(client, ministry_admin, scene):
    Entry.objects.filter(pk=scene["ours"].pk).update(status=Entry.Status.FAILED)
    client.force_login(ministry_admin)
    response = client.get(_stage_url("entry_assignments", scene["stage"], pk=scene["ours"].pk))
    assert response.status_code == 404


def test_reassign_keeps_the_submitted_review(client, ministry_admin, scene, other_reviewer):
    review = Review.objects.create(assignment=scene["assignment"], status="submitted", submitted_at="2030-01-01T00:00Z")
    client.force_login(ministry_admin)

    client.post(
        reverse("competitions:assignment_reassign", kwargs={"pk": scene["assignment"].pk}),
        {"to-reviewer": str(other_reviewer.pk)},
    )

    active = Assignment.objects.filter(entry=scene["theirs"], released_at__isnull=True)
    assert list(active.values_list("reviewer__username", flat=True)) == ["rev-lain"]
    assert Review.objects.get(pk=review.pk).status == Review.Status.SUBMITTED


def test_conflict_post_without_entry_or_institution_is_refused(client, ministry_admin, scene, other_reviewer):
    client.force_login(ministry_admin)
    response = client.post(
        reverse("competitions:conflicts", kwargs={"year": scene["stage"].edition.year}),
        {"reviewer": str(other_reviewer.pk), "reason": "Alumni"},
    )
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == ["Choose either one entry or one institution."]
    assert response.context["form"]["reason"].value() == "Alumni"
    assert not ConflictOfInterest.objects.exists()


def _grow(stage, size):
    regencies = ["Mamasa", "Mamuju", "Pasangkayu"]
    for number in range(size):
        institution = InstitutionFactory(code=f"dinas-{size}-{number}", region=regency(regencies[number % 3]))
        entry = EntryFactory(edition=stage.edition, institution=institution, status=Entry.Status.PASSED)
        reviewer = user_with_role(
            Role.REVIEWER, username=f"r{size}-{number}", institution=_national(f"k{size}{number}")
        )
        AssignmentFactory(stage=stage, entry=entry, reviewer=reviewer)
        ConflictOfInterest.objects.create(reviewer=reviewer, institution=institution)


@pytest.mark.parametrize("size", [2, 12])
def test_matrix_query_count_does_not_grow(client, ministry_admin, scene, django_assert_num_queries, size):
    _grow(scene["stage"], size)
    client.force_login(ministry_admin)
    url = _stage_url("assignments", scene["stage"])
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_conflicts_query_count_does_not_grow(client, ministry_admin, scene, django_assert_num_queries, size):
    _grow(scene["stage"], size)
    client.force_login(ministry_admin)
    url = reverse("competitions:conflicts", kwargs={"year": scene["stage"].edition.year})
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def _submitted(stage, entry, reviewer, total):
    assignment = AssignmentFactory(stage=stage, entry=entry, reviewer=reviewer)
    Review.objects.create(assignment=assignment, status="submitted", submitted_at="2030-01-01T00:00Z", total=total)


def test_scores_page_shows_ranking_agreement_and_filters_flagged(client, ministry_admin, scene, other_reviewer):
    stage = scene["stage"]
    Review.objects.create(
        assignment=scene["assignment"], status="submitted", submitted_at="2030-01-01T00:00Z", total=90
    )
    _submitted(stage, scene["theirs"], other_reviewer, 50)  # spread 40, above the default 20
    _submitted(stage, scene["ours"], other_reviewer, 60)
    client.force_login(ministry_admin)
    url = _stage_url("stage_scores", stage)

    response = client.get(url)
    flagged = client.get(url, {"flagged": "1"})

    assert [(ranked.entry, ranked.rank, ranked.score, ranked.flagged) for ranked in response.context["ranking"]] == [
        (scene["theirs"], 1, Decimal("70.0000"), True),
        (scene["ours"], 2, Decimal("60.0000"), False),
    ]
    assert [ranked.entry for ranked in flagged.context["ranking"]] == [scene["theirs"]]
    html = response.content.decode()
    assert "ICC(1,k)" in html
    assert "Entries flagged for disagreement" in html


@pytest.mark.parametrize("size", [2, 12])
def test_scores_page_query_count_does_not_grow(client, ministry_admin, scene, django_assert_num_queries, size):
    _grow(scene["stage"], size)
    for assignment in Assignment.objects.filter(stage=scene["stage"]):
        Review.objects.create(assignment=assignment, status="submitted", submitted_at="2030-01-01T00:00Z", total=55)
    client.force_login(ministry_admin)
    url = _stage_url("stage_scores", scene["stage"])
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200
