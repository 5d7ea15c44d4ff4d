"""Per-connection database settings of the catalogue's search."""

from __future__ import annotations

from typing import Any

from .selectors import TITLE_LIKENESS_THRESHOLD


def set_trigram_threshold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Let `%>` (typo-tolerant title match) accept one wrong letter in a word of about nine."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET pg_trgm.word_similarity_threshold = %s", [TITLE_LIKENESS_THRESHOLD])
