import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from innovations.models import BudgetSource, Category, GovernmentAffair, Initiator
from tests.catalog.factories import InnovationFactory, ReplicationFactory
from tests.factories import InstitutionFactory, regency

pytestmark = pytest.mark.django_db


def english_pdf(client, innovation) -> PdfReader:
    with translation.override("en"):
        url = reverse("catalog:detail_pdf", kwargs={"slug": innovation.slug})
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(BytesIO(response.content))


def words(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_detail_pdf_has_the_profile_fields_of_the_page(client):
    category = Category.objects.order_by("slug").first()
    innovation = InnovationFactory(
        initiator=Initiator.ASN,
        government_affair=GovernmentAffair.HEALTH,
        trial_date=datetime.date(2019, 9, 1),
        implementation_date=datetime.date(2020, 2, 19),
        budget=Decimal(175_000_000),
        budget_source=BudgetSource.APBD,
    )
    innovation.categories.set([category])
    text = words(english_pdf(client, innovation))
    expected = [
        "Civil servant (ASN)",
        "Health",
        "1 September 2019",
        "19 February 2020",
        "Rp 175,000,000 (Regional budget (APBD))",
        category.name_en,
        "Majene Regency, Sulawesi Barat Province",
    ]
    assert [value for value in expected if value not in text] == []


def test_detail_pdf_has_the_lineage(client):
    origin = InnovationFactory(title="Asal")
    replica = InnovationFactory(title="Replika di Mamasa", institution=InstitutionFactory(region=regency("Mamasa")))
    ReplicationFactory(origin=origin, institution=replica.institution, replica=replica)
    text = words(english_pdf(client, origin))
    assert ("Replication lineage" in text, "Replika di Mamasa" in text, "1 approved or implemented" in text) == (
        True,
        True,
        True,
    )


def test_detail_pdf_says_when_it_was_generated(client):
    text = words(english_pdf(client, InnovationFactory()))
    with translation.override("en"):
        today = f"{timezone.localdate():%-d %B %Y}"
    assert f"Generated on {today}" in text


def test_detail_pdf_is_tagged_for_screen_readers(client):
    catalog = english_pdf(client, InnovationFactory()).trailer["/Root"]
    assert ("/StructTreeRoot" in catalog, catalog["/MarkInfo"]["/Marked"], catalog["/Lang"]) == (True, True, "en")


def test_detail_pdf_title_is_the_record_title(client):
    reader = english_pdf(client, InnovationFactory(title="Akta Lahir Jemput Bola"))
    assert reader.metadata.title == "Akta Lahir Jemput Bola"
