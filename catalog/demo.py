"""Demo data of the catalogue: the search data of the records the other apps seeded.

The innovations seed writes records directly (not through the services), so their search
documents are filled here, in bulk (records that have one already are left alone), and the
vocabulary of "did you mean" is rebuilt from them.
"""

from __future__ import annotations

import random
from typing import IO

from innovations.models import Innovation
from innovations.services.search import innovations_search_refresh

from .services import search_vocabulary_rebuild


def seed(*, rng: random.Random, stdout: IO[str]) -> None:
    count = innovations_search_refresh(queryset=Innovation.objects.filter(search_title=""))
    words = search_vocabulary_rebuild()
    stdout.write(f"  catalogue: search documents of {count} records, {words} words to suggest\n")
