"""Fixtures of a hub for the tests of tests/jipp/.

The hub administrator's institution coordinates the hub; the operators' institutions (A and B, in two
regencies) are members; A is invited to the activity, B is not.
"""

import datetime

import pytest
from django.utils import timezone

from jipp.models import Membership
from tests.jipp.factories_hub import ActivityFactory, ContactFactory, HubFactory, MembershipFactory


@pytest.fixture
def hub(db):
    return HubFactory()


@pytest.fixture
def coordinator(hub, hub_admin):
    return MembershipFactory(hub=hub, institution=hub_admin.institution, role=Membership.Role.COORDINATOR)


@pytest.fixture
def member_a(hub, institution):
    return MembershipFactory(hub=hub, institution=institution)


@pytest.fixture
def member_b(hub, other_institution):
    return MembershipFactory(hub=hub, institution=other_institution)


@pytest.fixture
def contact_a(member_a):
    return ContactFactory(membership=member_a, email="kontak-a@example.go.id")


@pytest.fixture
def hub_network(hub, coordinator, member_a, member_b, contact_a):
    return hub


@pytest.fixture
def activity(hub_network, institution):
    return ActivityFactory(hub=hub_network, invited=[institution], title="Pembinaan Inovasi Pelayanan Publik")


@pytest.fixture
def past_activity(hub_network, institution):
    start = timezone.now() - datetime.timedelta(days=30)
    return ActivityFactory(
        hub=hub_network,
        invited=[institution],
        title="Klinik Replikasi Majene",
        kind="replication_clinic",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        mode="on_site",
        place="Aula Bapperida, Mamuju",
        link="",
    )
