"""The catalogue's reactions to writes elsewhere that change what search must find."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jipp.models import Institution


def institution_saved(sender: type[Institution], instance: Institution, created: bool, **kwargs: Any) -> None:
    """A renamed institution: its records' documents name it, so they are rewritten after the commit."""
    if created:
        return
    from .tasks import refresh_institution_search

    transaction.on_commit(lambda: refresh_institution_search.delay(institution_id=instance.pk))
