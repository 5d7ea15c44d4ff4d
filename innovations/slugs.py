"""Slugs of innovation records: unique, and never a fixed path segment of the URLs they live under."""

from __future__ import annotations

from django.utils.text import slugify

from .models import Innovation

# First path segments that the staff (/kelola/) and public (/inovasi/) URLs use besides a slug.
RESERVED_SLUGS = frozenset({"baru", "verifikasi", "mirip", "bukti", "replikasi", "impor", "keberlanjutan", "feed"})


def innovation_slug_unique(text: str) -> str:
    base = (slugify(text) or "inovasi")[:200]
    candidate, number = base, 2
    while candidate in RESERVED_SLUGS or Innovation.objects.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate
