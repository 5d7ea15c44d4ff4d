import datetime

import pytest

from catalog.selectors import (
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    apply_filters,
    catalog_facets,
    catalog_headline_figures,
    catalog_innovations,
    catalog_newest,
    search_highlight,
    statistics_awards_per_year,
    statistics_per_year,
)
from catalog.templatetags.catalog_tags import highlight
from innovations.models import Category, Form, Kind, Replication, Stage, State, SustainabilityStatus
from innovations.selectors import innovations_published
from jipp.selectors import region_by_code
from tests.catalog.factories import AwardFactory, InnovationFactory, ReplicationFactory
from tests.factories import InstitutionFactory, regency

pytestmark = pytest.mark.django_db


def titles(queryset):
    return [innovation.title for innovation in queryset]


def test_search_stemmed_word_finds_other_forms():
    InnovationFactory(title="Mal Layanan Terpadu", summary="Satu atap untuk warga.")
    InnovationFactory(title="Bank Sampah", summary="Daur ulang.")
    assert titles(catalog_innovations(values={"q": "pelayanan"})) == ["Mal Layanan Terpadu"]


def test_search_every_word_in_any_order_and_field():
    InnovationFactory(title="Kesehatan Keliling", summary="Mobil puskesmas melayani warga desa.")
    InnovationFactory(title="Pelayanan Pajak", summary="Bayar dari rumah.")
    assert titles(catalog_innovations(values={"q": "pelayanan kesehatan"})) == ["Kesehatan Keliling"]


def test_search_root_joins_derived_words():
    InnovationFactory(title="Jemput Bola", summary="Petugas merekam data penduduk di kecamatan.")
    assert titles(catalog_innovations(values={"q": "kependudukan"})) == ["Jemput Bola"]


def test_search_finds_word_in_a_later_section():
    InnovationFactory(title="Program A", collaboration="Bersama puskesmas dan posyandu.")
    InnovationFactory(title="Program B")
    assert titles(catalog_innovations(values={"q": "posyandu"})) == ["Program A"]


def test_search_finds_institution_and_region_names():
    InnovationFactory(
        title="Program A", institution=InstitutionFactory(name="Inspektorat Daerah", region=regency("Mamuju Tengah"))
    )
    InnovationFactory(title="Program B", institution=InstitutionFactory(region=regency("Mamuju")))
    assert titles(catalog_innovations(values={"q": "inspektorat mamuju tengah"})) == ["Program A"]


def test_search_ignores_accents():
    InnovationFactory(title="Ma'silambi Cegah Stunting", summary="Gizi anak.")
    assert titles(catalog_innovations(values={"q": "stúnting"})) == ["Ma'silambi Cegah Stunting"]


def test_search_of_function_words_only_does_not_narrow():
    InnovationFactory(title="Program A")
    assert titles(catalog_innovations(values={"q": "dan yang"})) == ["Program A"]


def test_search_ranks_title_above_summary():
    InnovationFactory(title="Program Umum", summary="Tentang perpustakaan desa.")
    InnovationFactory(title="Perpustakaan Keliling", summary="Buku untuk warga.")
    assert titles(catalog_innovations(values={"q": "perpustakaan"})) == ["Perpustakaan Keliling", "Program Umum"]


def test_search_highlight_marks_words_of_the_searched_roots():
    InnovationFactory(title="Perpustakaan Keliling", summary="Buku untuk warga desa.")
    records = list(catalog_innovations(values={"q": "pustaka"}))
    search_highlight(records, text="pustaka")
    assert (records[0].title_highlight, records[0].summary_highlight) == (
        f"{HIGHLIGHT_START}Perpustakaan{HIGHLIGHT_STOP} Keliling",
        "Buku untuk warga desa.",
    )


def test_search_highlight_excerpt_starts_near_a_late_match():
    summary = " ".join(["kata"] * 60 + ["irigasi", "tetes"])
    InnovationFactory(title="Program", summary=summary)
    records = list(catalog_innovations(values={"q": "irigasi"}))
    search_highlight(records, text="irigasi")
    assert (
        records[0].summary_highlight
        == "… " + " ".join(["kata"] * 8) + f" {HIGHLIGHT_START}irigasi{HIGHLIGHT_STOP} tetes"
    )


def test_highlight_filter_escapes_text_before_marking():
    text = f"<script>{HIGHLIGHT_START}air{HIGHLIGHT_STOP}</script>"
    assert highlight(text) == "&lt;script&gt;<mark>air</mark>&lt;/script&gt;"


def test_facets_count_each_option_with_the_other_filters():
    InnovationFactory(kind="digital", stage="uji_coba")
    InnovationFactory(kind="digital", stage="penerapan")
    InnovationFactory(kind="non_digital", stage="uji_coba")
    facets = catalog_facets(values={"stage": "uji_coba"})
    kinds = {option.value: option.count for option in facets.options["kind"]}
    stages = {option.value: option.count for option in facets.options["stage"]}
    assert (kinds, stages["uji_coba"], stages["penerapan"]) == ({"digital": 1, "non_digital": 1}, 2, 1)


def _facet_records():
    """A catalogue where every facet has options with and without records, in two regencies."""
    categories = list(Category.objects.order_by("pk")[:2])
    records = []
    for number, (stage, kind, form, sustainability, year, name) in enumerate(
        [
            (Stage.TRIAL, Kind.DIGITAL, Form.PUBLIC_SERVICE, SustainabilityStatus.CONTINUES, 2021, "Majene"),
            (Stage.IMPLEMENTATION, Kind.DIGITAL, Form.GOVERNANCE, SustainabilityStatus.STOPPED, 2023, "Majene"),
            (Stage.IMPLEMENTATION, Kind.NON_DIGITAL, Form.PUBLIC_SERVICE, "", 2023, "Mamuju"),
            (Stage.INITIATIVE, Kind.NON_DIGITAL, Form.OTHER, SustainabilityStatus.DEVELOPED, None, "Mamuju"),
            (Stage.IMPLEMENTATION, Kind.DIGITAL, Form.PUBLIC_SERVICE, SustainabilityStatus.CONTINUES, 2023, "Majene"),
        ]
    ):
        record = InnovationFactory(
            title=f"Layanan kesehatan {number}" if number % 2 else f"Bank sampah {number}",
            institution=InstitutionFactory(region=regency(name)),
            stage=stage,
            kind=kind,
            form=form,
            sustainability_status=sustainability,
            implementation_date=None if year is None else datetime.date(year, 5, 1),
            sdgs=[3, 11][: number % 3],
        )
        record.categories.set(categories[: (number + 1) % 3])
        records.append(record)
    AwardFactory(innovation=records[1], rank="top45")
    AwardFactory(innovation=records[1], rank="top99")
    AwardFactory(innovation=records[2], rank="top99")
    ReplicationFactory(origin=records[2])
    ReplicationFactory(origin=records[3], status=Replication.Status.INTEREST)
    InnovationFactory(title="Layanan kesehatan draf", state=State.DRAFT, stage=Stage.TRIAL)
    return records


def _chosen(name, value):
    """A facet option's value as the filter form would clean it."""
    if name == "region":
        return region_by_code(code=value)
    if name in ("year", "sdg"):
        return int(value)
    if name == "replicated":
        return value == "yes"
    return value


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"q": "kesehatan"},
        {"stage": Stage.IMPLEMENTATION, "kind": Kind.DIGITAL},
        {"region": "76", "year": 2023},
        {"region": "7601", "sdg": 3, "award": "any", "q": "layanan"},
        {"replicated": True, "category": "first", "sustainability": SustainabilityStatus.CONTINUES},
        {"award": "top99", "replicated": False, "form": Form.PUBLIC_SERVICE},
    ],
)
def test_facets_each_option_counts_what_choosing_it_would_list(values):
    _facet_records()
    first_category = Category.objects.order_by("pk")[0].slug
    values = {
        name: _chosen(name, value) if name == "region" else first_category if value == "first" else value
        for name, value in values.items()
    }
    facets = catalog_facets(values=values)
    expected = {
        name: [
            (
                option.value,
                apply_filters(innovations_published(), values={**values, name: _chosen(name, option.value)}).count(),
            )
            for option in options
        ]
        for name, options in facets.options.items()
    }
    found = {name: [(option.value, option.count) for option in options] for name, options in facets.options.items()}
    assert (found, facets.total) == (expected, apply_filters(innovations_published(), values=values).count())


def test_facets_award_counts():
    AwardFactory(rank="top45")
    AwardFactory(rank="top99")
    InnovationFactory()
    facets = catalog_facets(values={})
    assert {option.value: option.count for option in facets.options["award"]} == {
        "any": 2,
        "top99": 1,
        "top45": 1,
        "outstanding": 0,
    }


def test_facets_replicated_counts():
    ReplicationFactory()
    ReplicationFactory(status=Replication.Status.INTEREST)
    facets = catalog_facets(values={})
    assert {option.value: option.count for option in facets.options["replicated"]} == {"yes": 1, "no": 1}


def test_filter_by_province_includes_regencies():
    InnovationFactory(title="Majene")
    InnovationFactory(title="Mamasa", institution=InstitutionFactory(region=regency("Mamasa")))
    assert sorted(titles(catalog_innovations(values={"region": region_by_code(code="76")}))) == ["Majene", "Mamasa"]


def test_headline_figures_count_published_records_regencies_institutions_replications():
    first = InnovationFactory()
    InnovationFactory(institution=InstitutionFactory(region=regency("Mamuju")))
    ReplicationFactory(origin=first)
    assert catalog_headline_figures().__dict__ == {
        "innovations": 2,
        "regencies": 2,
        "institutions": 2,
        "replications": 1,
    }


def test_newest_orders_by_publication():
    import datetime

    InnovationFactory(title="Lama", published_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    InnovationFactory(title="Baru", published_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    assert titles(catalog_newest(limit=5)) == ["Baru", "Lama"]


def test_statistics_per_year_in_order():
    InnovationFactory(implementation_date="2021-05-01")
    InnovationFactory(implementation_date="2019-05-01")
    InnovationFactory(implementation_date="2021-01-01")
    assert [(bar.label, bar.value) for bar in statistics_per_year().bars] == [("2019", 1), ("2021", 2)]


def test_statistics_awards_per_year():
    AwardFactory(year=2014)
    AwardFactory(year=2014)
    AwardFactory(year=2019)
    assert [(bar.label, bar.value) for bar in statistics_awards_per_year().bars] == [("2014", 2), ("2019", 1)]
