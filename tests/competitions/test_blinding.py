"""Blind stages: no institution, region or people's names in what a reviewer reads."""

import pytest

from competitions.blinding import blind_snapshot, redactor_for, redactors_for
from jipp.models import Role
from tests.competitions.factories import EditionFactory, EntryFactory
from tests.factories import InstitutionFactory, regency, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def entry(db):
    pemda = InstitutionFactory(code="pemkab-polman", name="Pemerintah Kabupaten Polewali Mandar", kind="pemda")
    institution = InstitutionFactory(
        code="rsud-polman", name="RSUD Hajjah Andi Depu", region=regency("Polewali Mandar"), parent=pemda
    )
    operator = user_with_role(Role.OPERATOR, username="op-rsud", institution=institution)
    operator.first_name, operator.last_name = "Andi", "Mappatoba"
    operator.save()
    snapshot = {
        "title": "SIPADA RSUD Hajjah Andi Depu Polman",
        "sections": {
            "summary": "Inovasi Pemerintah Kabupaten Polewali Mandar di kota Polewali, dipimpin Andi Mappatoba.",
            "background": "Pasien dari MAMUJU   TENGAH dan Mamuju datang ke rsud hajjah andi depu; Majenewati tetap.",
        },
        "profile": {"stage": "penerapan", "video_url": "https://youtube.com/@rsudpolman"},
        "institution": {"id": institution.pk, "name": institution.name, "code": institution.code},
        "unit": "Instalasi Gawat Darurat",
        "region": {"id": institution.region_id, "name": "Polewali Mandar"},
        "sdgs": [3],
        "awards": [],
        "evidence": [
            {
                "id": 7,
                "kind": "document",
                "caption": "SK Bupati Polewali Mandar",
                "original_name": "SK_RSUD_Andi_Depu.pdf",
                "content_type": "application/pdf",
                "size": 10,
            }
        ],
    }
    return EntryFactory(edition=EditionFactory(year=2035), institution=institution, snapshot=snapshot)


def test_redactor_replaces_institution_regions_and_people(entry):
    redactor = redactor_for(entry)
    assert redactor.redact(entry.snapshot["sections"]["summary"]) == (
        "Inovasi [institution] di kota [region], dipimpin [name]."
    )


def test_redactor_matches_any_case_and_spacing_longest_name_first_whole_words_only(entry):
    redactor = redactor_for(entry)
    assert redactor.redact(entry.snapshot["sections"]["background"]) == (
        "Pasien dari [region] dan [region] datang ke [institution]; Majenewati tetap."
    )


def test_redactor_knows_short_forms_of_regions(entry):
    assert redactor_for(entry).redact("Dari Polman, Sulbar dan Mateng") == "Dari [region], [region] dan [region]"


def test_blind_snapshot_drops_identifying_fields_and_renames_files(entry):
    blind = blind_snapshot(entry.snapshot, code=entry.code, redactor=redactor_for(entry))

    assert set(blind) == {"title", "sections", "profile", "sdgs", "awards", "evidence"}
    assert blind["title"] == "SIPADA [institution] [region]"
    assert blind["profile"] == {"stage": "penerapan"}
    assert blind["evidence"] == [
        {
            "id": 7,
            "kind": "document",
            "caption": "SK Bupati [region]",
            "original_name": f"{entry.code}-1.pdf",
            "content_type": "application/pdf",
            "size": 10,
        }
    ]


def test_blind_snapshot_mentions_no_name_anywhere(entry):
    blind = blind_snapshot(entry.snapshot, code=entry.code, redactor=redactor_for(entry))
    text = str(blind).casefold()
    for name in ["andi depu", "polewali", "mamuju", "mappatoba", "instalasi gawat", "rsud-polman", "youtube"]:
        assert name not in text


def test_redactors_for_many_entries_in_constant_queries(entry, django_assert_num_queries):
    others = [EntryFactory(edition=entry.edition) for _ in range(3)]
    with django_assert_num_queries(3):
        redactors = redactors_for([entry, *others])
    assert set(redactors) == {entry.pk, *(other.pk for other in others)}
