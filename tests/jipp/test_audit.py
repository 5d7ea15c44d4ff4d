"""The portal's audit log: what is recorded (who, what, from which address), the administrators' page
(who sees it, filters, a fixed number of queries) and that events cannot be changed or deleted."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innovations.services.evidence import evidence_add, evidence_remove
from innovations.services.workflow import innovation_return
from jipp.models import AuditEvent, Membership, Role
from jipp.models.audit import AuditEventError
from jipp.services.audit import audit_context, audit_record
from jipp.services.hub import membership_add, membership_end
from tests.factories import TEST_PASSWORD, InstitutionFactory, UserFactory
from tests.innovations.factories_workflow import InnovationFactory, SubmittedInnovationFactory, pdf_file
from tests.jipp.factories_notices import sent

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


@pytest.fixture(autouse=True)
def _fresh_limits():
    from axes.utils import reset

    reset()
    cache.clear()


def events(action: str) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(action=action)
        .order_by("pk")
        .values_list("actor_name", "address", "target_label", "data")
    )


def test_audit_sign_in_recorded_with_the_address_behind_a_trusted_proxy(client, operator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("login"),
        {"username": "op", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.7",
    )
    assert events(Action.SIGN_IN) == [("op", "198.51.100.7", "op", {})]


def test_audit_failed_sign_in_keeps_the_name_typed_and_no_password(client, operator):
    client.post(reverse("login"), {"username": "op", "password": "rahasia-salah"}, REMOTE_ADDR="203.0.113.5")
    recorded = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert (recorded.actor_id, recorded.actor_name, recorded.address, "rahasia" in str(recorded.data)) == (
        None,
        "op",
        "203.0.113.5",
        False,
    )


def test_audit_sign_out_recorded(client, operator):
    client.force_login(operator)
    client.post(reverse("logout"))
    assert [name for name, *_ in events(Action.SIGN_OUT)] == ["op"]


def test_audit_roles_and_user_changes_recorded_with_who_made_them(rf, hub_admin):
    request = rf.post("/admin/", REMOTE_ADDR="192.0.2.10")
    request.user = hub_admin
    user = UserFactory(username="baru")
    with audit_context(request):  # as AuditContextMiddleware does for a change made in the admin
        user.groups.add(Group.objects.get(name=Role.REVIEWER))
        user.groups.remove(Group.objects.get(name=Role.REVIEWER))
        user.is_active = False
        user.set_password("sandi-baru-2026")
        user.save()
    about = AuditEvent.objects.filter(target_label="baru").order_by("pk")
    assert list(about.values_list("actor_name", "address", "action", "data"))[-3:] == [
        ("hub", "192.0.2.10", Action.ROLES_CHANGED, {"added": [Role.REVIEWER.value]}),
        ("hub", "192.0.2.10", Action.ROLES_CHANGED, {"removed": [Role.REVIEWER.value]}),
        ("hub", "192.0.2.10", Action.USER_CHANGED, {"changes": {"is_active": [True, False], "password": ["…", "…"]}}),
    ]


def test_audit_user_created_recorded(hub_admin):
    UserFactory(username="baru")
    assert events(Action.USER_CREATED)[-1] == ("", None, "baru", {"username": "baru"})


def test_audit_membership_added_and_ended(hub, coordinator, hub_admin):
    institution = InstitutionFactory(code="mamuju-audit")
    membership = membership_add(
        hub=hub, institution=institution, role=Membership.Role.MEMBER, starts_on=datetime.date(2026, 1, 5), by=hub_admin
    )
    membership_end(membership=membership, ends_on=datetime.date(2026, 6, 30), reason="Mundur", by=hub_admin)
    assert [(row[0], row[3]) for row in events(Action.MEMBERSHIP_ADDED) + events(Action.MEMBERSHIP_ENDED)] == [
        ("hub", {"role": "member", "starts_on": "2026-01-05"}),
        ("hub", {"ends_on": "2026-06-30", "reason": "Mundur"}),
    ]


def test_audit_refused_write_leaves_no_event(hub, coordinator, hub_admin, member_a, institution):
    with pytest.raises(ValidationError):
        membership_add(
            hub=hub, institution=institution, role=Membership.Role.MEMBER, starts_on=member_a.starts_on, by=hub_admin
        )
    assert events(Action.MEMBERSHIP_ADDED) == []


def test_audit_workflow_decision_recorded(operator, hub_admin):
    record = SubmittedInnovationFactory(institution=operator.institution, title="Posyandu Digital")
    innovation_return(innovation=record, by=hub_admin, comment="Lengkapi anggaran.")
    assert events(Action.WORKFLOW) == [
        ("hub", None, "Posyandu Digital", {"from": "submitted", "to": "returned", "comment": "Lengkapi anggaran."})
    ]


def test_audit_evidence_added_and_removed(operator):
    draft = InnovationFactory(institution=operator.institution, title="Sipakatau")
    evidence = evidence_add(innovation=draft, by=operator, upload=pdf_file("laporan.pdf"), caption="Laporan")
    evidence_remove(evidence=evidence, by=operator)
    details = {"evidence": evidence.pk, "name": "laporan.pdf", "size": evidence.size}
    assert events(Action.EVIDENCE_ADDED) + events(Action.EVIDENCE_REMOVED) == [
        ("op", None, "Sipakatau", details),
        ("op", None, "Sipakatau", details),
    ]


def test_audit_notice_sending_and_its_export_recorded(client, hub_network, hub_admin):
    notice = sent(hub_network, hub_admin, subject="Undangan Rapat")
    client.force_login(hub_admin)
    client.get(reverse("jipp:notice_export", kwargs={"slug": hub_network.slug, "pk": notice.pk}))
    assert (events(Action.NOTICE_SENT)[0][:3], events(Action.EXPORT)) == (
        ("hub", None, "Undangan Rapat"),
        [("hub", "127.0.0.1", "Undangan Rapat", {"file": f"pengiriman-{notice.pk}.csv"})],
    )


def test_audit_event_cannot_be_changed_or_deleted():
    event = audit_record(action=Action.EXPORT, actor_name="someone")
    event.actor_name = "someone else"
    with pytest.raises(AuditEventError):
        event.save()
    with pytest.raises(AuditEventError):
        event.delete()
    assert AuditEvent.objects.get().actor_name == "someone"


def test_audit_admin_offers_no_add_change_or_delete(admin_client):
    event = audit_record(action=Action.EXPORT, actor_name="someone")
    statuses = [
        admin_client.get(reverse("admin:jipp_auditevent_add")).status_code,
        admin_client.post(reverse("admin:jipp_auditevent_change", args=[event.pk]), {"actor_name": "x"}).status_code,
        admin_client.post(reverse("admin:jipp_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code,
    ]
    assert (statuses, AuditEvent.objects.get(pk=event.pk).actor_name) == ([403, 403, 403], "someone")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("operator", 403),
        ("reviewer", 403),
        ("panelist", 403),
        ("hub_admin", 200),
        ("ministry_admin", 200),
    ],
)
def test_audit_page_only_for_administrators(client_as, role, status):
    assert client_as(role).get(reverse("audit_log")).status_code == status


def test_audit_page_filters_by_words_action_address_and_day(client, hub_admin):
    audit_record(action=Action.EXPORT, actor_name="alpha")
    audit_record(action=Action.SIGN_IN_FAILED, actor_name="beta")
    audit_record(action=Action.SIGN_IN_FAILED, actor_name="gamma")
    AuditEvent.objects.filter(actor_name="gamma").update(address="192.0.2.4")
    AuditEvent.objects.filter(actor_name="alpha").update(created_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC))
    client.force_login(hub_admin)

    def names(**query):
        page = client.get(reverse("audit_log"), query).context["page"]
        return sorted(event.actor_name for event in page if event.actor_name != "hub")

    assert (
        names(q="alp"),
        names(action=Action.SIGN_IN_FAILED),
        names(address="192.0.2.4"),
        names(until="2025-12-31"),
        names(since="2026-01-01", action=Action.SIGN_IN_FAILED),
    ) == (["alpha"], ["beta", "gamma"], ["gamma"], ["alpha"], ["beta", "gamma"])


def test_audit_page_reads_in_a_fixed_number_of_queries(client, hub_admin):
    client.force_login(hub_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("audit_log"))
        assert response.status_code == 200
        return len(captured)

    AuditEvent.objects.bulk_create([AuditEvent(action=Action.EXPORT, actor_name=f"u{n}") for n in range(3)])
    few = queries()
    AuditEvent.objects.bulk_create([AuditEvent(action=Action.EXPORT, actor_name=f"v{n}") for n in range(60)])
    assert (queries(), few > 0) == (few, True)


def test_audit_page_shows_the_events_and_links_the_kipp_trail(client, ministry_admin):
    audit_record(action=Action.EXPORT, actor_name="alpha", data={"file": "kipp-2026-nilai.csv"})
    client.force_login(ministry_admin)
    content = client.get(reverse("audit_log")).content.decode()
    assert ("kipp-2026-nilai.csv" in content, reverse("competitions:edition_list") in content) == (True, True)
