"""Memberships and contacts: who may change them, what is refused, and the history kept."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jipp.models import Membership, MembershipContact
from jipp.selectors import hub_members_by_region, membership_history
from jipp.services.hub import contact_add, contact_change, membership_add, membership_change, membership_end
from tests.factories import InstitutionFactory, regency
from tests.jipp.factories_hub import MembershipFactory, province

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 1, 6)


def test_membership_add_by_hub_administrator_makes_a_member(hub_network, hub_admin):
    newcomer = InstitutionFactory(code="mamasa-dinkes-uji", region=regency("Mamasa"))
    membership = membership_add(hub=hub_network, institution=newcomer, role="partner", starts_on=DAY, by=hub_admin)
    assert (membership.role, membership.starts_on, membership.ends_on) == ("partner", DAY, None)


def test_membership_add_records_who_in_history(hub_network, hub_admin):
    newcomer = InstitutionFactory(code="mamasa-dinkes-uji", region=regency("Mamasa"))
    membership = membership_add(hub=hub_network, institution=newcomer, role="member", starts_on=DAY, by=hub_admin)
    assert membership.history.get().history_user == hub_admin


def test_membership_add_by_operator_of_a_member_is_refused(hub_network, operator):
    with pytest.raises(PermissionDenied):
        membership_add(hub=hub_network, institution=InstitutionFactory(), role="member", starts_on=DAY, by=operator)


def test_membership_add_overlapping_an_ended_one_is_refused(hub_network, hub_admin):
    newcomer = InstitutionFactory(code="mamasa-dinkes-uji", region=regency("Mamasa"))
    MembershipFactory(hub=hub_network, institution=newcomer, starts_on=DAY, ends_on=datetime.date(2025, 6, 30))
    with pytest.raises(ValidationError) as error:
        membership_add(
            hub=hub_network, institution=newcomer, role="member", starts_on=datetime.date(2025, 6, 1), by=hub_admin
        )
    assert error.value.code == "overlap"


def test_membership_add_after_an_ended_one_is_allowed(hub_network, hub_admin):
    newcomer = InstitutionFactory(code="mamasa-dinkes-uji", region=regency("Mamasa"))
    MembershipFactory(hub=hub_network, institution=newcomer, starts_on=DAY, ends_on=datetime.date(2025, 6, 30))
    membership_add(
        hub=hub_network, institution=newcomer, role="member", starts_on=datetime.date(2025, 7, 1), by=hub_admin
    )
    assert Membership.objects.filter(institution=newcomer).count() == 2


def test_membership_end_sets_the_last_day_and_leaves_the_active_members(hub_network, hub_admin, member_b):
    membership_end(membership=member_b, ends_on=datetime.date(2025, 1, 31), reason="Dilebur", by=hub_admin)
    member_b.refresh_from_db()
    assert (member_b.ends_on, member_b.note, Membership.objects.active().filter(pk=member_b.pk).exists()) == (
        datetime.date(2025, 1, 31),
        "Dilebur",
        False,
    )


def test_membership_end_twice_is_refused(hub_network, hub_admin, member_b):
    membership_end(membership=member_b, ends_on=datetime.date(2025, 1, 31), by=hub_admin)
    with pytest.raises(ValidationError) as error:
        membership_end(membership=member_b, by=hub_admin)
    assert error.value.code == "ended"


def test_membership_end_before_its_start_is_refused(hub_network, hub_admin, member_b):
    with pytest.raises(ValidationError):
        membership_end(membership=member_b, ends_on=datetime.date(2020, 1, 1), by=hub_admin)


def test_membership_change_is_shown_in_the_history_with_before_and_after(hub_network, hub_admin, member_b):
    membership_change(
        membership=member_b, role="partner", starts_on=member_b.starts_on, ends_on=None, note="", by=hub_admin
    )
    with translation.override("en"):
        entry = membership_history(membership=member_b)[0]
        assert (entry.what, entry.who, entry.changes) == (
            "changed",
            hub_admin.get_full_name() or "hub",
            [("role in the hub", "Member", "Partner")],
        )


def test_contact_add_second_active_contact_with_the_same_email_is_refused(hub_network, hub_admin, contact_a):
    with pytest.raises(ValidationError):
        contact_add(membership=contact_a.membership, name="Dua", email="KONTAK-A@example.go.id", by=hub_admin)


def test_contact_add_without_email_or_phone_is_refused(hub_network, hub_admin, member_a):
    with pytest.raises(ValidationError):
        contact_add(membership=member_a, name="Tanpa alamat", by=hub_admin)


def test_contact_change_made_inactive_is_kept_with_its_history(hub_network, hub_admin, contact_a):
    contact_change(
        contact=contact_a,
        name=contact_a.name,
        position=contact_a.position,
        email=contact_a.email,
        phone=contact_a.phone,
        active=False,
        by=hub_admin,
    )
    assert (MembershipContact.objects.get(pk=contact_a.pk).active, contact_a.history.count()) == (False, 2)


def test_contact_change_by_operator_is_refused(hub_network, operator, contact_a):
    with pytest.raises(PermissionDenied):
        contact_change(
            contact=contact_a, name="X", position="", email="x@example.go.id", phone="", active=True, by=operator
        )


def test_hub_members_by_region_puts_the_province_first_then_regencies_by_code(hub_network):
    MembershipFactory(hub=hub_network, institution=InstitutionFactory(region=regency("Mamuju")))
    MembershipFactory(hub=hub_network, institution=InstitutionFactory(region=province()))
    regions = [group.region.name for group in hub_members_by_region(hub=hub_network)]
    assert regions == ["Sulawesi Barat", "Majene", "Polewali Mandar", "Mamuju"]


def test_hub_members_by_region_leaves_out_ended_memberships(hub_network, member_b):
    member_b.ends_on = datetime.date(2024, 12, 31)
    member_b.save()
    regions = [group.region.name for group in hub_members_by_region(hub=hub_network)]
    assert regions == ["Majene"]
