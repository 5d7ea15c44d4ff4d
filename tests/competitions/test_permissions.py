"""Every URL of the competitions area x every role.

Statuses in the order of ROLES: anonymous, operator (institution A), other operator (institution B),
hub administrator, reviewer, panelist, ministry administrator (the secretariat). 302 for anonymous
means "sent to the sign-in page"; for a POST by a permitted user it means "done, redirected".
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from competitions.models import Edition, Entry, Stage
from competitions.services.entries import entry_submit
from innovations.services.evidence import evidence_add
from tests.competitions.factories import EditionFactory, StageFactory, open_edition, published_record
from tests.conftest import module_fixture, module_people
from tests.innovations.factories_workflow import pdf_file

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "operator", "other_operator", "hub_admin", "reviewer", "panelist", "ministry_admin"]

# Every test reads the same people and objects, and what a test changes is rolled back after it.
globals().update(module_people())
edition = module_fixture(open_edition, name="edition")


@module_fixture
def record(operator):
    return published_record(operator.institution, title="Layanan Kesehatan Keliling", slug="layanan-keliling")


@module_fixture
def objects(edition, record, operator):
    from innovations.models import Innovation, State

    Innovation.objects.filter(pk=record.pk).update(state=State.DRAFT)
    evidence_add(innovation=Innovation.objects.get(pk=record.pk), by=operator, upload=pdf_file(), caption="SK")
    Innovation.objects.filter(pk=record.pk).update(state=State.PUBLISHED)
    entry = entry_submit(
        by=operator, edition=edition, innovation=record, group="umum", category=edition.categories.get(code=1)
    )
    draft = EditionFactory(year=2041, status=Edition.Status.DRAFT)
    StageFactory(
        edition=draft,
        kind=Stage.Kind.DESK,
        order=1,
        opens_at=timezone.now() + timedelta(days=5),
        closes_at=timezone.now() + timedelta(days=9),
    )
    return {"edition": edition, "draft": draft, "entry": entry, "evidence": entry.evidence.get()}


def _kwargs(target, objects):
    if target is None:
        return {}
    name, _sep, kind = target.partition(":")
    obj = objects[name]
    if isinstance(obj, Edition):
        return {"year": obj.year, **({"kind": kind} if kind else {})}
    if isinstance(obj, Entry):
        return {"pk": obj.pk}
    return {"pk": obj.entry_id, "evidence_pk": obj.pk}


SECRETARIAT_ONLY = [302, 403, 403, 403, 403, 403, 200]

GET_MATRIX = [
    ("edition_list", None, SECRETARIAT_ONLY),
    ("edition_create", None, SECRETARIAT_ONLY),
    ("edition_detail", "edition", SECRETARIAT_ONLY),
    ("edition_detail", "draft", SECRETARIAT_ONLY),
    ("edition_edit", "edition", SECRETARIAT_ONLY),
    ("edition_stages", "edition", SECRETARIAT_ONLY),
    ("stage_rubric", "edition:desk_evaluation", SECRETARIAT_ONLY),
    ("stage_rubric", "edition:registration", [302, 403, 403, 403, 403, 403, 404]),
    ("entry_list", None, [302, 200, 200, 200, 403, 403, 200]),
    ("entry_create", "edition", [302, 200, 200, 200, 403, 403, 403]),
    ("entry_create", "draft", [302, 404, 404, 404, 403, 403, 403]),
    ("entry_detail", "entry", [302, 200, 404, 200, 404, 404, 200]),
    ("entry_evidence_file", "evidence", [302, 200, 404, 200, 404, 404, 200]),
    ("selection", "edition", SECRETARIAT_ONLY),
    ("entry_select", "entry", [302, 403, 404, 403, 404, 404, 200]),
]

POST_MATRIX = [
    ("edition_announce", "draft", [302, 403, 403, 403, 403, 403, 302]),
    ("stage_rubric_default", "draft:desk_evaluation", [302, 403, 403, 403, 403, 403, 302]),
    ("entry_withdraw", "entry", [302, 302, 404, 302, 404, 404, 403]),
    ("entry_select", "entry", [302, 403, 404, 403, 404, 404, 302]),
    ("selection", "edition", [302, 403, 403, 403, 403, 403, 302]),
]


def _cases(matrix):
    return [
        pytest.param(url_name, target, role, expected, id=f"{url_name}-{target}-{role}")
        for url_name, target, statuses in matrix
        for role, expected in zip(ROLES, statuses, strict=True)
    ]


@pytest.fixture
def sign_in(client, request):
    def as_role(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return as_role


@pytest.mark.parametrize(("url_name", "target", "role", "expected"), _cases(GET_MATRIX))
def test_competitions_get_permission_matrix(sign_in, objects, url_name, target, role, expected):
    response = sign_in(role).get(reverse(f"competitions:{url_name}", kwargs=_kwargs(target, objects)))
    assert response.status_code == expected


@pytest.mark.parametrize(("url_name", "target", "role", "expected"), _cases(POST_MATRIX))
def test_competitions_post_permission_matrix(sign_in, objects, url_name, target, role, expected):
    data = {"outcome": "passed", "entries": [objects["entry"].pk]}
    response = sign_in(role).post(reverse(f"competitions:{url_name}", kwargs=_kwargs(target, objects)), data)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ["anonymous", "other_operator", "reviewer", "panelist", "ministry_admin"])
def test_competitions_withdraw_refused_leaves_the_entry(sign_in, objects, role):
    entry = objects["entry"]
    sign_in(role).post(reverse("competitions:entry_withdraw", kwargs={"pk": entry.pk}))
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED


@pytest.mark.parametrize("role", ["anonymous", "operator", "hub_admin", "reviewer", "other_operator"])
def test_competitions_selection_refused_leaves_the_entry(sign_in, objects, role):
    entry = objects["entry"]
    sign_in(role).post(reverse("competitions:entry_select", kwargs={"pk": entry.pk}), {"outcome": "passed"})
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED
