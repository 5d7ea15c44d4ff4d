"""Writing and sending notices: who may, whom they reach, the outbox written with the send, and the
automatic notices other apps ask for."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jipp.markup import markdown_html
from jipp.models import Delivery, HubSettings, Institution, Notice, NoticeRecipient
from jipp.services import notices as notice_services
from jipp.services.notices import (
    DigestItem,
    institutions_announce,
    notice_announce,
    notice_create,
    notice_schedule,
    notice_send,
    notice_update,
    notices_digest_send,
    notices_send_due,
    publication_announce,
    register_digest_source,
)
from tests.factories import InstitutionFactory, regency
from tests.jipp.factories_hub import ContactFactory
from tests.jipp.factories_notices import data, sent, three_regency_members

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def network(hub_network):
    three_regency_members(hub_network)
    return hub_network


def deliveries(notice):
    return sorted(
        (delivery.institution.code, delivery.channel, delivery.address) for delivery in notice.deliveries.all()
    )


def recipients(notice):
    return sorted(notice.recipients.values_list("institution__code", flat=True))


# --- Writing ---------------------------------------------------------------------------------------


def test_notice_create_by_the_hub_admin_saves_a_draft(network, hub_admin):
    notice = notice_create(hub=network, data=data(), by=hub_admin)
    assert (notice.status, notice.subject, notice.created_by, notice.deliveries.count()) == (
        Notice.Status.DRAFT,
        "Undangan Pembinaan Inovasi",
        hub_admin,
        0,
    )


@pytest.mark.parametrize("user", ["operator", "reviewer", "ministry_admin"])
def test_notice_create_refuses_who_does_not_administer_the_hub(network, request, user):
    with pytest.raises(PermissionDenied):
        notice_create(hub=network, data=data(), by=request.getfixturevalue(user))
    assert Notice.objects.count() == 0


def test_notice_create_refuses_a_hub_admin_of_another_institution(network):
    from jipp.models import Role
    from tests.factories import user_with_role

    outsider = user_with_role(Role.HUB_ADMIN, username="hub-lain", institution=InstitutionFactory(code="lain"))
    with pytest.raises(PermissionDenied):
        notice_create(hub=network, data=data(), by=outsider)


def test_notice_create_refuses_a_link_without_title(network, hub_admin):
    with pytest.raises(ValidationError) as refused:
        notice_create(hub=network, data=data(link_url="https://jipp.example.go.id/x"), by=hub_admin)
    assert list(refused.value.message_dict) == ["link_title"]


def test_notice_create_refuses_a_regency_audience_without_regencies(network, hub_admin):
    with pytest.raises(ValidationError) as refused:
        notice_create(hub=network, data=data(audience=Notice.Audience.REGENCIES), by=hub_admin)
    assert list(refused.value.message_dict) == ["audience_regions"]


def test_notice_create_refuses_a_picked_institution_outside_the_hub(network, hub_admin):
    outsider = InstitutionFactory(code="bukan-anggota", name="Dinas Bukan Anggota")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        notice_create(
            hub=network, data=data(audience=Notice.Audience.INSTITUTIONS, institutions=[outsider]), by=hub_admin
        )
    messages = refused.value.message_dict["audience_institutions"]
    assert (messages, Notice.objects.count()) == (
        ["Only member institutions can receive notices; not: Dinas Bukan Anggota."],
        0,
    )


def test_notice_create_keeps_a_pdf_attachment_under_a_generated_name(network, hub_admin):
    upload = SimpleUploadedFile("Undangan Resmi.pdf", PDF, content_type="application/pdf")
    notice = notice_create(hub=network, data=data(), attachments=[upload], by=hub_admin)
    [attachment] = notice.attachments.all()
    assert (attachment.original_name, attachment.content_type, attachment.file.name.startswith("notices/")) == (
        "Undangan Resmi.pdf",
        "application/pdf",
        True,
    )


def test_notice_create_refuses_a_program_named_pdf(network, hub_admin):
    upload = SimpleUploadedFile("undangan.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")
    with pytest.raises(ValidationError):
        notice_create(hub=network, data=data(), attachments=[upload], by=hub_admin)
    assert Notice.objects.count() == 0


def test_notice_update_refuses_a_sent_notice(network, hub_admin):
    notice = sent(network, hub_admin)
    with pytest.raises(ValidationError):
        notice_update(notice=notice, data=data(subject="Diubah"), by=hub_admin)
    notice.refresh_from_db()
    assert notice.subject == "Undangan Pembinaan Inovasi"


# --- Sending: whom it reaches ----------------------------------------------------------------------


def test_notice_send_writes_an_inbox_delivery_per_member_and_one_per_address(network, hub_admin, institution):
    notice = sent(network, hub_admin)
    expected_members = {
        "sulbar-bapperida-test",
        "majene-dinkes-test",
        "polman-dinkes-test",
        "pemkab-majene-uji",
        "pemkab-polman-uji",
        "pemkab-mamasa-uji",
    }
    inboxes = {code for code, channel, _address in deliveries(notice) if channel == "inbox"}
    emails = [
        address for code, channel, address in deliveries(notice) if code == institution.code and channel == "email"
    ]
    assert (set(recipients(notice)), inboxes, sorted(emails)) == (
        expected_members,
        expected_members,
        ["kontak-a@example.go.id", "majene-dinkes-test@example.go.id"],
    )


def test_notice_send_marks_the_notice_sending_with_its_sender(network, hub_admin):
    notice = sent(network, hub_admin)
    assert (notice.status, notice.sent_by, notice.sent_at is not None) == (Notice.Status.SENDING, hub_admin, True)


def test_notice_send_uses_an_address_once_per_institution(network, hub_admin, member_a):
    ContactFactory(membership=member_a, email="MAJENE-DINKES-TEST@example.go.id")
    notice = sent(network, hub_admin)
    emails = [address.lower() for code, channel, address in deliveries(notice) if code == "majene-dinkes-test"]
    assert sorted(emails) == ["", "kontak-a@example.go.id", "majene-dinkes-test@example.go.id"]


def test_notice_send_leaves_out_inactive_contacts_and_ended_members(network, hub_admin, member_b, contact_a):
    contact_a.active = False
    contact_a.save()
    member_b.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    member_b.save()
    notice = sent(network, hub_admin)
    assert ("polman-dinkes-test" in recipients(notice), "kontak-a@example.go.id" in str(deliveries(notice))) == (
        False,
        False,
    )


def test_notice_send_to_some_regencies_reaches_only_their_members(network, hub_admin):
    regions = [regency("Polewali Mandar"), regency("Mamasa")]
    notice = sent(network, hub_admin, audience=Notice.Audience.REGENCIES, regions=regions)
    assert recipients(notice) == ["pemkab-mamasa-uji", "pemkab-polman-uji", "polman-dinkes-test"]


def test_notice_send_to_some_kinds_reaches_only_those_kinds(network, hub_admin):
    notice = sent(network, hub_admin, audience=Notice.Audience.KINDS, audience_kinds=[Institution.Kind.PEMDA])
    assert recipients(notice) == ["pemkab-majene-uji", "pemkab-mamasa-uji", "pemkab-polman-uji"]


def test_notice_send_to_hand_picked_institutions_reaches_them_and_a_unit_under_a_member(network, hub_admin, member_a):
    unit = InstitutionFactory(code="puskesmas-uji", kind=Institution.Kind.UPP, parent=member_a.institution)
    notice = sent(network, hub_admin, audience=Notice.Audience.INSTITUTIONS, institutions=[unit, member_a.institution])
    assert recipients(notice) == ["majene-dinkes-test", "puskesmas-uji"]


def test_notice_send_with_nobody_to_receive_it_is_refused(hub_network, hub_admin):
    notice = notice_create(
        hub=hub_network, data=data(audience=Notice.Audience.REGENCIES, regions=[regency("Pasangkayu")]), by=hub_admin
    )
    with pytest.raises(ValidationError) as refused:
        notice_send(notice=notice, by=hub_admin)
    notice.refresh_from_db()
    assert (refused.value.code, notice.status, Delivery.objects.count()) == ("no_recipients", "draft", 0)


def test_notice_send_twice_is_refused_and_writes_the_outbox_once(network, hub_admin):
    notice = sent(network, hub_admin)
    count = notice.deliveries.count()
    with pytest.raises(ValidationError):
        notice_send(notice=notice, by=hub_admin)
    assert Delivery.objects.count() == count


def test_notice_send_by_an_operator_is_refused(network, hub_admin, operator):
    notice = notice_create(hub=network, data=data(), by=hub_admin)
    with pytest.raises(PermissionDenied):
        notice_send(notice=notice, by=operator)
    assert Delivery.objects.count() == 0


def test_notice_send_delivers_only_after_the_commit(network, hub_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = sent(network, hub_admin)
        assert len(mail.outbox) == 0
    for callback in callbacks:
        callback()
    emails = notice.deliveries.filter(channel=Delivery.Channel.EMAIL).count()
    assert (len(callbacks), len(mail.outbox), emails > 0, len(mail.outbox) == emails) == (1, emails, True, True)


def test_notice_send_in_a_rolled_back_transaction_sends_nothing(network, hub_admin, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        sent(network, hub_admin)
        raise RuntimeError("the request failed after sending")
    assert (callbacks, len(mail.outbox), Delivery.objects.count(), NoticeRecipient.objects.count()) == ([], 0, 0, 0)


# --- Scheduling ------------------------------------------------------------------------------------


def test_notice_schedule_refuses_a_time_past(network, hub_admin):
    notice = notice_create(hub=network, data=data(), by=hub_admin)
    with pytest.raises(ValidationError):
        notice_schedule(notice=notice, at=timezone.now() - datetime.timedelta(minutes=1), by=hub_admin)


def test_notices_send_due_sends_a_scheduled_notice_once_its_time_came(network, hub_admin):
    notice = notice_create(hub=network, data=data(), by=hub_admin)
    at = timezone.now() + datetime.timedelta(hours=1)
    notice_schedule(notice=notice, at=at, by=hub_admin)
    early = notices_send_due(now=at - datetime.timedelta(minutes=1))
    on_time = notices_send_due(now=at + datetime.timedelta(seconds=30))
    again = notices_send_due(now=at + datetime.timedelta(minutes=2))
    notice.refresh_from_db()
    assert (early, on_time, again, notice.status, notice.deliveries.count() > 0) == (
        [],
        [notice.pk],
        [],
        Notice.Status.SENDING,
        True,
    )


# --- Automatic notices ----------------------------------------------------------------------------


def test_notice_announce_twice_with_one_source_writes_one_notice(network):
    first = notice_announce(hub=network, kind="kipp_results", subject="Hasil", body="Isi", source_key="kipp:1")
    second = notice_announce(hub=network, kind="kipp_results", subject="Hasil", body="Isi", source_key="kipp:1")
    assert (first.status, second, Notice.objects.count()) == (Notice.Status.SENDING, None, 1)


def test_notice_announce_to_institutions_that_are_not_members_sends_nothing(network):
    outsider = InstitutionFactory(code="bukan-anggota")
    notice = notice_announce(
        hub=network, kind="general", subject="x", body="y", source_key="k", institutions=[outsider]
    )
    assert (notice, Notice.objects.count()) == (None, 0)


def test_institutions_announce_reaches_the_entrants_through_their_hub(network, member_b):
    unit = InstitutionFactory(code="rsud-polman-uji", kind=Institution.Kind.UPP, parent=member_b.institution)
    outsider = InstitutionFactory(code="dinas-luar", region=regency("Pasangkayu"))
    [notice] = institutions_announce(
        institution_ids=[unit.pk, outsider.pk],
        kind=Notice.Kind.KIPP_RESULTS,
        subject="Hasil KIPP 2025",
        body="Selamat.",
        source_key="kipp-results:9",
    )
    assert (notice.hub, recipients(notice), notice.kind) == (network, ["rsud-polman-uji"], "kipp_results")


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (HubSettings.PublishNotice.OFF, 0),
        (HubSettings.PublishNotice.EACH, 1),
        (HubSettings.PublishNotice.DAILY_DIGEST, 0),
    ],
)
def test_publication_announce_follows_the_hub_setting(network, institution, setting, expected):
    HubSettings.objects.create(hub=network, publish_notice=setting)
    notices = publication_announce(
        institution_id=institution.pk,
        title="Sapa Lansia",
        summary="Layanan lansia.",
        url="https://jipp.example.go.id/inovasi/sapa-lansia/",
        source_key="innovation-published:1",
    )
    assert len(notices) == Notice.objects.count() == expected


def test_publication_announce_links_the_record_and_goes_to_all_members(network, institution):
    HubSettings.objects.create(hub=network, publish_notice=HubSettings.PublishNotice.EACH)
    [notice] = publication_announce(
        institution_id=institution.pk,
        title="Sapa Lansia",
        summary="Layanan lansia.",
        url="https://jipp.example.go.id/inovasi/sapa-lansia/",
        source_key="innovation-published:1",
    )
    with translation.override("id"):
        subject = _("New best practice: %(title)s") % {"title": "Sapa Lansia"}
    assert (notice.subject, notice.link_url, notice.kind, len(recipients(notice))) == (
        subject,
        "https://jipp.example.go.id/inovasi/sapa-lansia/",
        Notice.Kind.BEST_PRACTICE,
        6,
    )


def test_notices_digest_send_lists_what_members_published_since_the_last_digest(network, institution, monkeypatch):
    monkeypatch.setattr(notice_services, "_digest", notice_services._DigestRegistry())
    windows = []

    def source(member_ids, since, until):
        windows.append((since, until))
        if institution.pk not in member_ids:
            return []
        return [DigestItem(title="Sapa Lansia", url="https://x.example/sapa/", institution=institution.name)]

    register_digest_source(source)
    HubSettings.objects.create(hub=network, publish_notice=HubSettings.PublishNotice.DAILY_DIGEST)
    now = timezone.now()
    [notice] = notices_digest_send(now=now)
    later = notices_digest_send(now=now + datetime.timedelta(days=1))
    assert (notice.kind, "[Sapa Lansia](https://x.example/sapa/)" in notice.body, windows[1][0], len(later)) == (
        Notice.Kind.DIGEST,
        True,
        now,
        1,
    )


# --- Markdown --------------------------------------------------------------------------------------


def test_markdown_html_keeps_formatting_and_removes_scripts_and_script_links():
    html = markdown_html(
        "**Penting** <script>alert(1)</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n- satu"
    )
    assert html == (
        '<p><strong>Penting</strong>  <a rel="noopener noreferrer">klik</a> </p>\n<ul>\n<li>satu</li>\n</ul>'
    )
