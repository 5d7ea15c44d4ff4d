"""Publishing a KIPP result tells the entrants' institutions through their hub, once, after the commit."""

import pytest
from django.db import transaction

from competitions.services.decisions import decisions_mark
from competitions.services.results import results_publish
from jipp.models import Membership, Notice
from tests.competitions.factories_results import ranked_edition
from tests.jipp.factories_hub import HubFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(db):
    return ranked_edition(totals=("90", "80", "70"))


@pytest.fixture
def hub(ranked, hub_admin):
    """The hub: its coordinator, and the institutions of the first two entries as members."""
    hub = HubFactory()
    MembershipFactory(hub=hub, institution=hub_admin.institution, role=Membership.Role.COORDINATOR)
    for entry in ranked.entries[:2]:
        MembershipFactory(hub=hub, institution=entry.institution)
    return hub


def publish_finalists(ranked, by, capture):
    decisions_mark(stage=ranked.finalist, by=by, entry_ids=[e.pk for e in ranked.entries], outcome="finalist")
    with capture(execute=True):
        results_publish(stage=ranked.finalist, by=by)


def test_results_publish_notifies_the_entrants_that_are_hub_members(
    ranked, hub, ministry_admin, django_capture_on_commit_callbacks
):
    publish_finalists(ranked, ministry_admin, django_capture_on_commit_callbacks)
    notice = Notice.objects.get()
    recipients = sorted(notice.recipients.values_list("institution_id", flat=True))
    assert (notice.hub, notice.kind, recipients, notice.link_url.endswith("/kipp/2045/")) == (
        hub,
        Notice.Kind.KIPP_RESULTS,
        sorted(entry.institution_id for entry in ranked.entries[:2]),
        True,
    )


def test_results_publish_rolled_back_notifies_nobody(ranked, hub, ministry_admin, django_capture_on_commit_callbacks):
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[ranked.entries[0].pk], outcome="finalist")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        results_publish(stage=ranked.finalist, by=ministry_admin)
        raise RuntimeError("the request failed after publishing")
    assert Notice.objects.count() == 0
