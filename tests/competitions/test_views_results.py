"""The public KIPP pages: results only once published and never a score, objections, certificates
and their check, the home page's KIPP section; every URL x every role; queries that do not grow."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from competitions.models import Certificate, Decision, Objection, Stage
from competitions.services.decisions import decisions_mark
from competitions.services.results import results_publish
from innovations.models import State
from tests.catalog.html import select, select_one, text
from tests.competitions.factories_results import ranked_edition

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "operator", "other_operator", "hub_admin", "reviewer", "panelist", "ministry_admin"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ranked(db):
    return ranked_edition(totals=("91.5", "80", "70", "60"))


def decide(ranked, by, stage, outcomes):
    for entry, outcome in zip(ranked.entries, outcomes, strict=False):
        decisions_mark(stage=stage, by=by, entry_ids=[entry.pk], outcome=outcome)


@pytest.fixture
def announced(ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist", "top99", "eliminated"])
    results_publish(stage=ranked.finalist, by=ministry_admin)
    return ranked


@pytest.fixture
def finished(announced, ministry_admin, operator):
    # The winner belongs to the operator's institution, so the certificate is theirs to download.
    winner = announced.entries[0]
    winner.institution = operator.institution
    winner.save(update_fields=["institution"])
    decide(announced, ministry_admin, announced.final, ["top45", "top99"])
    results_publish(stage=announced.final, by=ministry_admin)
    return announced


def results_url(ranked):
    return reverse("competitions:results", kwargs={"year": ranked.edition.year})


def english(client, url):
    return client.get("/en" + url)


# --- Invisible until published -------------------------------------------------------------------


def test_results_page_is_not_found_before_publication(client, ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist", "finalist"])
    assert client.get(results_url(ranked)).status_code == 404


def test_results_index_leaves_out_editions_without_a_published_result(client, ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist"])
    other = ranked_edition(year=2046, totals=("88",))
    decide(other, ministry_admin, other.finalist, ["finalist"])
    results_publish(stage=other.finalist, by=ministry_admin)
    response = english(client, reverse("competitions:results_index"))
    assert [edition.year for edition in response.context["editions"]] == [2046]


def test_results_page_lists_finalists_but_not_the_eliminated(client, announced):
    html = english(client, results_url(announced)).text
    section = select_one(html, "section[aria-labelledby=result-finalist_decision]")
    codes = [entry.code for entry in announced.entries]
    assert [code in text(section) for code in codes] == [True, True, False, False]


def test_results_page_never_shows_a_score_or_rank(client, announced):
    html = english(client, results_url(announced)).text
    assert ("91.5" in html, "91,5" in html, "Rank" in html, "Score" in html) == (False, False, False, False)


def test_results_page_links_published_records_only(client, announced):
    first, second = announced.entries[0], announced.entries[1]
    type(second.innovation).objects.filter(pk=second.innovation.pk).update(state=State.ARCHIVED)
    html = english(client, results_url(announced)).text
    links = [link.get("href") for link in select(html, ".results-list a[lang=id]")]
    with override("en"):
        expected = [first.innovation.get_absolute_url()]
    unlinked = [text(span) for span in select(html, ".results-list span[lang=id]") if text(span) == second.title]
    assert (links, unlinked) == (expected, [second.title])


def test_results_page_groups_by_group_and_category(client, ministry_admin):
    ranked = ranked_edition(totals=("90", "80"), groups=("umum", "replikasi"))
    decide(ranked, ministry_admin, ranked.finalist, ["finalist", "finalist"])
    results_publish(stage=ranked.finalist, by=ministry_admin)
    html = english(client, results_url(ranked)).text
    headings = [text(heading) for heading in select(html, "section h3, section h4")]
    assert headings == ["General (umum)", "Health services", "Replication (replikasi)", "Health services"]


def test_results_page_after_the_final_shows_the_final_result_first(client, finished):
    html = english(client, results_url(finished)).text
    assert [text(heading).split(" (")[0] for heading in select(html, "section h2")] == ["Final result", "Finalists"]


def test_results_page_offers_objections_while_the_window_is_open(client, announced):
    html = english(client, results_url(announced)).text
    with override("en"):
        url = objection_url(announced)
    assert url in [link.get("href") for link in select(html, "a")]


def test_results_page_offers_no_objection_after_the_window(client, announced):
    now = timezone.now()
    Stage.objects.filter(pk=announced.finalist.pk).update(
        announced_at=now - timedelta(days=6), objections_close_at=now - timedelta(days=1)
    )
    html = english(client, results_url(announced)).text
    assert "/keberatan/" not in html


def test_draft_edition_results_stay_hidden_even_if_published(client, announced):
    type(announced.edition).objects.filter(pk=announced.edition.pk).update(status="draft")
    assert client.get(results_url(announced)).status_code == 404


# --- Objections ------------------------------------------------------------------------------------


def objection_url(ranked, number=1):
    return reverse("competitions:objection_create", kwargs={"year": ranked.edition.year, "number": number})


OBJECTION = {"name": "Warga Majene", "email": "warga@example.com", "phone": "", "text": "Belum berjalan."}


def test_objection_form_files_an_objection(client, announced):
    response = client.post(objection_url(announced), OBJECTION)
    assert (response.status_code, list(Objection.objects.values_list("entry__number", "name"))) == (
        302,
        [(1, "Warga Majene")],
    )


def test_objection_form_cleans_control_characters(client, announced):
    client.post(objection_url(announced), {**OBJECTION, "text": "Baris satu\x0bbaris dua\x00"})
    assert Objection.objects.get().text == "Baris satu\nbaris dua"


def test_objection_form_without_contact_keeps_the_text(client, announced):
    response = client.post("/en" + objection_url(announced), {**OBJECTION, "email": ""})
    assert (
        response.status_code,
        "Give an e-mail address or a telephone number." in response.text,
        "Belum berjalan." in response.text,
        Objection.objects.count(),
    ) == (422, True, True, 0)


def test_objection_form_is_rate_limited_per_address(client, announced):
    for _ in range(5):
        client.post(objection_url(announced), OBJECTION)
    response = client.post("/en" + objection_url(announced), OBJECTION)
    assert (response.status_code, "Too many objections" in response.text, Objection.objects.count()) == (429, True, 5)


def test_objection_form_for_an_entry_that_is_no_finalist_is_not_found(client, announced):
    assert client.get(objection_url(announced, number=3)).status_code == 404


def test_objection_form_before_the_announcement_is_not_found(client, ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist"])
    assert client.get(objection_url(ranked)).status_code == 404


def test_objection_form_after_the_window_accepts_nothing(client, announced):
    now = timezone.now()
    Stage.objects.filter(pk=announced.finalist.pk).update(
        announced_at=now - timedelta(days=6), objections_close_at=now - timedelta(days=1)
    )
    response = client.post("/en" + objection_url(announced), OBJECTION)
    assert ("The objection window closed" in response.text, Objection.objects.count()) == (True, 0)


# --- Certificates ----------------------------------------------------------------------------------


def test_certificate_check_confirms_a_real_code(client, finished):
    certificate = Certificate.objects.get()
    response = english(client, reverse("competitions:certificate_check", kwargs={"code": certificate.code}))
    body = text(select_one(response.text, "main"))
    assert (response.status_code, f"Certificate {certificate.code} is genuine." in body, "Top 45" in body) == (
        200,
        True,
        True,
    )


def test_certificate_check_of_an_unknown_code_says_so(client, finished):
    response = english(client, reverse("competitions:certificate_check", kwargs={"code": "ZZZZZZZZZZZZ"}))
    assert (response.status_code, "No certificate has the code ZZZZZZZZZZZZ." in response.text) == (404, True)


def test_certificate_verify_form_forgives_case_and_spaces(client, finished):
    certificate = Certificate.objects.get()
    typed = f" {certificate.code[:6].lower()} {certificate.code[6:]} "
    response = client.get(reverse("competitions:certificate_verify"), {"code": typed})
    assert response.url == reverse("competitions:certificate_check", kwargs={"code": certificate.code})


def certificate_download_url(ranked, outcome="top45"):
    return reverse("competitions:certificate_download", kwargs={"pk": ranked.entries[0].pk, "outcome": outcome})


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [302, 200, 404, 200, 404, 404, 200], strict=True)))
def test_certificate_download_permission_matrix(client, request, finished, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(certificate_download_url(finished))
    assert response.status_code == expected


def test_certificate_download_is_a_pdf_with_its_verification_code(client, finished, operator):
    from pypdf import PdfReader

    client.force_login(operator)
    with override("en"):
        response = client.get(certificate_download_url(finished))
    content = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    code = Certificate.objects.get().code
    assert (response["Content-Type"], code in content, "Top 45" in content) == ("application/pdf", True, True)


def test_certificate_download_of_a_non_winner_is_not_found(client, finished, ministry_admin):
    client.force_login(ministry_admin)
    url = reverse("competitions:certificate_download", kwargs={"pk": finished.entries[1].pk, "outcome": "top45"})
    assert client.get(url).status_code == 404


# --- Home page -------------------------------------------------------------------------------------


def home_section(client):
    return select_one(client.get("/en/").text, "section[aria-labelledby=home-kipp-title]")


def test_home_kipp_section_before_any_publication_says_results_will_appear(client, ranked, ministry_admin):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist"])
    section = home_section(client)
    assert (
        "will appear here once the secretariat publishes them" in text(section),
        ranked.entries[0].title in text(section),
    ) == (True, False)


def test_home_kipp_section_shows_the_latest_published_result(client, finished):
    section = home_section(client)
    assert (
        "The final result of KIPP 2045:" in text(section),
        [text(link) for link in select(section, "a[lang=id]")],
    ) == (True, [finished.entries[0].innovation.title, finished.entries[1].innovation.title])


# --- Permission matrix of the public pages ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_open_for_every_role(client, request, finished, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    certificate = Certificate.objects.get()
    urls = [
        reverse("competitions:results_index"),
        results_url(finished),
        reverse("competitions:certificate_verify"),
        reverse("competitions:certificate_check", kwargs={"code": certificate.code}),
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200, 200]


@pytest.mark.parametrize("role", ROLES)
def test_objection_form_opens_for_every_role(client, request, announced, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(objection_url(announced)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_unpublished_results_are_not_found_for_every_role(client, request, ranked, ministry_admin, role):
    decide(ranked, ministry_admin, ranked.finalist, ["finalist"])
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(results_url(ranked)).status_code == 404


# --- Queries ---------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_results_page_query_count_does_not_grow_with_entries(client, ministry_admin):
    small = ranked_edition(year=2050, totals=("90",))
    large = ranked_edition(year=2051, totals=("90", "80", "70", "60", "50"), groups=("umum", "replikasi"))
    for ranked in (small, large):
        decide(ranked, ministry_admin, ranked.finalist, ["finalist"] * len(ranked.entries))
        results_publish(stage=ranked.finalist, by=ministry_admin)
    assert _queries(client, results_url(small)) == _queries(client, results_url(large))


def test_results_index_query_count_does_not_grow_with_editions(client, ministry_admin):
    first = ranked_edition(year=2050, totals=("90",))
    decide(first, ministry_admin, first.finalist, ["finalist"])
    results_publish(stage=first.finalist, by=ministry_admin)
    few = _queries(client, reverse("competitions:results_index"))
    for year in (2051, 2052):
        more = ranked_edition(year=year, totals=("90",))
        decide(more, ministry_admin, more.finalist, ["finalist"])
        results_publish(stage=more.finalist, by=ministry_admin)
    assert few == _queries(client, reverse("competitions:results_index"))


def test_home_query_count_does_not_grow_with_the_latest_result(client, ministry_admin):
    small = ranked_edition(year=2050, totals=("90",))
    decide(small, ministry_admin, small.finalist, ["finalist"])
    results_publish(stage=small.finalist, by=ministry_admin)
    few = _queries(client, "/")
    large = ranked_edition(year=2051, totals=("90", "80", "70", "60"))
    decide(large, ministry_admin, large.finalist, ["finalist"] * 4)
    results_publish(stage=large.finalist, by=ministry_admin)
    assert few == _queries(client, "/")


@pytest.mark.parametrize(("prefix", "lang"), [("", "id"), ("/en", "en")])
def test_public_pages_render_in_both_languages(client, finished, prefix, lang):
    urls = [reverse("competitions:results_index"), results_url(finished), objection_url(finished)]
    assert [f'<html lang="{lang}">' in client.get(prefix + url).text for url in urls] == [True, True, True]


def test_results_count_of_decisions_is_what_the_page_lists(client, finished):
    response = english(client, results_url(finished))
    counts = [section.count for section in response.context["sections"]]
    published = Decision.objects.exclude(outcome="eliminated").count()
    assert (counts, sum(counts)) == ([2, 2], published)


def test_entry_page_links_the_winners_certificate(client, finished, operator):
    client.force_login(operator)
    entry = finished.entries[0]
    html = client.get("/en" + reverse("competitions:entry_detail", kwargs={"pk": entry.pk})).text
    with override("en"):
        url = certificate_download_url(finished)
    assert [link.get("href") for link in select(html, "main a") if "sertifikat" in link.get("href", "")] == [url]
