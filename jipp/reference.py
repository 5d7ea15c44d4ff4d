"""Reference data kept in the project (jipp/data/), loaded by data migrations and seed_demo."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
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


def read_maturity_questions() -> list[dict[str, Any]]:
    with (DATA_DIR / "maturity_questions.json").open(encoding="utf-8") as handle:
        questions: list[dict[str, Any]] = json.load(handle)
    return questions


def load_maturity_questions(question_model: Any, option_model: Any) -> int:
    """Create the default maturity questions (jipp/data/maturity_questions.json) unless any question
    exists: once the questions are configured in the admin, they are never overwritten.
    Returns how many questions were created."""
    if question_model.objects.exists():
        return 0
    questions = read_maturity_questions()
    for order, row in enumerate(questions):
        question = question_model.objects.create(
            aspect=row["aspect"],
            text_id=row["text_id"],
            text_en=row["text_en"],
            guidance_id=row["guidance_id"],
            guidance_en=row["guidance_en"],
            weight=Decimal(row["weight"]),
            order=order,
        )
        for position, option in enumerate(row["options"]):
            option_model.objects.create(
                question=question,
                label_id=option["label_id"],
                label_en=option["label_en"],
                score=Decimal(option["score"]),
                order=position,
            )
    return len(questions)
