"""Maturity pages: answering a year, and the year-on-year chart with its table."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from jipp.models import MaturityAnswer, MaturityAssessment, MaturityQuestion

pytestmark = pytest.mark.django_db

SCORES_2024 = {"perencanaan": 40.0, "pelembagaan": 50.0, "penyebarluasan": 60.0, "evaluasi": 30.0, "overall": 45.0}
SCORES_2025 = {"perencanaan": 62.5, "pelembagaan": 70.0, "penyebarluasan": 80.0, "evaluasi": 55.0, "overall": 66.9}


def submitted(hub, year, scores):
    return MaturityAssessment.objects.create(
        hub=hub, year=year, status="submitted", submitted_at=timezone.now(), scores=scores
    )


def overview(client):
    with translation.override("en"):
        return client.get(reverse("jipp:maturity_overview", kwargs={"slug": "sulawesi-barat"}))


def test_maturity_overview_compares_submitted_years_in_a_table(client, operator, hub_network):
    submitted(hub_network, 2024, SCORES_2024)
    submitted(hub_network, 2025, SCORES_2025)
    MaturityAssessment.objects.create(hub=hub_network, year=2026)
    client.force_login(operator)
    table = overview(client).content.decode().split('data-testid="maturity-table"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><th scope=\"row\">([^<]+)</th>((?:<td>[^<]*</td>)+)</tr>", table)
    cells = {label: re.findall(r"<td>([^<]*)</td>", tds) for label, tds in rows}
    assert re.findall(r'<th scope="col">(\d{4})</th>', table) == ["2024", "2025"]
    assert (cells["Planning (perencanaan)"], cells["Overall"]) == (["40.0", "62.5"], ["45.0", "66.9"])


def test_maturity_overview_chart_draws_a_bar_per_aspect_and_year_without_style_or_script(client, operator, hub_network):
    submitted(hub_network, 2024, SCORES_2024)
    submitted(hub_network, 2025, SCORES_2025)
    client.force_login(operator)
    page = overview(client).content.decode()
    svg = page.split('role="img"')[1].split("</svg>")[0]
    assert (svg.count("<rect"), "style=" in svg, "<script" in svg) == (10, False, False)


def test_maturity_overview_chart_bar_heights_follow_the_scores(client, operator, hub_network):
    submitted(hub_network, 2025, {**SCORES_2025, "penyebarluasan": 100.0, "evaluasi": 50.0})
    client.force_login(operator)
    heights = [
        float(h)
        for h in re.findall(
            r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', overview(client).content.decode()
        )
    ]
    assert heights[2] == 2 * heights[3]


def test_maturity_overview_chart_numbers_are_not_localised_in_indonesian(client, operator, hub_network):
    submitted(hub_network, 2025, SCORES_2025)
    client.force_login(operator)
    page = client.get(reverse("jipp:maturity_overview", kwargs={"slug": hub_network.slug})).content.decode()
    attributes = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', page)
    assert attributes and all("," not in value for bar in attributes for value in bar)


def test_maturity_overview_queries_do_not_grow_with_years(client, operator, hub_network):
    submitted(hub_network, 2020, SCORES_2024)
    client.force_login(operator)
    with CaptureQueriesContext(connection) as before:
        overview(client)
    for year in range(2021, 2026):
        submitted(hub_network, year, SCORES_2025)
    with CaptureQueriesContext(connection) as after:
        overview(client)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_maturity_start_opens_the_year_for_answers(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    response = client.post(reverse("jipp:maturity_overview", kwargs={"slug": hub_network.slug}), {"year": "2025"})
    assert response["Location"] == reverse("jipp:maturity_assessment", kwargs={"slug": hub_network.slug, "year": 2025})


def test_maturity_assessment_page_saves_answers_with_evidence(client, hub_admin, hub_network):
    assessment = MaturityAssessment.objects.create(hub=hub_network, year=2025)
    question = MaturityQuestion.objects.filter(active=True).first()
    best = question.options.order_by("-score").first()
    client.force_login(hub_admin)
    client.post(
        reverse("jipp:maturity_assessment", kwargs={"slug": hub_network.slug, "year": 2025}),
        {
            f"option_{question.pk}": best.pk,
            f"note_{question.pk}": "RPJMD 2025-2029",
            f"evidence_{question.pk}": SimpleUploadedFile("rpjmd.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    answer = MaturityAnswer.objects.get(assessment=assessment)
    assert (answer.option, answer.note, answer.evidence_name) == (best, "RPJMD 2025-2029", "rpjmd.pdf")


def test_maturity_assessment_page_refused_evidence_explains_and_keeps_the_note(client, hub_admin, hub_network):
    MaturityAssessment.objects.create(hub=hub_network, year=2025)
    question = MaturityQuestion.objects.filter(active=True).first()
    client.force_login(hub_admin)
    with translation.override("en"):
        response = client.post(
            reverse("jipp:maturity_assessment", kwargs={"slug": hub_network.slug, "year": 2025}),
            {
                f"option_{question.pk}": question.options.first().pk,
                f"note_{question.pk}": "Catatan panjang",
                f"evidence_{question.pk}": SimpleUploadedFile("x.pdf", b"MZ\x90\x00"),
            },
        )
    assert "Its content was checked, not its name" in response.content.decode()
    assert response.context["form"][f"note_{question.pk}"].value() == "Catatan panjang"


def test_maturity_assessment_page_is_read_only_for_members(client, operator, hub_network):
    MaturityAssessment.objects.create(hub=hub_network, year=2025)
    client.force_login(operator)
    page = client.get(reverse("jipp:maturity_assessment", kwargs={"slug": hub_network.slug, "year": 2025}))
    assert (page.context["editable"], 'type="radio"' in page.content.decode()) == (False, False)


def test_maturity_submit_with_unanswered_questions_says_how_many(client, hub_admin, hub_network):
    MaturityAssessment.objects.create(hub=hub_network, year=2025)
    client.force_login(hub_admin)
    with translation.override("en"):
        response = client.post(
            reverse("jipp:maturity_submit", kwargs={"slug": hub_network.slug, "year": 2025}), follow=True
        )
    count = MaturityQuestion.objects.filter(active=True).count()
    assert f"Answer every question before submitting: {count} still unanswered." in response.content.decode()


def test_maturity_year_of_another_hub_is_not_found(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    response = client.get(reverse("jipp:maturity_assessment", kwargs={"slug": hub_network.slug, "year": 1999}))
    assert response.status_code == 404
