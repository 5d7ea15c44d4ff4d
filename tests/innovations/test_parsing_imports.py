"""The readers of innovations.parsing that the bulk import uses: dates, whole numbers and names."""

import datetime as dt

import pytest

from innovations.parsing import name_key, parse_date, parse_whole_number


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("31 Desember 2024", dt.date(2024, 12, 31)),
        ("31 Des. 2024", dt.date(2024, 12, 31)),
        ("31 December 2024", dt.date(2024, 12, 31)),
        ("17 Agustus 1945", dt.date(1945, 8, 17)),
        ("31.12.2024", dt.date(2024, 12, 31)),
        ("2024-12-31 00:00:00", dt.date(2024, 12, 31)),
        ("Maret 2025", dt.date(2025, 3, 1)),
        (" 2019.0 ", dt.date(2019, 1, 1)),
    ],
)
def test_parse_date_reads_what_officials_write(typed, date):
    assert parse_date(typed) == date


@pytest.mark.parametrize(
    "typed", ["31 Februari 2024", "12/31/2024", "kemarin", "Maret", "1800", "2024²", "13 Bulan 2024"]
)
def test_parse_date_refuses_what_is_not_a_date(typed):
    assert parse_date(typed) is None


@pytest.mark.parametrize(
    ("typed", "number"), [("3", 3), ("2019.0", 2019), ("2019,00", 2019), ("3.5", None), ("³", None)]
)
def test_parse_whole_number_reads_excel_numbers_only_when_whole(typed, number):
    assert parse_whole_number(typed) == number


@pytest.mark.parametrize(
    ("typed", "written_out"),
    [
        ("Dinkes Polman", "Dinas Kesehatan Kabupaten Polewali Mandar"),
        ("Pemkab. Mamuju Utara", "Pemerintah Kabupaten Pasangkayu"),
        ("Disdukcapil Kab. Majene", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Majene"),
        ("Bapperida Prov. Sulbar", "Bapperida Provinsi Sulawesi Barat"),
    ],
)
def test_name_key_is_the_same_for_short_and_full_names(typed, written_out):
    assert name_key(typed) == name_key(written_out)
