"""Blind stages: what a reviewer reads of an entry without its institution, region or people's names.

The frozen snapshot names the institution, its unit and region outright, and its text, captions and
file names often name them again ("Dinas Kesehatan Kabupaten Majene", "Bapak Ahmad Yani, Kepala
Puskesmas", "SK_Bupati_Polman.pdf"). A blind copy drops the naming fields and replaces, in every text
left, the names that would give the entry away:
- the institution and its parent (name and code), and the unit;
- every region of the network (name and capital), with the short forms people write;
- the people: the entry institution's users and whoever submitted it (full name; a surname of four
  letters or more on its own too).
Evidence files are listed by caption and served under the entry's code (see
competitions.views.entries.entry_evidence_response); the contents of a PDF or photo cannot be
redacted and are the entrant's responsibility under the edition's rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from innovations.services.evidence import FILE_TYPES
from jipp.models import Institution, Region, User

from .models import Entry

# Short forms of the regions' names that the texts use; regions.csv holds only the official names.
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "Sulawesi Barat": ("Sulbar",),
    "Polewali Mandar": ("Polman",),
    "Mamuju Tengah": ("Mateng",),
    "Pasangkayu": ("Mamuju Utara", "Matra"),
}
# Shorter name parts are too often ordinary words ("Sari", "Ani") to be redacted on their own.
MIN_NAME_PART = 4
# Profile fields that point at the institution (a video channel names its owner).
IDENTIFYING_PROFILE_FIELDS = ("video_url",)

INSTITUTION, REGION, PERSON = "institution", "region", "person"


def _placeholder(kind: str) -> str:
    return {INSTITUTION: _("[institution]"), REGION: _("[region]"), PERSON: _("[name]")}[kind]


@dataclass
class Redactor:
    """Replaces every listed term (whole words, any case, any spacing) with its kind's placeholder."""

    terms: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

    def add(self, kind: str, *names: str | None) -> None:
        for name in names:
            cleaned = " ".join((name or "").split())
            if len(cleaned) >= 2:
                self.terms.setdefault(cleaned.casefold(), kind)
        self._pattern = None

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.terms:
            # Longest first, so "Mamuju Tengah" wins over "Mamuju" and an institution's full name over
            # the region inside it.
            alternatives = sorted(self.terms, key=len, reverse=True)
            body = "|".join(r"\s+".join(re.escape(word) for word in term.split()) for term in alternatives)
            self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
        return self._pattern

    def redact(self, text: str) -> str:
        pattern = self._compiled()
        if not text or pattern is None:
            return text
        return pattern.sub(lambda match: _placeholder(self.terms[" ".join(match.group(0).split()).casefold()]), text)


def _person_names(user: User) -> list[str]:
    names = [user.get_full_name()]
    if len(user.last_name.strip()) >= MIN_NAME_PART:
        names.append(user.last_name)
    return names


def _network_redactor() -> Redactor:
    redactor = Redactor()
    for name, capital in Region.objects.values_list("name", "capital"):
        redactor.add(REGION, name, capital, *REGION_ALIASES.get(name, ()))
    return redactor


def redactors_for(entries: Iterable[Entry]) -> dict[int, Redactor]:
    """A redactor per entry, in three queries whatever their number (regions, institutions, people)."""
    entries = list(entries)
    base = _network_redactor()
    institution_ids = {entry.institution_id for entry in entries}
    institutions = {
        institution.pk: institution
        for institution in Institution.objects.filter(pk__in=institution_ids).select_related("parent")
    }
    submitters = {entry.submitted_by_id for entry in entries if entry.submitted_by_id}
    people: dict[int | None, list[User]] = {}
    by_pk: dict[int, User] = {}
    for user in User.objects.filter(Q(institution_id__in=institution_ids) | Q(pk__in=submitters)).only(
        "pk", "first_name", "last_name", "institution_id"
    ):
        people.setdefault(user.institution_id, []).append(user)
        by_pk[user.pk] = user
    redactors = {}
    for entry in entries:
        redactor = Redactor(terms=dict(base.terms))
        institution = institutions.get(entry.institution_id)
        snapshot = entry.snapshot or {}
        redactor.add(INSTITUTION, snapshot.get("unit"), (snapshot.get("institution") or {}).get("name"))
        if institution is not None:
            redactor.add(INSTITUTION, institution.name, institution.code)
            if institution.parent is not None:
                redactor.add(INSTITUTION, institution.parent.name, institution.parent.code)
        for user in people.get(entry.institution_id, []):
            redactor.add(PERSON, *_person_names(user))
        if entry.submitted_by_id in by_pk:
            redactor.add(PERSON, *_person_names(by_pk[entry.submitted_by_id]))
        redactors[entry.pk] = redactor
    return redactors


def redactor_for(entry: Entry) -> Redactor:
    return redactors_for([entry])[entry.pk]


def blind_title(entry: Entry, redactor: Redactor) -> str:
    return redactor.redact(entry.title)


def blind_snapshot(snapshot: dict[str, Any], *, code: str, redactor: Redactor) -> dict[str, Any]:
    """The snapshot a blind stage shows: no institution, unit or region; identifying profile fields
    dropped; every text, caption and file name redacted (file names become the entry's code)."""
    blind: dict[str, Any] = {
        "title": redactor.redact(str(snapshot.get("title", ""))),
        "sections": {name: redactor.redact(str(text)) for name, text in (snapshot.get("sections") or {}).items()},
        # Profile values are choices, dates and amounts: nothing to redact once the links are gone.
        "profile": {
            name: value
            for name, value in (snapshot.get("profile") or {}).items()
            if name not in IDENTIFYING_PROFILE_FIELDS
        },
        "sdgs": list(snapshot.get("sdgs") or []),
        "awards": list(snapshot.get("awards") or []),
        "evidence": [],
    }
    for number, item in enumerate(snapshot.get("evidence") or [], start=1):
        file_type = FILE_TYPES.get(str(item.get("content_type", "")))
        blind["evidence"].append(
            {
                **item,
                "caption": redactor.redact(str(item.get("caption", ""))),
                # As the download is named (entry_evidence_response): the code and the file's place.
                "original_name": f"{code}-{number}.{file_type.extension if file_type else 'bin'}",
            }
        )
    return blind
