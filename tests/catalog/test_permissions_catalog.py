"""Every public URL of the catalogue x every role: all of them open to everybody, signed in or not;
unpublished records are a 404 for everybody on the public pages (staff use their own pages)."""

import pytest

from innovations.models import State
from tests.catalog.factories import InnovationFactory
from tests.conftest import ROLE_FIXTURES, module_fixture, module_people

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/inovasi/",
    "/en/inovasi/",
    "/inovasi/feed/",
    "/inovasi/{slug}/",
    "/en/inovasi/{slug}/",
    "/inovasi/{slug}/pdf/",
    "/statistik/",
    "/en/statistik/",
    "/statistik/regency.csv",
    "/statistik/replications.csv",
    "/api/v1/",
    "/api/v1/innovations/",
    "/api/v1/innovations/{slug}/",
    "/api/v1/regions/",
    "/api/v1/regions/7601/",
    "/api/v1/institutions/",
    "/api/schema/",
    "/api/docs/",
    "/api/redoc/",
    "/sitemap.xml",
    "/robots.txt",
]
ROLES = [*ROLE_FIXTURES, "other_operator"]

# Every test reads the same people and records.
globals().update(module_people())


@module_fixture
def records(operator):
    return {
        "published": InnovationFactory(slug="terbit-untuk-semua"),
        "draft": InnovationFactory(slug="draf-milik-operator", state=State.DRAFT, institution=operator.institution),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_catalog_public_url_open_to_every_role(client_as, role, url, records):
    response = client_as(role).get(url.format(slug=records["published"].slug))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/inovasi/{slug}/", "/inovasi/{slug}/pdf/", "/api/v1/innovations/{slug}/"])
def test_catalog_draft_is_not_public_for_any_role(client_as, role, url, records):
    response = client_as(role).get(url.format(slug=records["draft"].slug))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_catalog_institution_detail_open_to_every_role(client_as, role, institution):
    response = client_as(role).get(f"/api/v1/institutions/{institution.code}/")
    assert response.status_code == 200
