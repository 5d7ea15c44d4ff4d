from decimal import Decimal

import pytest

from innovations.parsing import parse_rupiah


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("175000000", Decimal(175_000_000)),
        ("175.000.000", Decimal(175_000_000)),
        ("175,000,000", Decimal(175_000_000)),
        ("Rp. 75.000.000,00", Decimal(75_000_000)),
        ("Rp 75.000.000,-", Decimal(75_000_000)),
        ("rp75.000.000", Decimal(75_000_000)),
        ("IDR 75,000,000.00", Decimal(75_000_000)),
        (" 75\xa0000\xa0000 ", Decimal(75_000_000)),
        ("150.000", Decimal(150_000)),
        ("2019.0", Decimal(2019)),
        ("0", Decimal(0)),
        ("1.500,50", Decimal("1500.50")),
    ],
)
def test_parse_rupiah_reads_what_officials_type(typed, amount):
    assert parse_rupiah(typed) == amount


def test_parse_rupiah_drops_a_decimal_part_of_zeros():
    assert parse_rupiah("Rp. 75.000.000,00").as_tuple().exponent == 0


@pytest.mark.parametrize("typed", ["", "  ", "Rp", "tujuh juta", "1.50.000", "12.3456.789", "-500", "1,2,3", "5 juta"])
def test_parse_rupiah_refuses_what_is_not_an_amount(typed):
    assert parse_rupiah(typed) is None
