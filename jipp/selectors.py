"""Reads of the hub network."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Institution, Region


def regions_all() -> QuerySet[Region]:
    return Region.objects.select_related("parent").order_by("bps_code")


def regencies() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.REGENCY).order_by("bps_code")


def region_by_code(*, code: str) -> Region | None:
    """Find a region by either its BPS code (7601) or its Kemendagri code (76.05)."""
    return Region.objects.filter(bps_code=code).first() or Region.objects.filter(kemendagri_code=code).first()


def institutions_all() -> QuerySet[Institution]:
    return Institution.objects.select_related("region", "parent").order_by("region__bps_code", "name")
