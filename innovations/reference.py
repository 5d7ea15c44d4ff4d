"""Reference data of the innovations app (innovations/data/), loaded by a data migration."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

# Starting thematic categories; the hub edits them in the admin afterwards.
CATEGORIES = [
    ("kesehatan", "Kesehatan", "Health"),
    ("pendidikan", "Pendidikan", "Education"),
    ("kependudukan", "Administrasi kependudukan", "Civil registration"),
    ("ekonomi-umkm", "Ekonomi dan UMKM", "Economy and small businesses"),
    ("pangan-pertanian", "Pangan dan pertanian", "Food and agriculture"),
    ("lingkungan", "Lingkungan hidup", "Environment"),
    ("transformasi-digital", "Transformasi digital", "Digital transformation"),
    ("perlindungan-sosial", "Perlindungan sosial, perempuan dan anak", "Social, women and child protection"),
    ("perizinan-investasi", "Perizinan dan investasi", "Licensing and investment"),
    ("tata-kelola", "Tata kelola pemerintahan", "Governance"),
]


def load_sdgs(sdg_model: Any) -> None:
    with (DATA_DIR / "sdgs.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sdg_model.objects.update_or_create(
                number=int(row["number"]), defaults={"name_id": row["name_id"], "name_en": row["name_en"]}
            )


def load_categories(category_model: Any) -> None:
    for slug, name_id, name_en in CATEGORIES:
        category_model.objects.get_or_create(slug=slug, defaults={"name_id": name_id, "name_en": name_en})
