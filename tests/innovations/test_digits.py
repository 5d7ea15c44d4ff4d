"""Numbers typed with digits that are not ASCII digits ('²', '①', '٣'): str.isdigit() says yes, and
int() or Decimal() then refuses them. Every reader of typed numbers says "not a number" instead."""

import pytest

from innovations.models import ImportBatch
from innovations.parsing import parse_rupiah
from innovations.services.imports import import_batch_create, import_batch_run
from tests.innovations.factories_network import import_csv

pytestmark = pytest.mark.django_db

ODD_DIGITS = ["\u00b2", "1\u00b2", "\u2460", "Rp \u00b2"]


@pytest.mark.parametrize("typed", ODD_DIGITS)
def test_parse_rupiah_odd_digits_are_not_an_amount(typed):
    assert parse_rupiah(typed) is None


@pytest.mark.parametrize(
    ("column", "typed"),
    [("anggaran", "\u00b2"), ("sdg", "\u00b2"), ("sdg", "\u2460"), ("penghargaan", "\u00b2:kipp:top99")],
)
def test_import_odd_digits_are_a_row_error(institution, column, typed):
    row = {"judul": "Posyandu Digital", "kode_instansi": institution.code, column: typed}
    batch = import_batch_create(name="data.csv", content=import_csv([row]), by=None)
    batch = import_batch_run(batch_id=batch.pk)
    assert (batch.status, [(error["row"], error["column"]) for error in batch.errors]) == (
        ImportBatch.Status.FAILED,
        [(2, column)],
    )
