"""What the tests of the public XML outputs (feed, sitemap) share."""

from xml.etree import ElementTree

from django.db import connection


def control_characters() -> str:
    """Every character XML 1.0 cannot carry or that a Word paste brings along, as far as the database
    can store it: PostgreSQL refuses NUL in text, and no database stores a lone surrogate."""
    characters = [chr(code) for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))]
    characters += ["\ufffe", "\uffff", "\u2028"]
    if connection.vendor == "postgresql":
        characters.remove("\x00")
    return "".join(characters)


def parse_xml(content: bytes) -> ElementTree.Element:
    """A strict XML 1.0 parse (expat), as a feed reader or a search engine does it."""
    return ElementTree.fromstring(content)  # noqa: S314 (the portal's own output, in a test)
