import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from innovations.models import Replication, SustainabilityUpdate
from jipp.models import Region
from tests.catalog.factories import AwardFactory, InnovationFactory, ReplicationFactory
from tests.catalog.html import select, select_one, text
from tests.factories import InstitutionFactory, regency

pytestmark = pytest.mark.django_db


def english_detail(client, innovation) -> str:
    with translation.override("en"):
        return client.get(innovation.get_absolute_url()).text


def profile(html: str) -> dict[str, str]:
    terms = select(html, "dl.profile dt")
    values = select(html, "dl.profile dd")
    return {text(term): text(value) for term, value in zip(terms, values, strict=True)}


def test_catalog_detail_summary_is_under_the_title(client):
    innovation = InnovationFactory(summary="Petugas menjemput berkas ke rumah warga.")
    header = select_one(english_detail(client, innovation), "article > header")
    assert text(select_one(header, ".summary")) == "Petugas menjemput berkas ke rumah warga."


def test_catalog_detail_awards_are_under_the_title(client):
    innovation = InnovationFactory()
    AwardFactory(innovation=innovation, year=2021)
    header = select_one(english_detail(client, innovation), "article > header")
    assert [text(item) for item in select(header, ".awards li")] == ["KIPP (KemenPANRB) 2021: Top 99"]


def test_catalog_detail_dates_in_one_format(client):
    innovation = InnovationFactory(trial_date=datetime.date(2019, 9, 1), implementation_date=datetime.date(2020, 2, 19))
    values = profile(english_detail(client, innovation))
    assert (values["Trial date"], values["Implementation date"]) == ("1 September 2019", "19 February 2020")


def test_catalog_detail_dates_in_indonesian(client):
    innovation = InnovationFactory(implementation_date=datetime.date(2020, 2, 19))
    html = client.get(innovation.get_absolute_url()).text
    assert "19 Februari 2020" in text(select_one(html, "dl.profile"))


def test_catalog_detail_region_in_words(client):
    innovation = InnovationFactory()
    assert profile(english_detail(client, innovation))["Region"] == "Majene Regency, Sulawesi Barat Province"


def test_catalog_detail_region_codes_are_data_not_prose(client):
    innovation = InnovationFactory()
    region = select_one(english_detail(client, innovation), "dl.profile data")
    assert (region.get("value"), region.get("data-kemendagri")) == ("7601", "76.05")


def test_catalog_detail_province_level_record_in_words(client):
    province = Region.objects.get(level=Region.Level.PROVINCE)
    innovation = InnovationFactory(institution=InstitutionFactory(region=province))
    assert profile(english_detail(client, innovation))["Region"] == "Sulawesi Barat Province (provincial agency)"


def replicated_chain():
    """A record replicated twice directly (one implemented, one in progress), its replica twice more in turn."""
    origin = InnovationFactory(title="Asal")
    ReplicationFactory(origin=origin, status=Replication.Status.AGREEMENT)
    parent = origin
    for name in ("Polewali Mandar", "Mamuju Tengah", "Pasangkayu"):
        replica = InnovationFactory(institution=InstitutionFactory(region=regency(name)))
        ReplicationFactory(origin=parent, institution=replica.institution, replica=replica)
        parent = replica
    return origin


def test_catalog_detail_replications_agree_with_the_lineage_shown(client):
    html = english_detail(client, replicated_chain())
    shown = len(select(html, ".lineage-tree li"))
    assert (shown, profile(html)["Replications"]) == (
        4,
        "1 approved or implemented, 2 more through its replicas, 1 in progress",
    )


def test_catalog_detail_lineage_states_what_counts(client):
    section = select_one(english_detail(client, replicated_chain()), "section.lineage")
    assert "approved" in text(select_one(section, ".definition"))


def test_catalog_detail_invites_staff_of_another_institution_to_replicate(client, other_operator):
    innovation = InnovationFactory()
    client.force_login(other_operator)
    links = [link.get("href") for link in select(english_detail(client, innovation), "aside.replicate a.button")]
    with translation.override("en"):
        assert links == [reverse("innovations:replication_create", kwargs={"slug": innovation.slug})]


def test_catalog_detail_no_replicate_button_for_own_institution(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    assert select(english_detail(client, innovation), "aside.replicate a.button") == []


def test_catalog_detail_names_whom_to_contact(client):
    institution = InstitutionFactory(name="Dinas Kesehatan Kabupaten Majene")
    innovation = InnovationFactory(institution=institution, unit="Puskesmas Banggae")
    contact = text(select_one(english_detail(client, innovation), ".contact"))
    assert ("Dinas Kesehatan Kabupaten Majene" in contact, "Puskesmas Banggae" in contact) == (True, True)


def test_catalog_detail_sustainability_table_can_be_reached_by_keyboard(client):
    innovation = InnovationFactory()
    SustainabilityUpdate.objects.create(innovation=innovation, year=2024, status="berlanjut", reason="")
    wrap = select_one(english_detail(client, innovation), ".table-wrap")
    assert (wrap.get("tabindex"), wrap.get("role"), wrap.get("aria-label")) == ("0", "region", "Sustainability history")


def test_catalog_detail_marks_record_text_as_indonesian_on_english_pages(client):
    innovation = InnovationFactory(
        title="Jemput Bola", summary="Petugas datang ke rumah.", novelty="Pertama di Majene."
    )
    html = english_detail(client, innovation)
    marked = [text(element) for element in select(html, "article [lang=id]")]
    assert {"Jemput Bola", "Petugas datang ke rumah.", "Pertama di Majene."} <= set(marked)


def test_catalog_detail_says_on_english_pages_that_records_are_in_indonesian(client):
    note = select_one(english_detail(client, InnovationFactory()), "article .content-language")
    assert text(note) == "Records are published in Indonesian, as the institutions wrote them."


def test_catalog_detail_has_no_language_note_in_indonesian(client):
    html = client.get(InnovationFactory().get_absolute_url()).text
    assert select(html, ".content-language") == []
