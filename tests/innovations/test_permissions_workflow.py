"""Every URL of the workflow and evidence area x every role.

Statuses in the order of ROLES: anonymous, operator, hub_admin, reviewer, panelist, ministry_admin,
and the operator of another institution. 302 for anonymous means "sent to the sign-in page"; for a
POST by a permitted user it means "done, redirected".
"""

import pytest
from django.urls import reverse

from innovations.models import Evidence, State
from innovations.services.evidence import evidence_add, evidence_make_preview
from tests.conftest import module_fixture, module_people
from tests.innovations.factories_workflow import (
    InnovationFactory,
    PublishedInnovationFactory,
    SubmittedInnovationFactory,
    image_file,
    pdf_file,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "operator", "hub_admin", "reviewer", "panelist", "ministry_admin", "other_operator"]

# Every test reads the same people and records, and what a test changes is rolled back after it.
globals().update(module_people())


@module_fixture
def records(operator):
    draft = InnovationFactory(institution=operator.institution, slug="draf")
    submitted = SubmittedInnovationFactory(institution=operator.institution, slug="terkirim")
    published = PublishedInnovationFactory(institution=operator.institution, slug="terbit")
    document = evidence_add(innovation=draft, by=operator, upload=pdf_file(), caption="Dok")
    photo = evidence_add(innovation=draft, by=operator, upload=image_file(), caption="Foto")
    evidence_make_preview(evidence_id=photo.pk)  # the worker's job once the upload is committed
    public_file = Evidence.objects.create(
        innovation=published,
        kind=Evidence.Kind.DOCUMENT,
        file=document.file.name,
        caption="Publik",
        original_name="publik.pdf",
        content_type="application/pdf",
        size=document.size,
    )
    return {
        "draft": draft,
        "submitted": submitted,
        "published": published,
        "document": document,
        "photo": photo,
        "public_file": public_file,
    }


GET_MATRIX = [
    ("list", None, [302, 200, 200, 403, 403, 403, 200]),
    ("create", None, [302, 200, 403, 403, 403, 403, 200]),
    ("queue", None, [302, 403, 200, 403, 403, 403, 403]),
    ("similar", None, [302, 200, 200, 403, 403, 403, 200]),
    ("detail", "draft", [302, 200, 200, 404, 404, 404, 404]),
    ("edit", "draft", [302, 200, 403, 404, 404, 404, 404]),
    ("history", "draft", [302, 403, 200, 404, 404, 404, 404]),
    ("changes", "submitted", [302, 403, 200, 404, 404, 404, 404]),
    ("return", "submitted", [302, 403, 200, 404, 404, 404, 404]),
    ("evidence_add", "draft", [302, 200, 403, 404, 404, 404, 404]),
    ("evidence_file", "document", [404, 200, 200, 404, 404, 404, 404]),
    ("evidence_preview", "photo", [404, 200, 200, 404, 404, 404, 404]),
    ("evidence_file", "public_file", [200, 200, 200, 200, 200, 200, 200]),
]

POST_MATRIX = [
    ("submit", "draft", [302, 302, 403, 404, 404, 404, 404]),
    ("publish", "submitted", [302, 403, 302, 404, 404, 404, 404]),
    ("return", "submitted", [302, 403, 302, 404, 404, 404, 404]),
    ("archive", "published", [302, 403, 302, 404, 404, 404, 404]),
    ("restore", "published", [302, 403, 302, 404, 404, 404, 404]),
    ("revise", "published", [302, 302, 403, 404, 404, 404, 404]),
    ("evidence_delete", "document", [302, 302, 403, 404, 404, 404, 404]),
]


def _url(url_name, target, records):
    if target is None:
        return reverse(f"innovations:{url_name}")
    obj = records[target]
    if isinstance(obj, Evidence):
        return reverse(f"innovations:{url_name}", kwargs={"pk": obj.pk})
    return reverse(f"innovations:{url_name}", kwargs={"slug": obj.slug})


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
def test_workflow_get_permission_matrix(sign_in, records, url_name, target, role, expected):
    response = sign_in(role).get(_url(url_name, target, records))
    assert response.status_code == expected


@pytest.mark.parametrize(("url_name", "target", "role", "expected"), _cases(POST_MATRIX))
def test_workflow_post_permission_matrix(sign_in, records, url_name, target, role, expected):
    response = sign_in(role).post(_url(url_name, target, records), {"comment": "Catatan"})
    assert response.status_code == expected


@pytest.mark.parametrize("role", ["anonymous", "operator", "reviewer", "other_operator"])
def test_workflow_post_publish_refused_leaves_state(sign_in, records, role):
    sign_in(role).post(_url("publish", "submitted", records))
    records["submitted"].refresh_from_db()
    assert records["submitted"].state == State.SUBMITTED
