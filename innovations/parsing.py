"""Reading values as officials type them, shared by the record form and the bulk import."""

from __future__ import annotations

import re
from decimal import Decimal

_CURRENCY = re.compile(r"^(?:rp|idr)\.?", re.IGNORECASE)
# "Rp 75.000.000,-" is the usual way to write a round amount.
_ROUND_SUFFIX = re.compile(r"[.,]-+$")
_GROUPED = {".": re.compile(r"\d{1,3}(?:\.\d{3})+"), ",": re.compile(r"\d{1,3}(?:,\d{3})+")}


def parse_rupiah(value: str) -> Decimal | None:
    """The amount of rupiah `value` says, or None when it is not an amount (blank included).

    Accepts "175000000", "175.000.000" and "175,000,000" (separators between thousands),
    "Rp. 75.000.000,00", "Rp 75.000.000,-" and "IDR 75000000", and "2019.0" as Excel writes a
    number. With both separators the last one starts the decimals; a single separator followed by
    exactly three digits separates thousands. A decimal part of zeros is dropped; any other is kept,
    for the caller to refuse if it wants whole rupiah.
    """
    text = _ROUND_SUFFIX.sub("", _CURRENCY.sub("", value.strip()).replace("\xa0", "").replace(" ", ""))
    if not text:
        return None
    last = max(text.rfind("."), text.rfind(","))
    whole, fraction = text, ""
    if last != -1:
        mark = text[last]
        both = "." in text and "," in text
        if both or (text.count(mark) == 1 and len(text) - last - 1 != 3):
            whole, fraction = text[:last], text[last + 1 :]
        thousands = next((separator for separator in ".," if separator in whole), None)
        if thousands is not None:
            if not _GROUPED[thousands].fullmatch(whole):
                return None
            whole = whole.replace(thousands, "")
    # ASCII digits only: '²'.isdigit() is true, yet Decimal() refuses it.
    if not (whole.isascii() and whole.isdigit()) or (fraction and not (fraction.isascii() and fraction.isdigit())):
        return None
    if fraction.strip("0") == "":
        return Decimal(whole)
    return Decimal(f"{whole}.{fraction}")
