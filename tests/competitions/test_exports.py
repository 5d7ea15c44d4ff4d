"""The secretariat's downloads: every review score, and every entry's score and place, as CSV and XLSX."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competitions.models import Score
from competitions.services.decisions import decisions_mark
from competitions.services.exports import REVIEW_COLUMNS, SCORE_COLUMNS
from tests.competitions.factories import CriterionFactory
from tests.competitions.factories_results import ranked_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(db):
    ranked = ranked_edition(totals=("90", "80"))
    novelty = CriterionFactory(stage=ranked.desk, name_id="Kebaruan", name_en="Novelty", weight=Decimal("2"), order=1)
    impact = CriterionFactory(stage=ranked.desk, name_id="Bermanfaat", name_en="Beneficial", order=2)
    for entry in ranked.entries:
        review = entry.assignments.get().review
        Score.objects.create(
            review=review,
            criterion=novelty,
            value=Decimal("90"),
            comment='=HYPERLINK("http://x")',
            weight=2,
            scale_min=0,
            scale_max=100,
        )
        # An abstention: no value.
        Score.objects.create(review=review, criterion=impact, value=None, weight=1, scale_min=0, scale_max=100)
    return ranked


def export_url(ranked, what, fmt):
    return reverse("competitions:export", kwargs={"year": ranked.edition.year, "what": what, "fmt": fmt})


def csv_rows(response, delimiter=","):
    content = response.content.decode("utf-8")
    return content.startswith("\ufeff"), list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=delimiter))


def test_reviews_csv_has_a_bom_a_header_and_a_row_per_score(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    response = client.get(export_url(ranked, "ulasan", "csv"))
    bom, rows = csv_rows(response)
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert (
        response["Content-Disposition"],
        bom,
        header,
        len(rows) - 1,
        [first[key] for key in ("stage", "entry", "reviewer", "review_status", "review_total", "criterion")],
        [first[key] for key in ("weight", "value", "comment")],
    ) == (
        'attachment; filename="kipp-2045-ulasan.csv"',
        True,
        REVIEW_COLUMNS,
        4,
        ["desk_evaluation", "KIPP-2045-0001", "penilai-2045", "submitted", "90.0000", "Kebaruan"],
        ["2.00", "90.00", '\'=HYPERLINK("http://x")'],
    )


def test_reviews_csv_leaves_an_abstention_empty(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    _bom, rows = csv_rows(client.get(export_url(ranked, "ulasan", "csv")))
    abstained = [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[11] == "Bermanfaat"]
    assert [row["value"] for row in abstained] == ["", ""]


def test_reviews_csv_with_semicolons_for_excel_in_indonesian(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    response = client.get(export_url(ranked, "ulasan", "csv"), {"separator": "semicolon"})
    _bom, rows = csv_rows(response, delimiter=";")
    assert rows[0] == REVIEW_COLUMNS


def test_reviews_xlsx_keeps_numbers_as_numbers_and_text_as_text(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    response = client.get(export_url(ranked, "ulasan", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (sheet.title, list(rows[0]), first["value"], first["comment"], first["review_total"]) == (
        "ulasan",
        REVIEW_COLUMNS,
        90,
        '=HYPERLINK("http://x")',
        90,
    )


def test_scores_csv_lists_each_ranking_with_its_decision(client, ranked, ministry_admin):
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome="finalist")
    client.force_login(ministry_admin)
    _bom, rows = csv_rows(client.get(export_url(ranked, "nilai", "csv")))
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert (rows[0], [(r["rank"], r["entry"], r["score"], r["decision_stage"], r["decision"]) for r in table]) == (
        SCORE_COLUMNS,
        [
            ("1", "KIPP-2045-0001", "90.0000", "finalist_decision", "finalist"),
            ("2", "KIPP-2045-0002", "80.0000", "finalist_decision", ""),
        ],
    )


def test_scores_csv_with_semicolons_writes_scores_with_a_decimal_comma(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    response = client.get(export_url(ranked, "nilai", "csv"), {"separator": "semicolon"})
    _bom, rows = csv_rows(response, delimiter=";")
    assert [dict(zip(rows[0], row, strict=True))["score"] for row in rows[1:]] == ["90,0000", "80,0000"]


def test_scores_xlsx_opens_with_the_same_columns(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    response = client.get(export_url(ranked, "nilai", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert (response["Content-Type"], list(next(sheet.iter_rows(values_only=True)))) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        SCORE_COLUMNS,
    )


def test_export_of_an_unknown_table_is_not_found(client, ranked, ministry_admin):
    client.force_login(ministry_admin)
    url = reverse("competitions:export", kwargs={"year": ranked.edition.year, "what": "semua", "fmt": "csv"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("what", ["ulasan", "nilai"])
def test_export_query_count_does_not_grow_with_entries(client, ministry_admin, what):
    counts = []
    for year, totals in ((2050, ("90",)), (2051, ("90", "80", "70", "60", "50"))):
        ranked = ranked_edition(year=year, totals=totals)
        criterion = CriterionFactory(stage=ranked.desk)
        for entry in ranked.entries:
            Score.objects.create(
                review=entry.assignments.get().review,
                criterion=criterion,
                value=50,
                weight=1,
                scale_min=0,
                scale_max=100,
            )
        client.force_login(ministry_admin)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(export_url(ranked, what, "csv")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
