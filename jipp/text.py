"""Text hygiene shared by every way text enters the portal (forms, imports, API) and every XML output.

Officials paste from Word and Excel: a manual line break there is a vertical tab (\\x0b), a page
break a form feed (\\x0c), and odd control characters ride along. XML 1.0 (Atom, sitemap) cannot carry
any of them, and PostgreSQL refuses NUL in text. Input is cleaned rather than refused, so that what
a person typed is never lost over a character they cannot see; output is cleaned again so that what
was stored before this rule existed cannot break a feed.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import QueryDict

# Word's manual line break and page break mean "new line" to the person who typed them.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
# C0 controls but tab, LF and CR; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Characters XML 1.0 cannot hold at all (besides the controls above): surrogates and the two
# non-characters U+FFFE and U+FFFF.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """`value` without control characters; Word's line and page breaks become new lines."""
    return _CONTROL.sub("", value.translate(_LINE_BREAKS))


def xml_safe(value: str) -> str:
    """`value` with every character that XML 1.0 cannot carry removed (for feeds and sitemaps)."""
    return _XML_ILLEGAL.sub("", value)


def clean_data(data: Any) -> Any:
    """A copy of submitted form data (a QueryDict or a dict) with every text value cleaned."""
    if data is None:
        return None
    if isinstance(data, QueryDict):
        cleaned = QueryDict(mutable=True, encoding=data.encoding)
        for key, values in data.lists():
            cleaned.setlist(clean_text(key), [clean_text(v) if isinstance(v, str) else v for v in values])
        cleaned._mutable = False
        return cleaned
    if isinstance(data, dict):
        return {key: clean_text(v) if isinstance(v, str) else v for key, v in data.items()}
    return data


class CleanTextFormMixin:
    """Mix into every form that takes typed text: control characters are removed before any field
    sees the data, so validation, the similar-records lookup and the database get clean text and a
    rejected form redisplays it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args:
            args = (clean_data(args[0]), *args[1:])
        elif "data" in kwargs:
            kwargs["data"] = clean_data(kwargs["data"])
        super().__init__(*args, **kwargs)
