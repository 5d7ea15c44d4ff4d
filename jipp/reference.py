"""Reference data kept in the project (jipp/data/), loaded by data migrations and seed_demo."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_regions() -> list[dict[str, str]]:
    with (DATA_DIR / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_regions(region_model: Any) -> None:
    """Create or update every region of regions.csv; safe to run again.

    Takes the model class so that a data migration can pass its historical model.
    """
    by_bps: dict[str, Any] = {}
    # Provinces first, so that each regency finds its parent.
    for row in sorted(read_regions(), key=lambda r: r["level"] != "province"):
        region, _created = region_model.objects.update_or_create(
            bps_code=row["bps_code"],
            defaults={
                "level": row["level"],
                "name": row["name"],
                "kemendagri_code": row["kemendagri_code"],
                "capital": row["capital"],
                "parent": by_bps.get(row["parent_bps_code"]) if row["parent_bps_code"] else None,
            },
        )
        by_bps[row["bps_code"]] = region


def load_role_groups(group_model: Any) -> None:
    from .models import Role

    for role in Role.values:
        group_model.objects.get_or_create(name=role)
