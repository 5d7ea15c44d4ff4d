"""The public hub profile and the hub administrator's membership pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from innovations.models import Replication
from jipp.models import Membership
from tests.factories import InstitutionFactory, regency
from tests.innovations.factories_network import NetworkInnovationFactory, ReplicationFactory
from tests.jipp.factories_hub import ActivityFactory, ContactFactory, HubFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def profile(client, hub, language="en"):
    with translation.override(language):
        return client.get(reverse("jipp:hub_profile", kwargs={"slug": hub.slug}))


def test_hub_profile_shows_the_decree_and_members_by_regency(client, hub_network, institution, other_institution):
    response = profile(client, hub_network)
    page = response.content.decode()
    assert response.status_code == 200
    assert "KepmenPANRB No. 305/2024" in page
    assert "Regency of Majene" in page and "Regency of Polewali Mandar" in page
    assert page.index(institution.name) < page.index("Regency of Polewali Mandar") < page.index(other_institution.name)


def test_hub_profile_leaves_out_ended_members(client, hub_network, member_b, other_institution):
    member_b.ends_on = datetime.date(2024, 12, 31)
    member_b.save()
    assert other_institution.name not in profile(client, hub_network).content.decode()


def test_hub_profile_splits_upcoming_and_past_activities(client, hub_network, activity, past_activity):
    response = profile(client, hub_network)
    assert [a.title for a in response.context["upcoming"]] == [activity.title]
    assert [a.title for a in response.context["past"]] == [past_activity.title]


def test_hub_profile_shows_members_published_innovations_and_replications_between_members(
    client, hub_network, institution, other_institution
):
    origin = NetworkInnovationFactory(institution=institution, title="Posyandu Prima")
    NetworkInnovationFactory(institution=InstitutionFactory(code="bukan-anggota"), title="Inovasi Luar")
    NetworkInnovationFactory(institution=institution, title="Draf Rahasia", state="draft")
    ReplicationFactory(origin=origin, institution=other_institution, status=Replication.Status.APPROVED)
    page = profile(client, hub_network).content.decode()
    assert ("Posyandu Prima" in page, "Inovasi Luar" in page, "Draf Rahasia" in page) == (True, False, False)
    assert f"{other_institution.name} replicates" in page


def test_hub_profile_counts_innovations_of_units_under_a_member(client, hub_network, institution):
    unit = InstitutionFactory(code="upp-uji", parent=institution, kind="upp")
    NetworkInnovationFactory(institution=unit, title="Layanan Unit")
    assert "Layanan Unit" in profile(client, hub_network).content.decode()


def test_hub_profile_queries_do_not_grow_with_members_and_activities(client, hub_network):
    with CaptureQueriesContext(connection) as before:
        profile(client, hub_network)
    for _number in range(8):
        membership = MembershipFactory(hub=hub_network, institution=InstitutionFactory(region=regency("Mamasa")))
        ContactFactory(membership=membership)
        ActivityFactory(hub=hub_network)
    with CaptureQueriesContext(connection) as after:
        profile(client, hub_network)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_membership_list_queries_do_not_grow_with_members(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    url = reverse("jipp:membership_list", kwargs={"slug": hub_network.slug})
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _number in range(8):
        ContactFactory(membership=MembershipFactory(hub=hub_network, institution=InstitutionFactory()))
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_membership_add_page_adds_a_member_and_shows_its_history(client, hub_admin, hub_network):
    newcomer = InstitutionFactory(code="mamasa-pemkab-uji", region=regency("Mamasa"), kind="pemda")
    client.force_login(hub_admin)
    response = client.post(
        reverse("jipp:membership_add", kwargs={"slug": hub_network.slug}),
        {"institution": newcomer.pk, "role": "member", "starts_on": "2025-01-06"},
        follow=True,
    )
    membership = Membership.objects.get(institution=newcomer)
    assert response.redirect_chain[-1][0] == reverse(
        "jipp:membership_detail", kwargs={"slug": hub_network.slug, "pk": membership.pk}
    )
    assert len(response.context["history"]) == 1


def test_membership_add_page_overlap_is_explained_and_keeps_what_was_typed(client, hub_admin, hub_network, member_b):
    client.force_login(hub_admin)
    member_b.ends_on = datetime.date(2025, 6, 30)
    member_b.save()
    with translation.override("en"):
        response = client.post(
            reverse("jipp:membership_add", kwargs={"slug": hub_network.slug}),
            {"institution": member_b.institution_id, "role": "partner", "starts_on": "2025-03-01", "note": "Ketik"},
        )
    assert response.status_code == 200
    assert "is already a member of the hub in this period" in response.content.decode()
    assert response.context["form"]["note"].value() == "Ketik"


def test_membership_detail_shows_changes_of_contacts_in_the_history(client, hub_admin, hub_network, contact_a):
    client.force_login(hub_admin)
    client.post(
        reverse("jipp:contact_edit", kwargs={"slug": hub_network.slug, "pk": contact_a.pk}),
        {"name": contact_a.name, "email": "baru@example.go.id", "phone": "", "position": "", "active": "on"},
    )
    with translation.override("en"):
        response = client.get(
            reverse("jipp:membership_detail", kwargs={"slug": hub_network.slug, "pk": contact_a.membership_id})
        )
    changes = [change for entry in response.context["history"] for change in entry.changes]
    assert ("e-mail", "kontak-a@example.go.id", "baru@example.go.id") in changes


def test_membership_end_page_ends_the_membership(client, hub_admin, hub_network, member_b):
    client.force_login(hub_admin)
    client.post(
        reverse("jipp:membership_end", kwargs={"slug": hub_network.slug, "pk": member_b.pk}),
        {"ends_on": "2025-12-31", "reason": "Dilebur"},
    )
    member_b.refresh_from_db()
    assert member_b.ends_on == datetime.date(2025, 12, 31)


def test_contact_add_page_without_email_or_phone_explains(client, hub_admin, hub_network, member_a):
    client.force_login(hub_admin)
    with translation.override("en"):
        response = client.post(
            reverse("jipp:contact_add", kwargs={"slug": hub_network.slug, "pk": member_a.pk}), {"name": "Tanpa"}
        )
    assert "Give an e-mail address or a phone number." in response.content.decode()
    assert response.context["form"]["name"].value() == "Tanpa"


def test_hub_navigation_shows_manage_entry_to_the_hub_administrator_only(client, hub_admin, operator, hub_network):
    client.force_login(hub_admin)
    admin_labels = [str(item["label"]) for item in client.get("/en/").context["nav_items"]]
    client.force_login(operator)
    operator_labels = [str(item["label"]) for item in client.get("/en/").context["nav_items"]]
    assert ("Manage the hub" in admin_labels, "Manage the hub" in operator_labels, "Hub" in operator_labels) == (
        True,
        False,
        True,
    )


def test_hub_profile_in_indonesian_by_default(client, hub_network):
    response = client.get(reverse("jipp:hub_profile", kwargs={"slug": hub_network.slug}))
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "id"


def test_dashboard_shows_a_member_its_hub_and_invitations(client, operator, activity):
    client.force_login(operator)
    page = client.get(reverse("dashboard")).content.decode()
    assert ('data-testid="hub-panel"' in page, activity.title in page) == (True, True)


def test_dashboard_shows_no_hub_panel_outside_the_hub(client, reviewer, activity):
    client.force_login(reviewer)
    assert 'data-testid="hub-panel"' not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("membership_detail", {"pk": 0}),
        ("contact_edit", {"pk": 0}),
        ("activity_detail", {"pk": 0}),
        ("activity_edit", {"pk": 0}),
    ],
)
def test_hub_object_of_another_hub_is_not_found(name, kwargs, client, hub_admin, hub_network):
    other_hub = HubFactory(slug="lain", name="Hub lain", status="proposed", decree_number="")
    other_membership = MembershipFactory(hub=other_hub)
    objects = {
        "membership_detail": other_membership,
        "contact_edit": ContactFactory(membership=other_membership),
        "activity_detail": ActivityFactory(hub=other_hub),
        "activity_edit": ActivityFactory(hub=other_hub),
    }
    client.force_login(hub_admin)
    response = client.get(reverse(f"jipp:{name}", kwargs={"slug": hub_network.slug, "pk": objects[name].pk}))
    assert response.status_code == 404


def test_hub_being_set_up_is_not_found_for_the_public(client, hub_network):
    hub_network.status = "proposed"
    hub_network.save()
    assert client.get(reverse("jipp:hub_profile", kwargs={"slug": hub_network.slug})).status_code == 404


def test_hub_being_set_up_is_shown_to_its_administrator(client, hub_admin, hub_network):
    hub_network.status = "proposed"
    hub_network.save()
    client.force_login(hub_admin)
    assert client.get(reverse("jipp:hub_profile", kwargs={"slug": hub_network.slug})).status_code == 200


def test_hub_administrator_of_no_membership_manages_nothing(client, hub_admin, hub, member_a):
    client.force_login(hub_admin)
    assert client.get(reverse("jipp:membership_list", kwargs={"slug": hub.slug})).status_code == 403
