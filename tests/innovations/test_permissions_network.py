"""Every URL of the network area x every role: who gets the page, who is refused, who must sign in."""

import pytest
from django.urls import reverse

from innovations.models import ImportBatch, Replication
from tests.innovations.factories_network import NetworkInnovationFactory, ReplicationFactory, pdf_upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "operator", "other_operator", "hub_admin", "reviewer", "panelist", "ministry_admin"]
LOGIN = "login"  # expected: redirected to the sign-in page
DONE = "done"  # expected: the action succeeded and redirected back to its page


@pytest.fixture
def network(institution, other_institution):
    """A published record of `operator`'s institution, replicated by `other_operator`'s institution."""
    origin = NetworkInnovationFactory(institution=institution, slug="asal")
    replication = ReplicationFactory(origin=origin, institution=other_institution)
    batch = ImportBatch.objects.create(original_name="a.csv", sha256="0" * 64)
    return {"origin": origin, "replication": replication, "batch": batch}


def set_status(replication: Replication, status: str) -> None:
    Replication.objects.filter(pk=replication.pk).update(status=status)


def agreement_attached(replication: Replication) -> None:
    replication.agreement_document.save("k.pdf", pdf_upload(), save=False)
    replication.status = Replication.Status.AGREEMENT
    replication.save()


CASES = {
    # name: (method, url builder, setup, data, expected per role in ROLES order)
    "replication_list": (
        "get",
        lambda n: reverse("innovations:replication_list"),
        None,
        None,
        [LOGIN, 200, 200, 200, 403, 403, 403],
    ),
    "replication_create": (
        "get",
        lambda n: reverse("innovations:replication_create", kwargs={"slug": "asal-lain"}),
        lambda n: NetworkInnovationFactory(institution=n["origin"].institution, slug="asal-lain"),
        None,
        [LOGIN, 403, 200, 403, 403, 403, 403],
    ),
    "replication_create_post": (
        "post",
        lambda n: reverse("innovations:replication_create", kwargs={"slug": "asal-lain"}),
        lambda n: NetworkInnovationFactory(institution=n["origin"].institution, slug="asal-lain"),
        {"scope": "Semua"},
        [LOGIN, 403, DONE, 403, 403, 403, 403],
    ),
    "replication_detail": (
        "get",
        lambda n: reverse("innovations:replication_detail", kwargs={"pk": n["replication"].pk}),
        None,
        None,
        [LOGIN, 200, 200, 200, 403, 403, 403],
    ),
    "replication_agreement": (
        "post",
        lambda n: reverse("innovations:replication_agreement", kwargs={"pk": n["replication"].pk}),
        None,
        "agreement",
        [LOGIN, DONE, DONE, DONE, 403, 403, 403],
    ),
    "replication_approve": (
        "post",
        lambda n: reverse("innovations:replication_approve", kwargs={"pk": n["replication"].pk}),
        lambda n: set_status(n["replication"], Replication.Status.AGREEMENT),
        {"note": ""},
        [LOGIN, DONE, 403, DONE, 403, 403, 403],
    ),
    "replication_reject": (
        "post",
        lambda n: reverse("innovations:replication_reject", kwargs={"pk": n["replication"].pk}),
        None,
        {"reason": "Belum siap"},
        [LOGIN, DONE, 403, DONE, 403, 403, 403],
    ),
    "replication_implement": (
        "post",
        lambda n: reverse("innovations:replication_implement", kwargs={"pk": n["replication"].pk}),
        lambda n: set_status(n["replication"], Replication.Status.APPROVED),
        {"note": ""},
        [LOGIN, 403, DONE, DONE, 403, 403, 403],
    ),
    "replication_document": (
        "get",
        lambda n: reverse("innovations:replication_document", kwargs={"pk": n["replication"].pk}),
        lambda n: agreement_attached(n["replication"]),
        None,
        [LOGIN, 200, 200, 200, 403, 403, 403],
    ),
    "sustainability": (
        "get",
        lambda n: reverse("innovations:sustainability", kwargs={"slug": n["origin"].slug}),
        None,
        None,
        [LOGIN, 200, 404, 200, 403, 403, 403],
    ),
    "sustainability_post": (
        "post",
        lambda n: reverse("innovations:sustainability", kwargs={"slug": n["origin"].slug}),
        None,
        {"year": "2024", "status": "berlanjut"},
        [LOGIN, DONE, 404, DONE, 403, 403, 403],
    ),
    "import_list": (
        "get",
        lambda n: reverse("innovations:import_list"),
        None,
        None,
        [LOGIN, 403, 403, 200, 403, 403, 403],
    ),
    "import_list_post": (
        "post",
        lambda n: reverse("innovations:import_list"),
        None,
        {},
        [LOGIN, 403, 403, 400, 403, 403, 403],
    ),
    "import_template": (
        "get",
        lambda n: reverse("innovations:import_template") + "?format=xlsx",
        None,
        None,
        [LOGIN, 403, 403, 200, 403, 403, 403],
    ),
    "import_detail": (
        "get",
        lambda n: reverse("innovations:import_detail", kwargs={"pk": n["batch"].pk}),
        None,
        None,
        [LOGIN, 403, 403, 200, 403, 403, 403],
    ),
}

MATRIX = [
    pytest.param(name, role, expected[index], id=f"{name}-{role}")
    for name, (_method, _url, _setup, _data, expected) in CASES.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("case", "role", "expected"), MATRIX)
def test_network_url_permission(client_as, network, case, role, expected):
    method, url_for, setup, data, _expected = CASES[case]
    if setup is not None:
        setup(network)
    if data == "agreement":
        data = {"document": pdf_upload()}
    client = client_as(role)
    url = url_for(network)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    if expected == LOGIN:
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("login"))
    elif expected == DONE:
        assert (response.status_code, response.url.split("?")[0] != reverse("login")) == (302, True)
    else:
        assert response.status_code == expected


def test_replication_of_two_other_institutions_is_404(client, network):
    from jipp.models import Role
    from tests.factories import InstitutionFactory, user_with_role

    stranger = user_with_role(Role.OPERATOR, username="op3", institution=InstitutionFactory(code="ketiga"))
    client.force_login(stranger)
    response = client.get(reverse("innovations:replication_detail", kwargs={"pk": network["replication"].pk}))
    assert response.status_code == 404


def test_agreement_document_of_two_other_institutions_is_404(client, network):
    from jipp.models import Role
    from tests.factories import InstitutionFactory, user_with_role

    agreement_attached(network["replication"])
    stranger = user_with_role(Role.OPERATOR, username="op3", institution=InstitutionFactory(code="ketiga"))
    client.force_login(stranger)
    response = client.get(reverse("innovations:replication_document", kwargs={"pk": network["replication"].pk}))
    assert response.status_code == 404
