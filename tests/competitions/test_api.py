"""/api/v1/competitions/: published results only, never a score, rank or note; public and throttled."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competitions.services.decisions import decisions_mark
from competitions.services.results import results_publish
from tests.competitions.factories_results import ranked_edition

pytestmark = pytest.mark.django_db

EDITIONS_URL = "/api/v1/competitions/"


def results_url(year):
    return f"/api/v1/competitions/{year}/results/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def decide(ranked, by, stage, outcomes):
    for entry, outcome in zip(ranked.entries, outcomes, strict=False):
        decisions_mark(stage=stage, by=by, entry_ids=[entry.pk], outcome=outcome, note="catatan rahasia TPI")


@pytest.fixture
def announced(ministry_admin):
    ranked = ranked_edition(totals=("91.25", "80", "70"))
    decide(ranked, ministry_admin, ranked.finalist, ["finalist", "top99", "eliminated"])
    results_publish(stage=ranked.finalist, by=ministry_admin)
    return ranked


def test_api_editions_list_only_editions_with_published_results(client, announced, ministry_admin):
    hidden = ranked_edition(year=2046, totals=("99",))
    decide(hidden, ministry_admin, hidden.finalist, ["finalist"])
    body = client.get(EDITIONS_URL).json()
    assert [(edition["year"], [stage["stage"] for stage in edition["published"]]) for edition in body] == [
        (2045, ["finalist_decision"])
    ]


def test_api_editions_link_to_the_results(client, announced):
    [edition] = client.get(EDITIONS_URL).json()
    assert (edition["results"], edition["page"]) == (
        "http://testserver/api/v1/competitions/2045/results/",
        "http://testserver/kipp/2045/",
    )


def test_api_results_list_the_published_finalists(client, announced):
    body = client.get(results_url(2045)).json()
    [stage] = body["stages"]
    first = stage["results"][0]
    innovation = announced.entries[1].innovation
    assert (
        body["year"],
        stage["stage"],
        [(result["entry"], result["outcome"]) for result in stage["results"]],
        first["group"],
        first["category"],
        first["title"],
        first["institution"]["name"],
        first["region"]["bps_code"],
        first["innovation"],
    ) == (
        2045,
        "finalist_decision",
        [("KIPP-2045-0002", "top99"), ("KIPP-2045-0001", "finalist")],
        "umum",
        {"code": 1, "name_id": "Pelayanan kesehatan", "name_en": "Health services"},
        innovation.title,
        announced.entries[1].institution.name,
        "7601",
        f"http://testserver/inovasi/{innovation.slug}/",
    )


def test_api_results_carry_no_score_rank_or_note(client, announced):
    raw = client.get(results_url(2045)).content.decode()
    assert ("91.25" in raw, '"score"' in raw, '"rank"' in raw, "catatan rahasia" in raw) == (False, False, False, False)


def test_api_results_of_an_unpublished_edition_are_not_found(client, ministry_admin):
    ranked = ranked_edition(totals=("90",))
    decide(ranked, ministry_admin, ranked.finalist, ["finalist"])
    response = client.get(results_url(2045))
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


def test_api_results_of_a_draft_edition_are_not_found(client, announced):
    type(announced.edition).objects.filter(pk=announced.edition.pk).update(status="draft")
    assert (client.get(results_url(2045)).status_code, client.get(EDITIONS_URL).json()) == (404, [])


def test_api_results_ignore_a_session(client, announced, ministry_admin):
    ranked = ranked_edition(year=2046, totals=("90",))
    decide(ranked, ministry_admin, ranked.finalist, ["finalist"])
    client.force_login(ministry_admin)
    assert client.get(results_url(2046)).status_code == 404


def test_api_results_query_count_does_not_grow(client, ministry_admin):
    small = ranked_edition(year=2050, totals=("90",))
    large = ranked_edition(year=2051, totals=("90", "80", "70", "60", "50"))
    for ranked in (small, large):
        decide(ranked, ministry_admin, ranked.finalist, ["finalist"] * len(ranked.entries))
        results_publish(stage=ranked.finalist, by=ministry_admin)
    counts = []
    for year in (2050, 2051):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(results_url(year)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_api_editions_query_count_does_not_grow(client, ministry_admin):
    counts = []
    for year in (2050, 2051, 2052):
        ranked = ranked_edition(year=year, totals=("90",))
        decide(ranked, ministry_admin, ranked.finalist, ["finalist"])
        results_publish(stage=ranked.finalist, by=ministry_admin)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(EDITIONS_URL).status_code == 200
        counts.append(len(queries))
    assert counts == [counts[0]] * 3


def test_api_results_are_throttled_for_anonymous_clients(client, announced, monkeypatch, throttle_clock):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "2/minute"})
    statuses = [client.get(results_url(2045)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_api_schema_documents_the_competition_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert sorted(path for path in schema["paths"] if "competitions" in path) == [
        "/api/v1/competitions/",
        "/api/v1/competitions/{year}/results/",
    ]
