"""KIPP results tell the entrants through the hub network: once a decision stage's result is published
(and committed), each designated hub sends its member institutions among the stage's entrants one
notice linking the public results page (jipp.services.notices.institutions_announce; once per stage).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from jipp.models import Notice
from jipp.services.deliveries import absolute_url
from jipp.services.notices import institutions_announce

from .models import Stage


def results_announce_on_commit(*, stage: Stage, institution_ids: Iterable[int]) -> None:
    """Announce the published result to the entrants once the transaction commits; a failure to
    announce is logged and never undoes the publication (robust)."""
    ids = sorted(set(institution_ids))
    transaction.on_commit(partial(_announce, stage_id=stage.pk, institution_ids=ids), robust=True)


def _announce(*, stage_id: int, institution_ids: list[int]) -> None:
    stage = Stage.objects.select_related("edition").get(pk=stage_id)
    year = stage.edition.year
    with translation.override(settings.LANGUAGE_CODE):
        url = absolute_url(reverse("competitions:results", kwargs={"year": year}))
        if stage.kind == Stage.Kind.FINALIST:
            subject = _("KIPP %(year)s: finalists announced") % {"year": year}
            body = _(
                "The finalists of KIPP %(year)s have been announced. The results page shows each entry's outcome "
                "and, until the objection window closes, how to object."
            ) % {"year": year}
        else:
            subject = _("KIPP %(year)s: results published") % {"year": year}
            body = _(
                "The final results of KIPP %(year)s have been published. The results page shows each entry's "
                "outcome; winners' certificates can be downloaded there."
            ) % {"year": year}
        link_title = _("See the results")
    institutions_announce(
        institution_ids=institution_ids,
        kind=Notice.Kind.KIPP_RESULTS,
        subject=subject,
        body=body,
        source_key=f"kipp-results:{stage.pk}",
        link_title=link_title,
        link_url=url,
    )
