"""The catalogue's reactions to writes elsewhere that change what search must find."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from innovations.models import Innovation, State
from jipp.models import Institution

# Saving a record in one of these states may change which words the published records hold.
VOCABULARY_STATES = {State.PUBLISHED, State.ARCHIVED}


def institution_saved(sender: type[Institution], instance: Institution, created: bool, **kwargs: Any) -> None:
    """A renamed institution: its records' documents name it, so they are rewritten after the commit."""
    if created:
        return
    from .tasks import refresh_institution_search

    transaction.on_commit(lambda: refresh_institution_search.delay(institution_id=instance.pk))


def _rebuild_vocabulary() -> None:
    from .tasks import rebuild_search_vocabulary

    rebuild_search_vocabulary.delay()


def innovation_saved(sender: type[Innovation], instance: Innovation, **kwargs: Any) -> None:
    """A record published, changed while public or archived: rebuild the vocabulary after the commit.

    Once per transaction, however many records it saves (a seed or an import saves hundreds).
    """
    if instance.state not in VOCABULARY_STATES:
        return
    pending = transaction.get_connection().run_on_commit
    if any(callback is _rebuild_vocabulary for _savepoints, callback, _robust in pending):
        return
    transaction.on_commit(_rebuild_vocabulary)


def records_published(sender: type[Innovation], pks: list[int], **kwargs: Any) -> None:
    """Records published in bulk (an import) change the vocabulary as one published record does."""
    if pks:
        innovation_saved(sender, Innovation(state=State.PUBLISHED))


# --- The public side's version (catalog.freshness): any write its pages show gives it a new one ---


def public_record_changed(sender: type[Innovation], instance: Innovation, **kwargs: Any) -> None:
    """A record saved or deleted while public (or archived, which takes it off the public side)."""
    if instance.state in VOCABULARY_STATES:
        from .freshness import catalog_changed

        catalog_changed()


def public_data_changed(sender: type, **kwargs: Any) -> None:
    """Awards, evidence, replications, reports, SDGs and categories of records, institutions and regions."""
    from .freshness import catalog_changed

    catalog_changed()


def records_published_changed(sender: type[Innovation], pks: list[int], **kwargs: Any) -> None:
    if pks:
        public_data_changed(sender)
