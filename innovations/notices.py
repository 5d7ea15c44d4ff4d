"""What the hub network hears of publications: jipp's notices cannot ask innovations, so innovations
tells them (jipp.services.notices). A record published through the workflow is announced after the
commit, as each hub it belongs to chooses (a notice each, or nothing now); hubs that want a daily
digest ask `published_between`, registered as a digest source when the app starts. Bulk imports are
not announced one by one: the digest covers them.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import translation

from jipp.services.deliveries import absolute_url
from jipp.services.notices import DigestItem, publication_announce

from .models import Innovation, State


def publication_announce_on_commit(*, innovation: Innovation) -> None:
    """Announce the record once the publishing transaction commits; a failure to announce is logged
    and never undoes or fails the publication (robust)."""
    transaction.on_commit(partial(_announce, innovation_id=innovation.pk), robust=True)


def _url(innovation: Innovation) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(innovation.get_absolute_url())


def _announce(*, innovation_id: int) -> None:
    innovation = Innovation.objects.filter(pk=innovation_id, state=State.PUBLISHED).first()
    if innovation is None:
        return
    publication_announce(
        institution_id=innovation.institution_id,
        title=innovation.title,
        summary=innovation.summary,
        url=_url(innovation),
        source_key=f"innovation-published:{innovation.pk}",
    )


def published_between(institution_ids: list[int], since: dt.datetime, until: dt.datetime) -> list[DigestItem]:
    """Records of these institutions published in (since, until], oldest first (a digest source). A
    verified change renews a record's publication date, so the digest of that day lists it again."""
    published = (
        Innovation.objects.filter(
            state=State.PUBLISHED,
            revision_of__isnull=True,
            institution__in=institution_ids,
            published_at__gt=since,
            published_at__lte=until,
        )
        .select_related("institution")
        .order_by("published_at", "pk")
    )
    return [
        DigestItem(title=record.title, url=_url(record), institution=record.institution.name, summary=record.summary)
        for record in published
    ]
