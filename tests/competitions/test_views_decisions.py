"""The secretariat's decision pages, objections and exports: every URL x every role, what a preview
and a confirmation do, and the number of queries of the ranked table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competitions.models import Decision, Entry
from competitions.services.decisions import decisions_mark
from competitions.services.results import results_publish
from tests.competitions.factories_results import ObjectionFactory, ranked_edition

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "operator", "other_operator", "hub_admin", "reviewer", "panelist", "ministry_admin"]
SECRETARIAT_ONLY = [302, 403, 403, 403, 403, 403, 200]
SECRETARIAT_POSTS = [302, 403, 403, 403, 403, 403, 302]


@pytest.fixture
def ranked(db):
    return ranked_edition(totals=("90", "80", "70", "60"))


@pytest.fixture
def sign_in(client, request):
    def as_role(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return as_role


def stage_url(ranked, kind="finalist_decision", name="decision_stage"):
    return reverse(f"competitions:{name}", kwargs={"year": ranked.edition.year, "kind": kind})


def _urls(ranked):
    year = ranked.edition.year
    objection = ObjectionFactory(entry=ranked.entries[0])
    return {
        "overview": reverse("competitions:decision_overview", kwargs={"year": year}),
        "stage": stage_url(ranked),
        "final": stage_url(ranked, "final_decision"),
        "objections": reverse("competitions:objection_list", kwargs={"year": year}),
        "answer": reverse("competitions:objection_answer", kwargs={"pk": objection.pk}),
        "reviews_csv": reverse("competitions:export", kwargs={"year": year, "what": "ulasan", "fmt": "csv"}),
        "reviews_xlsx": reverse("competitions:export", kwargs={"year": year, "what": "ulasan", "fmt": "xlsx"}),
        "scores_csv": reverse("competitions:export", kwargs={"year": year, "what": "nilai", "fmt": "csv"}),
        "scores_xlsx": reverse("competitions:export", kwargs={"year": year, "what": "nilai", "fmt": "xlsx"}),
    }


GET_MATRIX = [
    ("overview", SECRETARIAT_ONLY),
    ("stage", SECRETARIAT_ONLY),
    ("final", SECRETARIAT_ONLY),
    ("objections", SECRETARIAT_ONLY),
    ("answer", SECRETARIAT_ONLY),
    ("reviews_csv", SECRETARIAT_ONLY),
    ("reviews_xlsx", SECRETARIAT_ONLY),
    ("scores_csv", SECRETARIAT_ONLY),
    ("scores_xlsx", SECRETARIAT_ONLY),
]


def _cases(matrix):
    return [
        pytest.param(name, role, expected, id=f"{name}-{role}")
        for name, statuses in matrix
        for role, expected in zip(ROLES, statuses, strict=True)
    ]


@pytest.mark.parametrize(("name", "role", "expected"), _cases(GET_MATRIX))
def test_decision_pages_get_permission_matrix(sign_in, ranked, name, role, expected):
    assert sign_in(role).get(_urls(ranked)[name]).status_code == expected


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [302, 403, 403, 403, 403, 403, 302], strict=True)))
def test_decision_confirm_permission_matrix(sign_in, ranked, role, expected):
    data = {"mode": "top", "top": "2", "outcome": "finalist", "action": "confirm"}
    response = sign_in(role).post(stage_url(ranked), data)
    decided = Decision.objects.count()
    assert (response.status_code, decided) == (expected, 2 if role == "ministry_admin" else 0)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, SECRETARIAT_POSTS, strict=True)))
def test_results_publish_permission_matrix(sign_in, ranked, ministry_admin, role, expected):
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome="finalist")
    response = sign_in(role).post(stage_url(ranked, name="results_publish"))
    ranked.finalist.refresh_from_db()
    assert (response.status_code, ranked.finalist.results_published) == (expected, role == "ministry_admin")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, SECRETARIAT_POSTS, strict=True)))
def test_objection_answer_permission_matrix(sign_in, ranked, role, expected):
    objection = ObjectionFactory(entry=ranked.entries[0])
    response = sign_in(role).post(
        reverse("competitions:objection_answer", kwargs={"pk": objection.pk}), {"answer": "Ok"}
    )
    objection.refresh_from_db()
    assert (response.status_code, objection.answer) == (expected, "Ok" if role == "ministry_admin" else "")


def test_decision_stage_of_a_scoring_stage_is_not_found(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    assert client.get(stage_url(ranked, "desk_evaluation")).status_code == 404


def test_decision_stage_lists_the_ranking_in_order(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    response = client.get("/en" + stage_url(ranked))
    codes = [row.entry.code for row in response.context["rows"]]
    assert codes == [entry.code for entry in ranked.entries]


def test_decision_stage_filters_by_group(client, ministry_admin):
    ranked = ranked_edition(totals=("90", "80", "70"), groups=("umum", "replikasi", "umum"))
    client.force_login(ministry_admin)
    response = client.get(stage_url(ranked), {"group": "umum"})
    assert [(row.position, row.entry.number) for row in response.context["rows"]] == [(1, 1), (2, 3)]


def test_decision_preview_shows_the_cut_and_decides_nothing(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    data = {"mode": "grade", "grade": "75", "outcome": "finalist", "rest_eliminated": "on", "action": "preview"}
    response = client.post("/en" + stage_url(ranked), data)
    html = response.text
    assert (
        response.status_code,
        response.context["proposed"],
        response.context["below"],
        "2 entries would become “Finalist”." in html,
        Decision.objects.count(),
    ) == (
        200,
        {ranked.entries[0].pk, ranked.entries[1].pk},
        {ranked.entries[2].pk, ranked.entries[3].pk},
        True,
        0,
    )


def test_decision_confirm_marks_the_ticked_entries(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    data = {"mode": "ticked", "entries": [ranked.entries[2].pk], "outcome": "top99", "action": "confirm"}
    response = client.post(stage_url(ranked), data)
    assert (response.status_code, list(Decision.objects.values_list("entry__number", "outcome"))) == (
        302,
        [(3, "top99")],
    )


def test_decision_form_without_n_keeps_what_was_typed(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    data = {"mode": "top", "top": "", "outcome": "finalist", "note": "Rapat TPI", "action": "confirm"}
    response = client.post("/en" + stage_url(ranked), data)
    assert (
        response.status_code,
        "Give N, the number of entries from the top." in response.text,
        "Rapat TPI" in response.text,
        Decision.objects.count(),
    ) == (422, True, True, 0)


def test_decision_stage_after_final_publication_offers_no_form(client, ranked, ministry_admin):
    decisions_mark(stage=ranked.final, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome="top45")
    results_publish(stage=ranked.final, by=ministry_admin)
    client.force_login(ministry_admin)
    response = client.get("/en" + stage_url(ranked, "final_decision"))
    assert (response.context["locked"], 'name="action"' in response.text) == (True, False)


def test_results_publish_view_announces_the_finalists(client, ranked, ministry_admin):
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome="finalist")
    client.force_login(ministry_admin)
    client.post(stage_url(ranked, name="results_publish"))
    ranked.entries[0].refresh_from_db()
    assert ranked.entries[0].status == Entry.Status.FINALIST


def test_results_publish_view_without_decisions_says_why(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    response = client.post("/en" + stage_url(ranked, name="results_publish"), follow=True)
    assert "No entry has a decision yet" in response.text


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_decision_stage_query_count_does_not_grow_with_entries(client, ministry_admin):
    small = ranked_edition(year=2050, totals=("90", "80"))
    large = ranked_edition(year=2051, totals=("90", "80", "70", "60", "50", "40"))
    for ranked in (small, large):
        decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome="finalist")
    client.force_login(ministry_admin)
    assert _queries(client, stage_url(small)) == _queries(client, stage_url(large))


def test_objection_list_query_count_does_not_grow(client, ministry_admin):
    ranked = ranked_edition(totals=("90", "80", "70"))
    client.force_login(ministry_admin)
    url = reverse("competitions:objection_list", kwargs={"year": ranked.edition.year})
    ObjectionFactory(entry=ranked.entries[0])
    few = _queries(client, url)
    for entry in ranked.entries:
        ObjectionFactory(entry=entry, answer="Dijawab", answered_by=ministry_admin, answered_at=entry.created_at)
    assert few == _queries(client, url)


def test_decision_overview_counts_the_decisions(client, ranked, ministry_admin):
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome="finalist")
    client.force_login(ministry_admin)
    response = client.get("/en" + reverse("competitions:decision_overview", kwargs={"year": ranked.edition.year}))
    assert response.context["stages"][0]["counts"] == [("Finalist", 1)]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_decision_pages_render_in_both_languages(client, ranked, ministry_admin, prefix):
    client.force_login(ministry_admin)
    lang = 'lang="en"' if prefix else 'lang="id"'
    pages = [stage_url(ranked), reverse("competitions:decision_overview", kwargs={"year": ranked.edition.year})]
    assert [lang in client.get(prefix + url).text for url in pages] == [True, True]
