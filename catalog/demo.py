"""Demo data of the catalogue: the search documents of the records the other apps seeded.

The innovations seed writes records directly (not through the services), so their search
documents are filled here, in bulk; records that have one already are left alone.
"""

from __future__ import annotations

import random
from typing import IO

from innovations.models import Innovation
from innovations.services.search import innovations_search_refresh


def seed(*, rng: random.Random, stdout: IO[str]) -> None:
    count = innovations_search_refresh(queryset=Innovation.objects.filter(search_title=""))
    stdout.write(f"  catalogue: search documents of {count} records\n")
