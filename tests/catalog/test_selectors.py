import pytest

from catalog.selectors import (
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    catalog_facets,
    catalog_headline_figures,
    catalog_innovations,
    catalog_newest,
    search_highlight,
    statistics_awards_per_year,
    statistics_per_year,
)
from catalog.templatetags.catalog_tags import highlight
from innovations.models import Replication
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
    kinds = {option.value: option.count for option in facets["kind"]}
    stages = {option.value: option.count for option in facets["stage"]}
    assert (kinds, stages["uji_coba"], stages["penerapan"]) == ({"digital": 1, "non_digital": 1}, 2, 1)


def test_facets_award_counts():
    AwardFactory(rank="top45")
    AwardFactory(rank="top99")
    InnovationFactory()
    facets = catalog_facets(values={})
    assert {option.value: option.count for option in facets["award"]} == {
        "any": 2,
        "top99": 1,
        "top45": 1,
        "outstanding": 0,
    }


def test_facets_replicated_counts():
    ReplicationFactory()
    ReplicationFactory(status=Replication.Status.INTEREST)
    facets = catalog_facets(values={})
    assert {option.value: option.count for option in facets["replicated"]} == {"yes": 1, "no": 1}


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
