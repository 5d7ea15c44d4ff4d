"""Writes of the hub network. Keyword-only, typed, each owning its transaction."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone


def ping_answer(*, token: str) -> dict[str, str]:
    return {"token": token, "database": connection.vendor}


@transaction.atomic
def sessions_clear_expired() -> int:
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
