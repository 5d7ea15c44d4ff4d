"""Reads of innovation records, always scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jipp.permissions import can

from .models import Innovation, State


def innovations_published() -> QuerySet[Innovation]:
    """The public set: published records only, never a pending change."""
    return Innovation.objects.filter(state=State.PUBLISHED, revision_of__isnull=True)


def innovations_visible_to(*, user: Any) -> QuerySet[Innovation]:
    """Every record `user` may open: published ones for everybody, plus their own institution's."""
    published = Q(state=State.PUBLISHED, revision_of__isnull=True)
    if not user.is_authenticated:
        return Innovation.objects.filter(published)
    if can(user, "innovations.view_queue"):
        return Innovation.objects.all()
    if user.institution_id is None:
        return Innovation.objects.filter(published)
    return Innovation.objects.filter(published | Q(institution_id=user.institution_id))


def innovations_of_institution(*, user: Any) -> QuerySet[Innovation]:
    """The operator's "my institution's innovations" list."""
    if not user.is_authenticated or user.institution_id is None:
        return Innovation.objects.none()
    return Innovation.objects.filter(institution_id=user.institution_id)


# --- Replications, lineage and sustainability (owned by the network area; append below) ---
