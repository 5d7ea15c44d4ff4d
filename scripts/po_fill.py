#!/usr/bin/env python
"""Fill Indonesian translations into locale/id/LC_MESSAGES/django.po and compile it.

  scripts/po_fill.py --missing            print the untranslated msgids as a JSON object to fill in
  scripts/po_fill.py FILE.json [...]      merge {"msgid": "msgstr", ...} into the catalogue, compile .mo

Run `make messages` first so that the catalogue holds every string of the code and templates.
Plural entries take a JSON list [singular, plural].
"""

import argparse
import json
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "id" / "LC_MESSAGES" / "django.po"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--missing", action="store_true")
    options = parser.parse_args()
    catalogue = polib.pofile(str(CATALOGUE), wrapwidth=100)
    if options.missing:
        missing = {entry.msgid: "" for entry in catalogue if not entry.translated() and not entry.obsolete}
        json.dump(missing, sys.stdout, ensure_ascii=False, indent=1)
        return 0
    translations: dict[str, str | list[str]] = {}
    for path in options.files:
        translations.update(json.loads(path.read_text(encoding="utf-8")))
    for entry in catalogue:
        value = translations.get(entry.msgid)
        if not value:
            continue
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value, value]
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.metadata["Language"] = "id"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.save()
    catalogue.save_as_mofile(str(CATALOGUE.with_suffix(".mo")))
    untranslated = [entry.msgid for entry in catalogue if not entry.translated() and not entry.obsolete]
    print(f"{len(catalogue.translated_entries())} translated, {len(untranslated)} missing", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
