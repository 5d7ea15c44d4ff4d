"""How text becomes search words: one analysis for the records and the queries, on every database.

Text is lower-cased, stripped of accents and split on anything that is not a letter or a digit;
common function words are dropped and each word is reduced to its root by Sastrawi (the
dictionary-based Nazief-Adriani stemmer), so "kependudukan" and "penduduk" both become "duduk"
(PostgreSQL's snowball 'indonesian' makes "nduduk" and "duduk" of them).

A record's search document is four strings of distinct roots, one per weight: title, summary, the
other sections, and where it comes from (unit, institution, region). The services write them with
the record; PostgreSQL turns them into the indexed `search_vector` (configuration 'simple'), SQLite
matches them with LIKE. Each string starts and ends with a space, so " root " matches whole words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from .models import SECTION_LIMITS

if TYPE_CHECKING:
    from Sastrawi.Stemmer.Stemmer import Stemmer

    from .models import Innovation

WORD = re.compile(r"[a-z0-9]+")
# Function words that would make "every word must match" fail for no reason and that say nothing
# about a record. Kept short on purpose: Sastrawi's own list drops words such as "baru" or "ada".
_STOPWORD_TEXT = """
adalah agar akan atau bagi dalam dan dari dengan di ini itu juga karena ke kah lah nya oleh pada para pun
serta sebagai sudah telah tersebut untuk yaitu yakni yang
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
BODY_SECTIONS: tuple[str, ...] = tuple(name for name in SECTION_LIMITS if name != "summary")
# Field of Innovation -> weight letter of PostgreSQL's search_vector (see the catalogue's migration).
DOCUMENT_FIELDS: dict[str, str] = {
    "search_title": "A",
    "search_summary": "B",
    "search_body": "C",
    "search_place": "D",
}


def normalise(text: str) -> str:
    """Lower case without accents: "Stúnting" -> "stunting"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def words(text: str) -> list[str]:
    """The words of `text` as typed (normalised), function words left out, in order."""
    return [word for word in WORD.findall(normalise(text)) if word not in STOPWORDS]


@cache
def _stemmer() -> Stemmer:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # The stemmer itself, without the factory's unbounded cache wrapper: `stem` keeps a bounded one.
    return StemmerFactory().create_stemmer().delegatedStemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The root of one normalised word ("pelayanan" -> "layan"); the word itself if none is known."""
    return _stemmer().stem_word(word) or word


def roots(text: str) -> list[str]:
    """Distinct roots of the words of `text`, in the order they first appear."""
    return list(dict.fromkeys(stem(word) for word in words(text)))


def _document(text: str) -> str:
    found = roots(text)
    return f" {' '.join(found)} " if found else ""


def search_document(*, values: Mapping[str, Any], place: Iterable[str]) -> dict[str, str]:
    """The four search strings of a record from its field values and the names of where it is from."""
    return {
        "search_title": _document(values.get("title") or ""),
        "search_summary": _document(values.get("summary") or ""),
        "search_body": _document(" ".join(values.get(name) or "" for name in BODY_SECTIONS)),
        "search_place": _document(" ".join(name for name in place if name)),
    }


def innovation_place(innovation: Innovation) -> list[str]:
    return [innovation.unit, innovation.institution.name, innovation.region.name]


def fill_search_document(innovation: Innovation) -> None:
    """Set the search strings of an unsaved change from its current values; the caller saves."""
    values = {name: getattr(innovation, name) for name in ("title", "summary", *BODY_SECTIONS)}
    for name, value in search_document(values=values, place=innovation_place(innovation)).items():
        setattr(innovation, name, value)
