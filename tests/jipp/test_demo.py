"""The hub of the demo data: Sulawesi Barat with its coordinator and members."""

import datetime
import random
from io import StringIO

import pytest
from django.utils import timezone

from jipp import demo
from jipp.models import Hub, Institution, Membership, MembershipContact

pytestmark = pytest.mark.django_db


def seed() -> Hub:
    demo.seed(rng=random.Random(1), stdout=StringIO())
    return Hub.objects.get(slug=demo.HUB_SLUG)


def test_seed_hub_sulawesi_barat_is_designated_by_its_decree():
    hub = seed()
    assert (hub.province.name, hub.decree_number, hub.status) == (
        "Sulawesi Barat",
        "KepmenPANRB No. 305/2024",
        Hub.Status.DESIGNATED,
    )


def test_seed_hub_bapperida_coordinates_and_biro_organisasi_is_a_member():
    hub = seed()
    roles = dict(hub.memberships.values_list("institution__code", "role"))
    assert (roles["sulbar-bapperida"], roles["sulbar-biro-organisasi"]) == (
        Membership.Role.COORDINATOR,
        Membership.Role.MEMBER,
    )


def test_seed_hub_six_regency_governments_and_their_agencies_are_members():
    hub = seed()
    pemda = hub.memberships.filter(institution__kind=Institution.Kind.PEMDA, institution__region__level="regency")
    agencies = hub.memberships.filter(
        institution__parent__kind=Institution.Kind.PEMDA, institution__region__level="regency"
    )
    assert (pemda.count(), agencies.count(), hub.memberships.filter(institution__kind="ministry").count()) == (6, 30, 0)


def test_seed_hub_every_member_has_a_contact():
    hub = seed()
    assert MembershipContact.objects.filter(membership__hub=hub).count() == hub.memberships.count()


def test_seed_hub_twice_changes_nothing():
    seed()
    first = (Membership.objects.count(), MembershipContact.objects.count(), Hub.objects.count())
    seed()
    assert (Membership.objects.count(), MembershipContact.objects.count(), Hub.objects.count()) == first


def test_seed_hub_has_the_coaching_of_18_march_2025_with_the_regencies_attending():
    hub = seed()
    coaching = hub.activities.get(title="Pembinaan Inovasi Pelayanan Publik")
    assert (
        timezone.localtime(coaching.starts_at).date(),
        coaching.mode,
        coaching.attendance.filter(attended=True).count(),
    ) == (
        datetime.date(2025, 3, 18),
        "online",
        6,
    )


def test_seed_hub_has_two_submitted_maturity_years_to_compare():
    hub = seed()
    assessments = hub.maturity_assessments.order_by("year")
    assert [(a.year, a.status) for a in assessments] == [(2024, "submitted"), (2025, "submitted")]
    assert assessments[0].scores["overall"] < assessments[1].scores["overall"]
