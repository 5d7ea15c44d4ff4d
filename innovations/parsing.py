"""Reading values as officials type them, shared by the record form and the bulk import."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
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


# --- Numbers, dates and names as a spreadsheet holds them (the bulk import) ------------------------

_WHOLE = re.compile(r"([0-9]+)(?:[.,]0+)?")
_MONTHS = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "mrt", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "agst", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ t][0-9:.]+)?")
_NUMERIC_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_NAMED_DATE = re.compile(r"(?:([0-9]{1,2})\s*)?([a-z]+)\.?,?\s*([0-9]{4})")
FIRST_YEAR, LAST_YEAR = 1945, 2100


def parse_whole_number(value: str) -> int | None:
    """A whole number as typed or as Excel exports one: "3", "2019", "2019.0"; None otherwise."""
    match = _WHOLE.fullmatch(value.strip())
    return int(match.group(1)) if match else None


def parse_date(value: str) -> dt.date | None:
    """A date as officials write it, or None.

    "2024-12-31", "31/12/2024", "31-12-2024", "31.12.2024", "31 Desember 2024", "31 Des 2024",
    "31 December 2024" (Indonesian or English month names, abbreviated or not); a month and year
    ("Maret 2025") is the first of that month, and a bare year ("2019", or "2019.0" as Excel exports
    a number) is the first of January, since historical records often know no more.
    """
    text = " ".join(value.split()).casefold()
    year = parse_whole_number(text)
    if year is not None:
        return dt.date(year, 1, 1) if FIRST_YEAR <= year <= LAST_YEAR else None
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _NUMERIC_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif (match := _NAMED_DATE.fullmatch(text)) and match.group(2) in _MONTHS:
        day, month, year = int(match.group(1) or 1), _MONTHS[match.group(2)], int(match.group(3))
    else:
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# Short forms of West Sulawesi's regions and of agency names, as officials write them.
_PHRASES = {
    "mamuju utara": "pasangkayu",
    "polman": "polewali mandar",
    "mateng": "mamuju tengah",
    "matra": "pasangkayu",
    "sulbar": "sulawesi barat",
    "pemkab": "pemerintah kabupaten",
    "pemprov": "pemerintah provinsi",
    "pemda": "pemerintah",
    "setda": "sekretariat daerah",
    "dinkes": "dinas kesehatan",
    "disdukcapil": "dinas kependudukan dan pencatatan sipil",
    "dukcapil": "dinas kependudukan dan pencatatan sipil",
    "disdik": "dinas pendidikan",
    "disdikbud": "dinas pendidikan dan kebudayaan",
    "dinsos": "dinas sosial",
    "dishub": "dinas perhubungan",
    "diskominfo": "dinas komunikasi dan informatika",
    "bapenda": "badan pendapatan daerah",
}
# Words that say which level a region is: "Kab. Majene", "Kabupaten Majene" and "Majene" are one place.
_LEVEL_WORDS = frozenset({"kabupaten", "kab", "provinsi", "prov", "propinsi"})
_NAME_WORD = re.compile(r"[a-z0-9]+")
_SHORT_FORM = re.compile(r"\b(" + "|".join(map(re.escape, _PHRASES)) + r")\b")


def name_key(value: str) -> str:
    """What identifies a region's or an institution's name whichever way it is written.

    Lower case, accents and punctuation dropped, short forms spelt out ("Dinkes Polman" and "Dinas
    Kesehatan Kabupaten Polewali Mandar" give the same key), region levels left out.
    """
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    text = " ".join(_NAME_WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c))))
    text = _SHORT_FORM.sub(lambda match: _PHRASES[match.group(1)], text)
    return " ".join(word for word in text.split() if word not in _LEVEL_WORDS)
