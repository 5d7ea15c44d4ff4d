"""The demo's notices: the coaching invitation of March 2025 delivered to every member, acknowledged by
the regency governments, waiting in the demo operator's inbox; the KIPP 2026 call as a draft."""

import random
from io import StringIO

import pytest

from jipp import demo
from jipp.models import Delivery, Hub, Notice, User
from jipp.selectors import inbox_deliveries, notice_progress

pytestmark = pytest.mark.django_db


def seed() -> Hub:
    demo.seed(rng=random.Random(1), stdout=StringIO())
    return Hub.objects.get(slug=demo.HUB_SLUG)


def test_seed_notices_the_coaching_invitation_is_delivered_and_the_regencies_acknowledged_it():
    hub = seed()
    notice = Notice.objects.get(hub=hub, source_key="demo:coaching-2025")
    progress = notice_progress(notice=notice)
    assert (notice.status, progress.counts["queued"], progress.acknowledged_institutions, progress.institutions) == (
        Notice.Status.SENT,
        0,
        6,
        hub.memberships.active().count(),
    )


def test_seed_notices_the_demo_operator_has_it_to_acknowledge():
    seed()
    [delivery] = inbox_deliveries(user=User.objects.get(username="operator"))
    assert (delivery.state, delivery.notice.kind) == (Delivery.State.SENT, Notice.Kind.COACHING_INVITATION)


def test_seed_notices_twice_writes_them_once():
    seed()
    seed()
    assert sorted(Notice.objects.values_list("status", flat=True)) == [Notice.Status.DRAFT, Notice.Status.SENT]
