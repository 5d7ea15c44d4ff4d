"""The OpenAPI schema is the API's contract: what it declares is what the API accepts and answers."""

import datetime
import io

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from innovations.models import SDG, Category, Evidence, State, SustainabilityUpdate
from jipp.models import Region
from tests.catalog.factories import AwardFactory, InnovationFactory, ReplicationFactory

pytestmark = pytest.mark.django_db

# Every check schemathesis has, over its examples, coverage and fuzzing phases, positive and negative
# data; bounded and derandomized so that the run is short and, for a given commit, the same on every
# machine (Hypothesis and schemathesis also draw words from the project's code, so a code change can
# change the requests). The stateful checks and the authentication ones have nothing to act on in a
# read-only API that reads no credentials.
SCHEMATHESIS_CONFIG = {
    "seed": 20250318,
    "generation": {"mode": "all", "max-examples": 15, "deterministic": True},
    "checks": {"enabled": True},
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True}},
}


def _schema(client, **params):
    return client.get("/api/schema/", {"format": "json", **params}).json()


def _list_parameters(schema):
    return {parameter["name"]: parameter for parameter in schema["paths"]["/api/v1/innovations/"]["get"]["parameters"]}


def published_records():
    """A record with every field and relation filled, one with every optional field empty, a replica
    and a draft: the shapes the API answers with."""
    full = InnovationFactory(
        slug="contoh-skema",
        sdgs=[3, 5],
        initiator="kepala_daerah",
        trial_date=datetime.date(2022, 1, 10),
        budget=175_000_000,
        budget_source="apbd",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        sustainability_status="berlanjut",
    )
    full.categories.set(Category.objects.all()[:2])
    AwardFactory(innovation=full)
    Evidence.objects.create(
        innovation=full,
        kind=Evidence.Kind.DOCUMENT,
        file="evidence/sk.pdf",
        caption="SK",
        original_name="sk.pdf",
        content_type="application/pdf",
        size=10,
    )
    SustainabilityUpdate.objects.create(innovation=full, year=2024, status="berlanjut")
    replica = InnovationFactory(slug="contoh-replika")
    ReplicationFactory(origin=full, institution=replica.institution, replica=replica)
    ReplicationFactory(origin=full)
    InnovationFactory(slug="contoh-kosong", implementation_date=None, summary="")
    InnovationFactory(slug="contoh-draf", state=State.DRAFT, published_at=None)
    return full


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly would close the test's database connection after each request,
    as in production; Django's test client avoids that the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(db):
    return published_records()


@pytest.fixture
def api_schema(records, keep_test_connection, request):
    from jipp.wsgi import application

    # schemathesis 4.32's fixture loader renames the test through Node._nodeid, gone in pytest 9.
    request.node._nodeid = request.node.nodeid
    config = SchemathesisConfig.from_dict(SCHEMATHESIS_CONFIG)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_conforms_to_its_schema(case):
    cache.clear()  # the generated requests must not hit the anonymous rate limit
    case.call_and_validate()


def test_api_schemathesis_run_enables_every_check():
    load_all_checks()
    checks = SchemathesisConfig.from_dict(SCHEMATHESIS_CONFIG).projects.get_default().checks
    disabled = [name for name in CHECKS.get_all_names() if not checks.get_by_name(name=name).enabled]
    assert disabled == []


@pytest.mark.parametrize(
    ("path", "identifier"),
    [
        ("/api/v1/innovations/{slug}/", {"slug": "contoh-skema"}),
        ("/api/v1/innovations/{slug}/", {"slug": "contoh-replika"}),
        ("/api/v1/innovations/{slug}/", {"slug": "contoh-kosong"}),
        ("/api/v1/regions/{bps_code}/", {"bps_code": "7601"}),
        ("/api/v1/regions/{bps_code}/", {"bps_code": "76"}),
    ],
)
def test_api_existing_records_conform_to_the_schema(api_schema, path, identifier):
    """Generated slugs rarely name a record, so each shape of record is fetched once on purpose."""
    operation = api_schema[path]["GET"]
    response = operation.Case(path_parameters=identifier).call_and_validate()
    assert response.status_code == 200


def test_api_existing_institution_conforms_to_the_schema(api_schema, records):
    case = api_schema["/api/v1/institutions/{code}/"]["GET"].Case(path_parameters={"code": records.institution.code})
    assert case.call_and_validate().status_code == 200


def test_api_schema_is_valid_openapi():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3" in out.getvalue()


def test_api_schema_declares_no_authentication_on_public_endpoints(client):
    schema = _schema(client)
    # [{}] is OpenAPI's "no credentials needed".
    schemes = {
        name
        for path in schema["paths"].values()
        for operation in path.values()
        for requirement in operation.get("security", [])
        for name in requirement
    }
    assert (schemes, "securitySchemes" in schema.get("components", {})) == (set(), False)


def test_api_schema_region_is_a_code_of_a_region(client):
    codes = {code for pair in Region.objects.values_list("bps_code", "kemendagri_code") for code in pair}
    region = _list_parameters(_schema(client))["region"]["schema"]
    assert (region["type"], set(region["enum"]), {"7601", "76.05", "76"} <= codes) == ("string", codes, True)


def test_api_schema_year_is_a_whole_number_in_range(client):
    assert _list_parameters(_schema(client))["year"]["schema"] == {"type": "integer", "minimum": 2000, "maximum": 2100}


def test_api_schema_sdg_and_category_list_what_exists(client):
    parameters = _list_parameters(_schema(client))
    assert (parameters["sdg"]["schema"], set(parameters["category"]["schema"]["enum"])) == (
        {"type": "integer", "enum": sorted(SDG.objects.values_list("number", flat=True))},
        set(Category.objects.values_list("slug", flat=True)),
    )


def test_api_schema_search_is_limited_to_200_characters(client):
    assert _list_parameters(_schema(client))["search"]["schema"] == {"type": "string", "maxLength": 200}


def test_api_schema_pages_are_whole_numbers_up_to_100_per_page(client):
    parameters = _list_parameters(_schema(client))
    assert (parameters["page"]["schema"], parameters["page_size"]["schema"]) == (
        {"type": "integer", "minimum": 1},
        {"type": "integer", "minimum": 1, "maximum": 100},
    )


def test_api_schema_empty_query_values_mean_not_given(client):
    parameters = _list_parameters(_schema(client))
    assert {name for name, parameter in parameters.items() if not parameter.get("allowEmptyValue")} == set()


def test_api_schema_documents_errors_of_every_operation(client):
    schema = _schema(client)
    documented = {
        path: {
            status: {media_type: body["schema"].get("$ref") for media_type, body in answer["content"].items()}
            for status, answer in operation["responses"].items()
            if status >= "400"
        }
        for path, item in schema["paths"].items()
        if path.startswith(("/api/v1/innovations/", "/api/v1/regions/", "/api/v1/institutions/"))
        for operation in [item["get"]]
    }
    error = {"application/json": "#/components/schemas/Error"}
    json_only = {"404": error, "429": error, "503": error}
    with_parameters = {"400": {"application/json": "#/components/schemas/ValidationError"}, **json_only}
    spreadsheets = {"text/csv": None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": None}
    assert documented == {
        "/api/v1/innovations/": {
            "400": {**with_parameters["400"], **spreadsheets},
            "404": error,
            "429": {**error, **spreadsheets},
            "503": {**error, **spreadsheets},
        },
        "/api/v1/innovations/{slug}/": json_only,
        "/api/v1/regions/": with_parameters,
        "/api/v1/regions/{bps_code}/": json_only,
        "/api/v1/institutions/": with_parameters,
        "/api/v1/institutions/{code}/": json_only,
    }


def test_api_schema_error_shapes(client):
    components = _schema(client)["components"]["schemas"]
    assert (components["Error"]["properties"], components["Error"]["required"], components["ValidationError"]) == (
        {"detail": {"type": "string"}},
        ["detail"],
        {
            "type": "object",
            "description": "Each wrong parameter with what is wrong, in the client's language.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"year": ["The year must be a number such as 2023."]},
        },
    )


def test_api_schema_rate_limit_names_retry_after(client):
    answer = _schema(client)["paths"]["/api/v1/regions/"]["get"]["responses"]["429"]
    assert answer["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def test_api_schema_offers_downloads_only_for_the_list(client):
    paths = _schema(client)["paths"]
    formats = {
        path: sorted(parameter["schema"]["enum"])
        for path in ("/api/v1/innovations/", "/api/v1/innovations/{slug}/")
        for parameter in paths[path]["get"]["parameters"]
        if parameter["name"] == "format"
    }
    assert formats == {"/api/v1/innovations/": ["csv", "json", "xlsx"]}
