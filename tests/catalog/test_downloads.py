import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.catalog.factories import InnovationFactory

pytestmark = pytest.mark.django_db


def test_statistics_csv_starts_with_bom_for_excel(client):
    InnovationFactory(sdgs=[5])
    content = client.get("/en/statistik/regency.csv").content
    assert (content[:3], content.decode("utf-8-sig").splitlines()[0]) == (b"\xef\xbb\xbf", "Label,Innovations")


def test_statistics_csv_semicolon_variant_for_excel_in_indonesian(client):
    InnovationFactory(sdgs=[5])
    response = client.get(reverse("catalog:statistics_csv", kwargs={"chart": "regency"}), {"separator": "semicolon"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert (response["Content-Disposition"], ["Majene", "1"] in rows) == (
        'attachment; filename="statistik-regency.csv"',
        True,
    )


def test_catalogue_offers_xlsx_and_semicolon_csv_of_the_list_on_screen(client):
    InnovationFactory(title="Air bersih")
    page = client.get("/en/inovasi/", {"region": "7601"}).content.decode()
    xlsx = client.get("/api/v1/innovations/?region=7601&format=xlsx")
    semicolon = client.get("/api/v1/innovations/?region=7601&format=csv&separator=semicolon")
    assert (
        'href="/api/v1/innovations/?region=7601&amp;format=xlsx"' in page,
        'href="/api/v1/innovations/?region=7601&amp;format=csv&amp;separator=semicolon"' in page,
        openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.cell(row=2, column=2).value,
        semicolon.content.decode("utf-8-sig").splitlines()[0].split(";")[:2],
    ) == (True, True, "Air bersih", ["slug", "title"])


def test_statistics_page_offers_the_semicolon_csv(client):
    InnovationFactory(sdgs=[5])
    page = client.get("/en/statistik/").content.decode()
    assert (
        'href="/en/statistik/regency.csv?separator=semicolon"' in page,
        'href="/en/statistik/replications.csv?separator=semicolon"' in page,
    ) == (True, True)


def test_api_csv_of_a_long_list_streamed_with_the_same_rows(client, monkeypatch):
    from catalog import api
    from tests.catalog.factories import InnovationFactory

    for number in range(5):
        InnovationFactory(title=f"Inovasi Aliran {number}")
    whole = client.get("/api/v1/innovations/?format=csv&ordering=title").content
    monkeypatch.setattr(api, "CSV_STREAM_BATCH", 2)
    streamed = client.get("/api/v1/innovations/?format=csv&ordering=title")
    assert (streamed.streaming, b"".join(streamed.streaming_content), streamed["Content-Disposition"]) == (
        True,
        whole,
        'attachment; filename="inovasi.csv"',
    )


@pytest.mark.parametrize(
    ("query", "language"),
    [("", "id"), ("&separator=semicolon", "id"), ("&ordering=replicated", "en")],
)
def test_api_csv_read_as_values_same_as_the_serializer(client, monkeypatch, query, language):
    from catalog import api
    from innovations.models import Category, Replication
    from tests.catalog.factories import AwardFactory, ReplicationFactory

    awarded = InnovationFactory(title="=Inovasi Berhadiah", sdgs=[3, 17, 5], form="")
    AwardFactory(innovation=awarded, year=2021, competition="kipp", rank="top99")
    AwardFactory(innovation=awarded, year=2023, competition="provincial", rank="provincial")
    AwardFactory(innovation=awarded, year=2023, competition="iga", rank="iga")
    awarded.categories.set(Category.objects.all()[:2])
    replicated = InnovationFactory(title="Inovasi Direplikasi", sdgs=[1], implementation_date=None)
    ReplicationFactory(origin=replicated)
    ReplicationFactory(origin=replicated, status=Replication.Status.APPROVED)
    ReplicationFactory(origin=replicated, status=Replication.Status.REJECTED)
    InnovationFactory(title="Inovasi Polos", summary='Kutip "ganda"; titik koma\nbaris baru')
    url = f"/api/v1/innovations/?format=csv{query}"
    serialised = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    monkeypatch.setattr(api, "CSV_STREAM_BATCH", 2)
    read_as_values = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert (serialised.streaming, read_as_values.streaming) == (False, True)
    assert b"".join(read_as_values.streaming_content) == serialised.content


def test_api_csv_of_a_long_list_serialises_no_record(client, monkeypatch):
    from catalog import api
    from catalog.serializers import InnovationListSerializer

    for number in range(3):
        InnovationFactory(title=f"Inovasi Nilai {number}")
    monkeypatch.setattr(api, "CSV_STREAM_BATCH", 2)
    monkeypatch.setattr(InnovationListSerializer, "to_representation", None)  # any record serialised fails
    streamed = client.get("/api/v1/innovations/?format=csv")
    assert b"".join(streamed.streaming_content).count(b"Inovasi Nilai") == 3
