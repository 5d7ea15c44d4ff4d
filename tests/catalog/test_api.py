import base64
import csv
import io

import openpyxl
import pytest
from axes.utils import reset as axes_reset
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from catalog.api import CSV_COLUMNS
from innovations.models import State
from tests.catalog.factories import AwardFactory, InnovationFactory, ReplicationFactory
from tests.factories import TEST_PASSWORD, InstitutionFactory, regency

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/innovations/"


def test_api_list_is_paginated_with_documented_fields(client):
    innovation = InnovationFactory(title="Layanan Air Bersih", sdgs=[6])
    AwardFactory(innovation=innovation)
    ReplicationFactory(origin=innovation)
    body = client.get(LIST_URL).json()
    record = body["results"][0]
    assert (
        body["count"],
        body["next"],
        body["previous"],
        record["title"],
        record["region"],
        record["sdgs"],
        record["replication_count"],
        record["year"],
        record["url"],
    ) == (
        1,
        None,
        None,
        "Layanan Air Bersih",
        {"name": "Majene", "bps_code": "7601", "kemendagri_code": "76.05"},
        [6],
        1,
        2023,
        f"http://testserver/inovasi/{innovation.slug}/",
    )


def test_api_list_filters_by_region_and_stage(client):
    InnovationFactory(title="Majene uji coba", stage="uji_coba")
    InnovationFactory(title="Majene penerapan")
    InnovationFactory(
        title="Mamuju uji coba", stage="uji_coba", institution=InstitutionFactory(region=regency("Mamuju"))
    )
    body = client.get(LIST_URL, {"region": "76.05", "stage": "uji_coba"}).json()
    assert [record["title"] for record in body["results"]] == ["Majene uji coba"]


def test_api_list_orders_by_title(client):
    InnovationFactory(title="Beta")
    InnovationFactory(title="Alfa")
    body = client.get(LIST_URL, {"ordering": "title"}).json()
    assert [record["title"] for record in body["results"]] == ["Alfa", "Beta"]


def test_api_list_search_on_sqlite_or_postgres_finds_title(client):
    InnovationFactory(title="Sistem Antrian Puskesmas")
    InnovationFactory(title="Lain")
    body = client.get(LIST_URL, {"search": "Antrian"}).json()
    assert [record["title"] for record in body["results"]] == ["Sistem Antrian Puskesmas"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "9999"}, "region"),
        ({"year": "abc"}, "year"),
        ({"ordering": "sideways"}, "ordering"),
        ({"search": "x" * 2000}, "search"),
    ],
)
def test_api_list_bad_parameter_is_a_400_naming_the_field(client, params, field):
    response = client.get(LIST_URL, params)
    assert (response.status_code, field in response.json()) == (400, True)


def test_api_list_page_beyond_the_end_is_a_404(client):
    InnovationFactory()
    response = client.get(LIST_URL, {"page": "99999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()) == (404, {"detail": "There is no page 99999 in this list."})


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "last"])
def test_api_list_page_that_is_not_a_page_number_is_a_400(client, page):
    response = client.get(LIST_URL, {"page": page}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()) == (400, {"page": ["The page must be a whole number, 1 or more."]})


@pytest.mark.parametrize("size", ["abc", "0", "101"])
def test_api_page_size_out_of_range_is_a_400_not_the_default(client, size):
    response = client.get("/api/v1/regions/", {"page_size": size}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()) == (
        400,
        {"page_size": ["The page size must be a whole number from 1 to 100."]},
    )


def test_api_download_checks_the_page_parameters_too(client):
    response = client.get(LIST_URL, {"format": "csv", "page_size": "500"})
    assert response.status_code == 400


def test_api_list_empty_parameters_mean_not_given(client):
    InnovationFactory()
    params = {"region": "", "year": "", "sdg": "", "search": "", "page": "", "page_size": "", "separator": ""}
    response = client.get(LIST_URL, params)
    assert (response.status_code, response.json()["count"]) == (200, 1)


def test_api_unknown_separator_is_a_400(client):
    response = client.get(LIST_URL, {"format": "csv", "separator": "tab"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.content.decode("utf-8-sig").splitlines()) == (
        400,
        ["error", "separator: The separator must be “comma” or “semicolon”."],
    )


def test_api_search_of_exactly_200_characters_is_accepted(client):
    assert client.get(LIST_URL, {"search": "a" * 200}).status_code == 200


def test_api_search_longer_than_200_characters_is_a_400_with_the_limit(client):
    response = client.get(LIST_URL, {"search": "a" * 201}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()) == (
        400,
        {"search": ["Please search with at most 200 characters."]},
    )


def test_api_search_drops_control_characters_instead_of_refusing(client):
    InnovationFactory(title="Sistem Antrian Puskesmas")
    response = client.get(LIST_URL, {"search": "Antr\x00ian\x0b"})
    assert (response.status_code, [record["title"] for record in response.json()["results"]]) == (
        200,
        ["Sistem Antrian Puskesmas"],
    )


def test_api_errors_are_indonesian_by_default(client):
    response = client.get(LIST_URL, {"region": "9999"})
    assert response.json() == {
        "region": [
            "Tidak ada wilayah dengan kode “9999”. Gunakan kode BPS seperti 7601 atau kode Kemendagri seperti 76.05."
        ]
    }


def test_api_errors_are_english_with_accept_language_en(client):
    response = client.get(LIST_URL, {"region": "9999"}, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert (response.json(), response["Content-Language"], "Accept-Language" in response["Vary"]) == (
        {"region": ["No region has the code “9999”. Use a BPS code such as 7601 or a Kemendagri code such as 76.05."]},
        "en",
        True,
    )


def test_api_language_follows_the_header_not_the_site_cookie(client):
    client.cookies["django_language"] = "en"
    response = client.get(LIST_URL, {"region": "9999"})
    assert response["Content-Language"] == "id"


def test_api_csv_error_names_the_parameter_with_its_message(client):
    response = client.get(LIST_URL, {"format": "csv", "year": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.content.decode("utf-8-sig").splitlines() == [
        "error",
        "year: The year must be a number such as 2023.",
    ]


def test_api_detail_is_json_only(client):
    innovation = InnovationFactory()
    response = client.get(f"{LIST_URL}{innovation.slug}/", {"format": "csv"})
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/innovations/a.b/",
        "/api/v1/nothing/",
        "/api/v1/regions/76/x/",
        # A dot is no format suffix: ".api" would pick the browsable API's HTML.
        "/api/v1/institutions/competitions.api/",
        "/api/v1/innovations/a.api/",
    ],
)
def test_api_unknown_path_is_a_json_404(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response["Content-Type"], response.json()) == (
        404,
        "application/json",
        {"detail": "Not found."},
    )


def test_api_missing_trailing_slash_still_redirects(client):
    response = client.get("/api/v1/regions")
    assert (response.status_code, response["Location"]) == (301, "/api/v1/regions/")


@pytest.mark.parametrize("method", ["post", "delete", "trace"])
def test_api_other_methods_are_a_405_with_allow(client, method):
    response = client.generic(method.upper(), f"{LIST_URL}?format=csv", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response["Allow"], response.content.decode("utf-8-sig").splitlines()) == (
        405,
        "GET, HEAD, OPTIONS",
        ["error", "The open-data API only answers GET requests."],
    )


def test_api_csv_download_has_documented_columns_and_all_rows(client):
    for number in range(25):
        InnovationFactory(title=f"Baris {number:02d}", sdgs=[3, 5])
    response = client.get(LIST_URL, {"format": "csv", "ordering": "title"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        len(rows),
        rows[0]["title"],
        rows[0]["sdgs"],
        rows[0]["region_kemendagri_code"],
    ) == ("text/csv; charset=utf-8", 'attachment; filename="inovasi.csv"', 25, "Baris 00", "3;5", "76.05")


def test_api_csv_neutralises_formulas(client):
    InnovationFactory(title="=HYPERLINK(1)")
    response = client.get(LIST_URL, {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["title"] == "'=HYPERLINK(1)"


def test_api_csv_starts_with_a_bom_so_excel_reads_utf8(client):
    InnovationFactory(title="Pelayanan Ibu Hamil – Polewali")
    content = client.get(LIST_URL, {"format": "csv"}).content
    header = content.decode("utf-8-sig").splitlines()[0].split(",")
    assert (content[:3], header[:2]) == (b"\xef\xbb\xbf", ["slug", "title"])


def test_api_csv_semicolon_variant_for_excel_in_indonesian(client):
    InnovationFactory(title="Air, bersih", sdgs=[3, 6])
    comma = client.get(LIST_URL, {"format": "csv"}).content.decode("utf-8-sig")
    response = client.get(LIST_URL, {"format": "csv", "separator": "semicolon"})
    semicolon = response.content.decode("utf-8-sig")
    assert (
        list(csv.reader(io.StringIO(semicolon), delimiter=";")),
        semicolon.splitlines()[0].count(";"),
        response["Content-Disposition"],
    ) == (list(csv.reader(io.StringIO(comma))), len(CSV_COLUMNS) - 1, 'attachment; filename="inovasi.csv"')


def test_api_xlsx_has_the_csv_columns_and_rows(client):
    for number in range(3):
        InnovationFactory(title=f"Baris {number}", sdgs=[3, 5])
    InnovationFactory(title="=HYPERLINK(1)")
    response = client.get(LIST_URL, {"format": "xlsx", "ordering": "title"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    formula_cell = sheet.cell(row=2, column=2)
    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        list(rows[0]),
        [(row[1], row[6], row[12]) for row in rows[1:]],
        formula_cell.data_type,
    ) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        'attachment; filename="inovasi.xlsx"',
        CSV_COLUMNS,
        [("=HYPERLINK(1)", 2023, None), ("Baris 0", 2023, "3;5"), ("Baris 1", 2023, "3;5"), ("Baris 2", 2023, "3;5")],
        "s",
    )


def test_api_xlsx_bad_parameter_is_a_400_sheet_with_the_message(client):
    response = client.get(LIST_URL, {"format": "xlsx", "year": "abc"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert (response.status_code, rows[0], len(rows)) == (400, ("error",), 2)


def test_api_csv_bad_parameter_is_a_400(client):
    response = client.get(LIST_URL, {"format": "csv", "year": "abc"})
    assert (response.status_code, response.content.decode("utf-8-sig").splitlines()[0]) == (400, "error")


def test_api_detail_has_sections_and_lineage(client):
    origin = InnovationFactory(title="Asal")
    replica = InnovationFactory(title="Replika", novelty="Kebaruan")
    ReplicationFactory(origin=origin, institution=replica.institution, replica=replica)
    body = client.get(f"{LIST_URL}{replica.slug}/").json()
    assert (body["novelty"], body["lineage"]["ancestors"], body["lineage"]["descendants"], body["evidence"]) == (
        "Kebaruan",
        [{"slug": origin.slug, "title": "Asal"}],
        [],
        [],
    )


def test_api_detail_links_evidence_files(client):
    from innovations.models import Evidence

    innovation = InnovationFactory()
    document = Evidence.objects.create(
        innovation=innovation,
        kind=Evidence.Kind.DOCUMENT,
        file="evidence/x.pdf",
        caption="SK",
        original_name="sk.pdf",
        content_type="application/pdf",
        size=10,
    )
    body = client.get(f"{LIST_URL}{innovation.slug}/").json()
    assert body["evidence"] == [
        {
            "kind": "document",
            "caption": "SK",
            "content_type": "application/pdf",
            "size": 10,
            "url": f"http://testserver/kelola/bukti/{document.pk}/berkas/",
            "preview_url": None,
        }
    ]


def test_api_detail_of_draft_is_not_found(client):
    innovation = InnovationFactory(state=State.DRAFT)
    assert client.get(f"{LIST_URL}{innovation.slug}/").status_code == 404


def test_api_regions_lists_both_code_systems(client):
    body = client.get("/api/v1/regions/").json()
    majene = next(region for region in body["results"] if region["name"] == "Majene")
    assert (body["count"], majene["bps_code"], majene["kemendagri_code"], majene["parent"]["bps_code"]) == (
        7,
        "7601",
        "76.05",
        "76",
    )


def test_api_institutions_count_only_published_records(client):
    institution = InstitutionFactory(code="dinas-hitung", name="Dinas Hitung")
    InnovationFactory(institution=institution)
    InnovationFactory(institution=institution, state=State.DRAFT)
    body = client.get("/api/v1/institutions/").json()
    record = next(item for item in body["results"] if item["code"] == "dinas-hitung")
    assert record["innovation_count"] == 1


@pytest.mark.parametrize("size", [3, 30])
def test_api_list_query_count_does_not_grow(client, django_assert_num_queries, size):
    for number in range(size):
        innovation = InnovationFactory(sdgs=[1, 2])
        AwardFactory(innovation=innovation, year=2000 + number)
    with django_assert_num_queries(6):  # one more: the catalogue's version, which keys the cached count
        client.get(LIST_URL, {"page_size": size})


@pytest.mark.parametrize("size", [3, 30])
def test_api_institutions_query_count_does_not_grow(client, django_assert_num_queries, size):
    for _ in range(size):
        InnovationFactory(institution=InstitutionFactory())
    with django_assert_num_queries(3):  # one more: the catalogue's version, which keys the cached count
        client.get("/api/v1/institutions/", {"page_size": 100})


def test_api_anonymous_clients_are_throttled_with_retry_after(client, monkeypatch, throttle_clock):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    statuses = [client.get("/api/v1/regions/").status_code for _ in range(3)]
    retry_after = client.get("/api/v1/regions/")["Retry-After"]
    assert (statuses, retry_after) == ([200, 200, 429], "45")


def test_api_throttled_message_says_when_to_try_again_in_the_client_language(client, monkeypatch, throttle_clock):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/minute"})
    client.get("/api/v1/regions/")
    response = client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response["Retry-After"], response.json()) == (
        429,
        "45",
        {"detail": "Too many requests. Please try again in 45 seconds."},
    )


def test_api_rate_comes_from_settings():
    assert AnonRateThrottle().get_rate() == "120/minute"


def test_api_docs_use_local_swagger_ui(client):
    response = client.get("/api/docs/")
    text = response.content.decode()
    assert (response.status_code, "/static/drf_spectacular_sidecar/swagger-ui-dist/" in text, "cdn" in text) == (
        200,
        True,
        False,
    )


def test_api_ignores_basic_credentials_and_never_feeds_the_sign_in_lockout(client, operator):
    axes_reset()
    wrong = "Basic " + base64.b64encode(b"op:wrong").decode()
    statuses = {
        client.get(LIST_URL, HTTP_AUTHORIZATION=wrong, REMOTE_ADDR="10.3.3.3").status_code for _attempt in range(12)
    }
    sign_in = client.post(reverse("login"), {"username": "op", "password": TEST_PASSWORD}, REMOTE_ADDR="10.3.3.3")
    assert (statuses, sign_in.status_code) == ({200}, 302)


def test_api_right_basic_credentials_do_not_lift_the_rate_limit(client, operator, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    right = "Basic " + base64.b64encode(f"op:{TEST_PASSWORD}".encode()).decode()
    statuses = [client.get("/api/v1/regions/", HTTP_AUTHORIZATION=right).status_code for _attempt in range(3)]
    assert statuses == [200, 200, 429]


def test_api_rate_limit_ignores_forwarded_address_from_clients(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    statuses = [
        client.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}").status_code for attempt in range(3)
    ]
    assert statuses == [200, 200, 429]


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as it does when PostgreSQL is stopped."""
    from django.db import OperationalError, connection

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)


@pytest.mark.parametrize("path", [LIST_URL, "/api/v1/regions/", "/api/v1/institutions/x/"])
def test_api_database_down_answers_json_503(path, database_down):
    from django.test import Client

    response = Client(raise_request_exception=False).get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response["Content-Type"], response.json(), "Retry-After" in response) == (
        503,
        "application/json",
        {"detail": "The service is temporarily unavailable. Please try again in a few minutes."},
        True,
    )


def test_api_unexpected_error_answers_json_500(monkeypatch):
    from django.test import Client

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("catalog.api.RegionViewSet.list", fail)
    response = Client(raise_request_exception=False).get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response["Content-Type"], response.json()) == (
        500,
        "application/json",
        {"detail": "The server could not finish the request. Please try again in a few minutes."},
    )
