import pytest
from django.urls import reverse

from innovations.models import SDG, Evidence, Replication, State, SustainabilityUpdate
from tests.catalog.factories import AwardFactory, InnovationFactory, ReplicationFactory
from tests.factories import InstitutionFactory, regency

pytestmark = pytest.mark.django_db


def titles(response):
    return [innovation.title for innovation in response.context["page_obj"].object_list]


def test_catalog_list_shows_published_records(client):
    InnovationFactory(title="Layanan Kesehatan Keliling")
    response = client.get(reverse("catalog:list"))
    assert (response.status_code, titles(response)) == (200, ["Layanan Kesehatan Keliling"])


def test_catalog_list_filters_by_regency_bps_code(client):
    InnovationFactory(title="Di Majene")
    InnovationFactory(title="Di Mamuju", institution=InstitutionFactory(region=regency("Mamuju")))
    response = client.get(reverse("catalog:list"), {"region": "7604"})
    assert titles(response) == ["Di Mamuju"]


def test_catalog_list_filters_by_regency_kemendagri_code(client):
    InnovationFactory(title="Di Majene")
    InnovationFactory(title="Di Mamuju", institution=InstitutionFactory(region=regency("Mamuju")))
    response = client.get(reverse("catalog:list"), {"region": "76.05"})
    assert titles(response) == ["Di Majene"]


def test_catalog_list_province_includes_its_regencies(client):
    InnovationFactory(title="Di Majene")
    InnovationFactory(title="Di Mamuju", institution=InstitutionFactory(region=regency("Mamuju")))
    response = client.get(reverse("catalog:list"), {"region": "76", "sort": "title"})
    assert titles(response) == ["Di Majene", "Di Mamuju"]


def test_catalog_list_filters_by_sdg_and_year(client):
    InnovationFactory(title="Tujuan 3 tahun 2023", sdgs=[3])
    InnovationFactory(title="Tujuan 4 tahun 2023", sdgs=[4])
    InnovationFactory(title="Tujuan 3 tahun 2020", sdgs=[3], implementation_date="2020-01-01")
    response = client.get(reverse("catalog:list"), {"sdg": "3", "year": "2023"})
    assert titles(response) == ["Tujuan 3 tahun 2023"]


def test_catalog_list_filters_by_award(client):
    AwardFactory(innovation=InnovationFactory(title="Top 45"), rank="top45")
    AwardFactory(innovation=InnovationFactory(title="Top 99"), rank="top99")
    InnovationFactory(title="Tanpa penghargaan")
    response = client.get(reverse("catalog:list"), {"award": "top45"})
    assert titles(response) == ["Top 45"]


def test_catalog_list_filters_replicated_no(client):
    ReplicationFactory(origin=InnovationFactory(title="Direplikasi"))
    InnovationFactory(title="Belum direplikasi")
    response = client.get(reverse("catalog:list"), {"replicated": "no"})
    assert titles(response) == ["Belum direplikasi"]


def test_catalog_list_sorts_by_most_replicated(client):
    once = InnovationFactory(title="Sekali")
    twice = InnovationFactory(title="Dua kali")
    ReplicationFactory(origin=once)
    ReplicationFactory(origin=twice)
    ReplicationFactory(origin=twice, status=Replication.Status.APPROVED)
    response = client.get(reverse("catalog:list"), {"sort": "replicated"})
    assert titles(response) == ["Dua kali", "Sekali"]


def test_catalog_list_facet_counts_apply_the_other_filters(client):
    InnovationFactory(title="A", sdgs=[3])
    InnovationFactory(title="B", sdgs=[3], institution=InstitutionFactory(region=regency("Mamuju")))
    InnovationFactory(title="C", sdgs=[4], institution=InstitutionFactory(region=regency("Mamuju")))
    response = client.get(reverse("catalog:list"), {"region": "7604", "sdg": "3"})
    controls = {control["name"]: control for control in response.context["controls"]}
    region_counts = {option["value"]: option["count"] for option in controls["region"]["options"]}
    sdg_counts = {option["value"]: option["count"] for option in controls["sdg"]["options"]}
    assert (region_counts["7601"], region_counts["7604"], region_counts["76"], sdg_counts["3"], sdg_counts["4"]) == (
        1,
        1,
        2,
        1,
        1,
    )


def test_catalog_list_unknown_region_shows_message_and_no_results(client):
    InnovationFactory()
    response = client.get(reverse("catalog:list"), {"region": "9999"})
    assert (response.status_code, titles(response), "Tidak ada wilayah dengan kode “9999”" in response.text) == (
        200,
        [],
        True,
    )


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"sort": "sideways"},
        {"q": "x" * 2000},
        {"stage": "nonsense"},
        {"sdg": "99"},
        {"replicated": "maybe"},
        {"page": "abc"},
    ],
)
def test_catalog_list_bad_parameter_is_not_a_server_error(client, params):
    InnovationFactory()
    response = client.get(reverse("catalog:list"), params)
    assert response.status_code == 200


def test_catalog_list_long_search_is_explained_in_english(client):
    response = client.get("/en/inovasi/", {"q": "x" * 2000})
    assert "at most 200 characters" in response.text


def test_catalog_list_page_beyond_the_end_shows_last_page(client):
    InnovationFactory(title="Satu-satunya")
    response = client.get(reverse("catalog:list"), {"page": "99999"})
    assert titles(response) == ["Satu-satunya"]


def test_catalog_list_paginates(client):
    InnovationFactory.create_batch(13)
    response = client.get(reverse("catalog:list"), {"page": "2"})
    assert (len(titles(response)), response.context["page_obj"].paginator.num_pages) == (1, 2)


def test_catalog_list_htmx_request_renders_only_the_partial(client):
    InnovationFactory()
    response = client.get(reverse("catalog:list"), headers={"HX-Request": "true"})
    assert ("<html" in response.text, 'id="catalog-results"' in response.text) == (False, True)


def test_catalog_list_full_page_without_htmx(client):
    response = client.get(reverse("catalog:list"))
    assert ("<html" in response.text, 'hx-push-url="true"' in response.text) == (True, True)


def test_catalog_list_english_url(client):
    response = client.get("/en/inovasi/")
    assert (response.status_code, response.context["LANGUAGE_CODE"]) == (200, "en")


def test_catalog_list_download_link_keeps_filters(client):
    response = client.get(reverse("catalog:list"), {"q": "air", "region": "7601", "page": "1"})
    assert response.context["csv_url"] == "/api/v1/innovations/?search=air&region=7601&format=csv"


@pytest.mark.parametrize("size", [3, 30])
def test_catalog_list_query_count_does_not_grow_with_results(client, django_assert_num_queries, size):
    for number in range(size):
        innovation = InnovationFactory(sdgs=[3, 4])
        AwardFactory(innovation=innovation, year=2000 + number)
    client.get(reverse("catalog:list"))  # warm the session, the ContentType cache and the facet counts
    # The version, the page of records and its SDGs, awards and categories: the facets and the
    # count are kept until the next publication (tests/catalog/test_query_counts.py counts them cold).
    # Another address (a parameter the list ignores): rendered, not the kept page (test_pagecache.py).
    with django_assert_num_queries(5):
        client.get(reverse("catalog:list"), {"utm_source": "test"})


def test_catalog_detail_shows_sections_awards_and_sustainability(client):
    innovation = InnovationFactory(novelty="Kebaruan yang unik", sdgs=[3])
    AwardFactory(innovation=innovation)
    SustainabilityUpdate.objects.create(innovation=innovation, year=2024, status="berlanjut", reason="")
    response = client.get(innovation.get_absolute_url())
    assert (
        response.status_code,
        "Kebaruan yang unik" in response.text,
        "Top 99" in response.text,
        "2024" in response.text,
    ) == (200, True, True, True)


def test_catalog_detail_has_json_ld_with_escaped_title(client):
    innovation = InnovationFactory(title="Inovasi </script><b>")
    response = client.get(innovation.get_absolute_url())
    assert ("application/ld+json" in response.text, "</script><b>" in response.text) == (True, False)


def test_catalog_detail_shows_replication_lineage(client):
    origin = InnovationFactory(title="Asal mula")
    replica = InnovationFactory(title="Replika terbit", institution=InstitutionFactory(region=regency("Mamasa")))
    ReplicationFactory(origin=origin, institution=replica.institution, replica=replica)
    response = client.get(origin.get_absolute_url())
    assert replica.get_absolute_url() in response.text


def test_catalog_detail_lists_documents_from_evidence(client):
    innovation = InnovationFactory()
    Evidence.objects.create(
        innovation=innovation,
        kind=Evidence.Kind.DOCUMENT,
        file="evidence/x.pdf",
        caption="SK Bupati",
        original_name="sk.pdf",
        content_type="application/pdf",
        size=1200,
    )
    response = client.get(innovation.get_absolute_url())
    url = reverse("innovations:evidence_file", kwargs={"pk": innovation.evidence.get().pk})
    assert f'href="{url}" download lang="id">SK Bupati</a>' in response.text


def test_catalog_detail_shows_photo_preview_in_gallery(client):
    innovation = InnovationFactory()
    photo = Evidence.objects.create(
        innovation=innovation,
        kind=Evidence.Kind.PHOTO,
        file="evidence/x.jpg",
        preview="previews/x.webp",
        caption="Pelayanan di desa",
        original_name="x.jpg",
        content_type="image/jpeg",
        size=1200,
    )
    response = client.get(innovation.get_absolute_url())
    preview = reverse("innovations:evidence_preview", kwargs={"pk": photo.pk})
    assert f'<img src="{preview}" alt="Pelayanan di desa"' in response.text


def test_catalog_detail_of_draft_is_not_found(client):
    innovation = InnovationFactory(state=State.DRAFT)
    assert client.get(innovation.get_absolute_url()).status_code == 404


def replicate_link_shown(client, innovation):
    url = reverse("innovations:replication_create", kwargs={"slug": innovation.slug})
    return f'href="{url}"' in client.get(innovation.get_absolute_url()).text


def test_catalog_detail_replicate_link_for_operator_of_another_institution(client, other_operator):
    innovation = InnovationFactory()
    client.force_login(other_operator)
    assert replicate_link_shown(client, innovation) is True


def test_catalog_detail_no_replicate_link_for_own_institution(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    assert replicate_link_shown(client, innovation) is False


def test_catalog_detail_no_replicate_link_for_anonymous(client):
    assert replicate_link_shown(client, InnovationFactory()) is False


@pytest.mark.parametrize("size", [3, 30])
def test_catalog_detail_query_count_does_not_grow(client, django_assert_num_queries, size):
    innovation = InnovationFactory(sdgs=list(range(1, size % 17 + 2)))
    for number in range(size):
        AwardFactory(innovation=innovation, year=2000 + number)
        ReplicationFactory(origin=innovation)
    client.get(innovation.get_absolute_url())
    # Another address (a parameter the page ignores): rendered, not the kept page (test_pagecache.py).
    with django_assert_num_queries(10):
        client.get(innovation.get_absolute_url(), {"utm_source": "test"})


def test_catalog_detail_pdf_is_a_pdf(client):
    innovation = InnovationFactory(title="Inovasi PDF")
    response = client.get(reverse("catalog:detail_pdf", kwargs={"slug": innovation.slug}))
    assert (response.status_code, response["Content-Type"], response.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )


def test_catalog_detail_pdf_of_draft_is_not_found(client):
    innovation = InnovationFactory(state=State.DRAFT)
    assert client.get(reverse("catalog:detail_pdf", kwargs={"slug": innovation.slug})).status_code == 404


def test_statistics_shows_counts_per_regency(client):
    InnovationFactory.create_batch(2)
    response = client.get(reverse("catalog:statistics"))
    bars = {bar.label: bar.value for bar in response.context["charts"][0]["chart"].bars}
    assert bars["Majene"] == 2


def test_statistics_replication_matrix_counts_origin_to_target(client):
    origin = InnovationFactory()
    ReplicationFactory(origin=origin, institution=InstitutionFactory(region=regency("Mamuju")))
    response = client.get(reverse("catalog:statistics"))
    matrix = response.context["matrix"]
    assert matrix.rows[1] == ("Majene", [0, 0, 0, 0, 1, 0, 0])


def test_statistics_csv_of_a_chart(client):
    InnovationFactory.create_batch(2, sdgs=[5])
    response = client.get(reverse("catalog:statistics_csv", kwargs={"chart": "sdg"}))
    rows = response.content.decode().splitlines()
    assert (response["Content-Type"], rows[5].endswith(",2")) == ("text/csv; charset=utf-8", True)


def test_statistics_csv_of_replications(client):
    response = client.get("/en/statistik/replications.csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Origin region,Sulawesi Barat (province level),Majene")


def test_statistics_query_count_does_not_grow(client, django_assert_num_queries):
    for size in (3, 30):
        for _ in range(size):
            origin = InnovationFactory(sdgs=[1, 2])
            AwardFactory(innovation=origin)
            ReplicationFactory(origin=origin)
        # Each round publishes records: a new version, so the figures are computed again (and the version read).
        with django_assert_num_queries(9):
            client.get(reverse("catalog:statistics"))


def test_statistics_csv_unknown_chart_is_not_found(client):
    assert client.get(reverse("catalog:statistics_csv", kwargs={"chart": "nope"})).status_code == 404


def test_feed_lists_new_innovations(client):
    InnovationFactory(title="Kabar Baru")
    response = client.get(reverse("catalog:feed"))
    assert (response["Content-Type"].startswith("application/atom+xml"), "Kabar Baru" in response.text) == (
        True,
        True,
    )


def test_feed_filters_by_region(client):
    InnovationFactory(title="Di Majene")
    InnovationFactory(title="Di Mamuju", institution=InstitutionFactory(region=regency("Mamuju")))
    response = client.get(reverse("catalog:feed"), {"region": "76.02"})
    assert ("Di Mamuju" in response.text, "Di Majene" in response.text) == (True, False)


def test_feed_unknown_region_is_not_found(client):
    assert client.get(reverse("catalog:feed"), {"region": "0000"}).status_code == 404


def test_feed_region_with_odd_characters_is_not_found(client):
    assert client.get(reverse("catalog:feed"), {"region": "76\x00<script>"}).status_code == 404


def test_catalog_list_null_character_in_search_is_explained(client):
    response = client.get(reverse("catalog:list"), {"q": "air\x00"})
    assert (response.status_code, response.context["page_obj"].paginator.count) == (200, 0)


def test_sitemap_lists_records_in_both_languages(client):
    innovation = InnovationFactory(slug="peta-situs")
    response = client.get("/sitemap.xml")
    text = response.content.decode()
    assert ("/inovasi/peta-situs/" in text, "/en/inovasi/peta-situs/" in text, "/en/statistik/" in text) == (
        True,
        True,
        True,
    )
    assert innovation.pk


def test_robots_txt_points_to_sitemap(client):
    response = client.get("/robots.txt")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_navigation_has_catalogue_statistics_and_api(client):
    response = client.get(reverse("home"))
    urls = [item["url"] for item in response.context["nav_items"]]
    assert {reverse("catalog:list"), reverse("catalog:statistics"), reverse("api:docs")} <= set(urls)


def test_sdg_reference_data_is_loaded():
    assert SDG.objects.count() == 17
