"""Publishing a record tells the hub's members, as the hub chooses: one notice each, after the commit,
or a line in the daily digest; never when the publication is rolled back."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from innovations.notices import published_between
from innovations.services.workflow import innovation_publish
from jipp.models import HubSettings, Membership, Notice
from tests.innovations.factories_workflow import PublishedInnovationFactory, SubmittedInnovationFactory
from tests.jipp.factories_hub import HubFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(hub_admin, institution, other_institution):
    hub = HubFactory()
    MembershipFactory(hub=hub, institution=hub_admin.institution, role=Membership.Role.COORDINATOR)
    MembershipFactory(hub=hub, institution=institution)
    MembershipFactory(hub=hub, institution=other_institution)
    return hub


def publish(record, by, capture):
    with capture(execute=True):
        return innovation_publish(innovation=record, by=by)


def test_innovation_publish_notifies_the_members_when_the_hub_wants_each(
    hub, hub_admin, institution, django_capture_on_commit_callbacks
):
    HubSettings.objects.create(hub=hub, publish_notice=HubSettings.PublishNotice.EACH)
    record = SubmittedInnovationFactory(institution=institution, title="Sapa Lansia", slug="sapa-lansia")
    publish(record, hub_admin, django_capture_on_commit_callbacks)
    notice = Notice.objects.get()
    assert (
        notice.kind,
        notice.source_key,
        notice.link_url.endswith("/inovasi/sapa-lansia/"),
        notice.recipients.count(),
    ) == (Notice.Kind.BEST_PRACTICE, f"innovation-published:{record.pk}", True, 3)


@pytest.mark.parametrize("setting", [HubSettings.PublishNotice.OFF, HubSettings.PublishNotice.DAILY_DIGEST])
def test_innovation_publish_sends_no_notice_of_its_own_otherwise(
    hub, hub_admin, institution, setting, django_capture_on_commit_callbacks
):
    HubSettings.objects.create(hub=hub, publish_notice=setting)
    publish(SubmittedInnovationFactory(institution=institution), hub_admin, django_capture_on_commit_callbacks)
    assert Notice.objects.count() == 0


def test_innovation_publish_rolled_back_notifies_nobody(
    hub, hub_admin, institution, django_capture_on_commit_callbacks
):
    HubSettings.objects.create(hub=hub, publish_notice=HubSettings.PublishNotice.EACH)
    record = SubmittedInnovationFactory(institution=institution)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        innovation_publish(innovation=record, by=hub_admin)
        raise RuntimeError("the request failed after publishing")
    assert Notice.objects.count() == 0


def test_published_between_lists_the_members_records_of_the_window(institution, other_institution):
    now = timezone.now()
    inside = PublishedInnovationFactory(institution=institution, published_at=now - datetime.timedelta(hours=2))
    PublishedInnovationFactory(institution=institution, published_at=now - datetime.timedelta(days=2))
    PublishedInnovationFactory(institution=other_institution, published_at=now - datetime.timedelta(hours=1))
    items = published_between([institution.pk], now - datetime.timedelta(days=1), now)
    assert [(item.title, item.institution) for item in items] == [(inside.title, institution.name)]
