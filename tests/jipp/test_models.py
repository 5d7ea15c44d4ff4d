import pytest
from django.db import IntegrityError

from jipp.models import Institution, Region
from tests.factories import InstitutionFactory

EXPECTED_REGENCIES = [
    ("Majene", "7601", "76.05"),
    ("Polewali Mandar", "7602", "76.04"),
    ("Mamasa", "7603", "76.03"),
    ("Mamuju", "7604", "76.02"),
    ("Pasangkayu", "7605", "76.01"),
    ("Mamuju Tengah", "7606", "76.06"),
]


@pytest.mark.smoke
@pytest.mark.django_db
def test_regions_six_regencies_under_sulawesi_barat_with_both_codes():
    province = Region.objects.get(level=Region.Level.PROVINCE)
    assert (province.name, province.bps_code, province.kemendagri_code) == ("Sulawesi Barat", "76", "76")
    regencies = list(
        Region.objects.filter(level=Region.Level.REGENCY)
        .order_by("bps_code")
        .values_list("name", "bps_code", "kemendagri_code")
    )
    assert regencies == EXPECTED_REGENCIES
    assert Region.objects.filter(level=Region.Level.REGENCY, parent=province).count() == 6


@pytest.mark.django_db
def test_region_regency_without_parent_is_refused():
    with pytest.raises(IntegrityError):
        Region.objects.create(level=Region.Level.REGENCY, name="X", bps_code="9999", kemendagri_code="99.99")


@pytest.mark.django_db
def test_institution_without_region_is_refused_unless_ministry():
    Institution.objects.create(code="kemen", name="Kementerian", kind=Institution.Kind.MINISTRY)
    with pytest.raises(IntegrityError):
        Institution.objects.create(code="dinas", name="Dinas", kind=Institution.Kind.OPD)


@pytest.mark.django_db
def test_institution_notice_email_list_splits_commas_and_lines():
    institution = InstitutionFactory(notice_emails="a@x.go.id, b@x.go.id\nc@x.go.id\n")
    assert institution.notice_email_list == ["a@x.go.id", "b@x.go.id", "c@x.go.id"]


@pytest.mark.django_db
def test_institution_clean_rejects_bad_notice_email():
    from django.core.exceptions import ValidationError

    institution = InstitutionFactory.build(notice_emails="a@x.go.id, not-an-address")
    with pytest.raises(ValidationError) as error:
        institution.clean()
    assert list(error.value.message_dict) == ["notice_emails"]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "name"), [("7605", "Pasangkayu"), ("76.01", "Pasangkayu"), ("76", "Sulawesi Barat")])
def test_region_by_code_accepts_either_code_system(code, name):
    from jipp.selectors import region_by_code

    assert region_by_code(code=code).name == name


@pytest.mark.django_db
def test_region_by_code_unknown_is_none():
    from jipp.selectors import region_by_code

    assert region_by_code(code="9999") is None
