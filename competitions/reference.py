"""Reference data of the competitions app: the KIPP categories of each year (competitions/data/)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class CategoryRow:
    code: int
    name_id: str
    name_en: str


@cache
def _categories_by_year() -> dict[int, tuple[CategoryRow, ...]]:
    by_year: dict[int, list[CategoryRow]] = {}
    with (DATA_DIR / "kipp_categories.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_year.setdefault(int(row["year"]), []).append(
                CategoryRow(code=int(row["code"]), name_id=row["name_id"].strip(), name_en=row["name_en"].strip())
            )
    return {year: tuple(rows) for year, rows in by_year.items()}


def kipp_categories(year: int) -> tuple[CategoryRow, ...]:
    """The categories of `year`; for a year the file does not hold yet, those of the latest earlier year
    (a starting point the secretariat edits), or none."""
    by_year = _categories_by_year()
    earlier = [known for known in by_year if known <= year]
    return by_year[max(earlier)] if earlier else ()
