"""Reading rendered pages in tests by CSS selector (tinyhtml5 and cssselect2 come with WeasyPrint)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

import cssselect2
import tinyhtml5


def select(source: str | Element, selector: str) -> list[Element]:
    """Elements of a page (HTML text) or inside an element already found, matching `selector`."""
    if isinstance(source, str):
        root = cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(source))
    else:
        root = cssselect2.ElementWrapper.from_xml_root(source)
    return [wrapper.etree_element for wrapper in root.query_all(selector)]


def select_one(source: str | Element, selector: str) -> Element:
    found = select(source, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0]


def text(element: Element) -> str:
    """The element's text with white space collapsed, as a reader would hear it."""
    return " ".join("".join(element.itertext()).split())
