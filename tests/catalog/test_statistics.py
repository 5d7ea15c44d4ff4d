import pytest
from django.utils import translation

from catalog.selectors import (
    catalog_headline_figures,
    statistics_counts,
    statistics_per_regency,
    statistics_per_stage,
    statistics_per_year,
    statistics_replication_matrix,
)
from innovations.models import Replication
from jipp.models import Region
from tests.catalog.factories import InnovationFactory, ReplicationFactory
from tests.catalog.html import select, select_one, text
from tests.factories import InstitutionFactory, regency

pytestmark = pytest.mark.django_db


def province() -> Region:
    return Region.objects.get(level=Region.Level.PROVINCE)


def provincial_agency():
    return InstitutionFactory(region=province())


def test_statistics_per_regency_counts_province_level_records():
    InnovationFactory.create_batch(2)
    InnovationFactory(institution=provincial_agency())
    chart = statistics_per_regency()
    assert (sum(bar.value for bar in chart.bars), chart.bars[0].value) == (3, 1)


def test_statistics_per_regency_adds_up_to_the_headline_figure():
    InnovationFactory(institution=provincial_agency())
    InnovationFactory(institution=InstitutionFactory(region=regency("Mamasa")))
    assert sum(bar.value for bar in statistics_per_regency().bars) == catalog_headline_figures().innovations


def test_statistics_replication_matrix_counts_replications_from_and_to_the_province_level():
    ReplicationFactory(origin=InnovationFactory(institution=provincial_agency()))
    ReplicationFactory(institution=provincial_agency())
    ReplicationFactory(status=Replication.Status.INTEREST)
    assert (statistics_replication_matrix().total, catalog_headline_figures().replications) == (2, 2)


def english_statistics(client) -> str:
    return client.get("/en/statistik/").text


def test_statistics_every_chart_states_what_it_counts(client):
    InnovationFactory(sdgs=[3])
    html = english_statistics(client)
    notes = {
        section.get("aria-labelledby"): text(select_one(section, ".chart-note"))
        for section in select(html, "section.chart")
    }
    assert sorted(key for key, note in notes.items() if note) == [
        "chart-awards-title",
        "chart-regency-title",
        "chart-replications-title",
        "chart-sdg-title",
        "chart-stage-title",
        "chart-year-title",
    ]


def test_statistics_regency_chart_says_provincial_records_are_counted_under_the_province(client):
    InnovationFactory(institution=provincial_agency())
    html = english_statistics(client)
    with translation.override("en"):
        note = text(select_one(html, "section[aria-labelledby=chart-regency-title] .chart-note"))
    assert "province" in note


def test_statistics_replication_note_gives_the_definition(client):
    note = text(select_one(english_statistics(client), "section[aria-labelledby=chart-replications-title] .chart-note"))
    assert "approved" in note and "implemented" in note


def test_statistics_bar_labels_are_whole(client):
    InnovationFactory(sdgs=[16])
    html = english_statistics(client)
    labels = [text(label) for label in select(html, "section[aria-labelledby=chart-sdg-title] .bar-label")]
    assert "16. Peace, Justice and Strong Institutions" in labels


def test_statistics_bars_scale_without_shrinking_text(client):
    InnovationFactory.create_batch(2)
    InnovationFactory(institution=provincial_agency())
    html = english_statistics(client)
    bars = select(html, "section[aria-labelledby=chart-regency-title] .bar-chart rect")
    values = [text(value) for value in select(html, "section[aria-labelledby=chart-regency-title] .bar-value")]
    # Text lives in HTML at its own size; only the bar is drawn, as a share of the track.
    assert (select(html, ".bar-chart text"), [bar.get("width") for bar in bars][:2], values[:2]) == (
        [],
        ["50%", "100%"],
        ["1", "2"],
    )


def test_statistics_scrollable_tables_can_be_reached_by_keyboard(client):
    InnovationFactory()
    wraps = select(english_statistics(client), ".table-wrap")
    assert {(wrap.get("tabindex"), wrap.get("role"), bool(wrap.get("aria-label"))) for wrap in wraps} == {
        ("0", "region", True)
    }


def test_statistics_chart_is_a_list_named_by_its_title(client):
    InnovationFactory.create_batch(3)
    html = english_statistics(client)
    chart = select_one(html, "section[aria-labelledby=chart-regency-title] ol.bar-chart")
    rows = [text(row) for row in select(chart, "li")]
    assert (chart.get("aria-labelledby"), rows[1]) == ("chart-regency-title", "Majene 3")


def test_statistics_counts_one_query_with_records_missing_a_year_or_stage(django_assert_num_queries):
    InnovationFactory(implementation_date=None, stage="", sdgs=[3, 4])
    InnovationFactory(sdgs=[3])
    with django_assert_num_queries(1):
        counts = statistics_counts()
    assert (counts["year"], counts["stage"], counts["sdg"]) == (
        {None: 1, 2023: 1},
        {"": 1, "penerapan": 1},
        {3: 2, 4: 1},
    )


def test_statistics_charts_say_how_many_records_lack_a_year_or_stage():
    InnovationFactory(implementation_date=None, stage="")
    InnovationFactory()
    counts = statistics_counts()
    with translation.override("en"):
        notes = (statistics_per_year(counts).note, statistics_per_stage(counts).note)
    assert [note.endswith("1 innovation without this information is not shown.") for note in notes] == [True, True]
