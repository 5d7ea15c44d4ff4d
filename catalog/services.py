"""Writes of the catalogue: its search vocabulary, rebuilt from the published records, and the public
figures computed ahead of the first visitor after a publication."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import connection, transaction

from innovations.search import stem, words
from innovations.selectors import innovations_published

from .figures import public_figures_compute
from .freshness import catalog_version, forget_catalog_version
from .models import SearchWord

# Fields whose words may be offered as corrections: what a record is called and where it is from.
# (The long sections would multiply the vocabulary for little: their words are mostly in these.)
VOCABULARY_FIELDS = ("title", "summary", "unit", "institution__name", "region__name")
WORD_LENGTHS = range(3, 61)


def vocabulary_from(rows: Iterable[Iterable[str]]) -> Iterator[tuple[str, str, int]]:
    """(word, root, number of rows holding it) for the words of `rows`, each row a record's texts."""
    counts: Counter[str] = Counter()
    for texts in rows:
        counts.update({word for word in words(" ".join(text for text in texts if text)) if len(word) in WORD_LENGTHS})
    for word, count in counts.items():
        if not word.isdigit():
            yield word, stem(word)[:60], count


@transaction.atomic
def search_vocabulary_rebuild() -> int:
    """Replace the vocabulary by the words of the records published now; returns its size.

    Reads every published record once (a background task after each publication or archiving);
    pages only read the table.
    """
    if connection.vendor == "postgresql":
        # Two rebuilds at once would both insert the same words: the second waits for the first.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE catalog_searchword IN EXCLUSIVE MODE")
    rows = innovations_published().order_by().values_list(*VOCABULARY_FIELDS)
    vocabulary = [
        SearchWord(word=word, root=root, count=count) for word, root, count in vocabulary_from(rows.iterator())
    ]
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(vocabulary, batch_size=1000)
    return len(vocabulary)


def public_figures_warm(*, token: str) -> bool:
    """Keep the public figures (figures.public_figures_compute) for the catalogue's version `token`;
    False, computing nothing, when another version has replaced it since."""
    forget_catalog_version()  # this process's memo may be up to a second old
    version = catalog_version()
    if version.token != token:
        return False
    public_figures_compute(version=version)
    return True
