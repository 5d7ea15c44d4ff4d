"""The hub administrator's notice pages (who may open them: test_permissions_notices.py): writing from a
template, the preview, sending now or later, the delivery dashboard (live progress, errors shown, retry,
CSV) and their queries."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from jipp.models import Delivery, HubSettings, Notice
from jipp.services.deliveries import delivery_send
from jipp.services.notices import notice_create
from tests.innovations.factories_imports import unreachable_broker  # noqa: F401 (fixture)
from tests.jipp.factories_notices import NOTICE_POST, PDF, data, pdf, sent, three_regency_members

pytestmark = pytest.mark.django_db


def test_notice_of_another_hub_is_not_found(client, hub_admin, hub_network):
    from tests.jipp.factories_hub import HubFactory

    other_hub = HubFactory(slug="lain", name="Hub lain", status="proposed", decree_number="")
    foreign = Notice.objects.create(hub=other_hub, subject="Rahasia", body="x")
    client.force_login(hub_admin)
    response = client.get(reverse("jipp:notice_detail", kwargs={"slug": hub_network.slug, "pk": foreign.pk}))
    assert response.status_code == 404


# --- Writing ---------------------------------------------------------------------------------------


def page(client, name, **kwargs):
    with translation.override("en"):
        return client.get(reverse(f"jipp:{name}", kwargs=kwargs))


def post(client, name, payload, **kwargs):
    with translation.override("en"):
        return client.post(reverse(f"jipp:{name}", kwargs=kwargs), payload)


def test_notice_create_from_the_coaching_template_fills_the_form(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    with translation.override("en"):
        response = client.get(
            reverse("jipp:notice_create", kwargs={"slug": hub_network.slug}) + "?template=coaching_invitation"
        )
    form = response.context["form"]
    assert (form["kind"].value(), form["subject"].value()) == (
        "coaching_invitation",
        "Invitation: coaching on public service innovation, [date]",
    )


def test_notice_create_with_errors_keeps_what_was_typed(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    payload = NOTICE_POST | {"audience": "regencies", "link_url": "https://x.example/undangan"}
    response = post(client, "notice_create", payload, slug=hub_network.slug)
    form = response.context["form"]
    assert (response.status_code, form["subject"].value(), sorted(form.errors), Notice.objects.count()) == (
        400,
        "Rapat koordinasi",
        ["audience_regions", "link_title"],
        0,
    )


def test_notice_create_saves_a_draft_with_its_attachments_and_shows_its_preview(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    payload = NOTICE_POST | {"attachments": [pdf("a.pdf"), pdf("b.pdf")]}
    response = post(client, "notice_create", payload, slug=hub_network.slug)
    notice = Notice.objects.get()
    preview = client.get(response["Location"])
    assert (notice.status, notice.attachments.count(), "Rapat koordinasi" in preview.content.decode()) == (
        "draft",
        2,
        True,
    )


def test_notice_detail_previews_the_copy_of_the_chosen_institution(client, hub_admin, hub_network, other_institution):
    notice = notice_create(hub=hub_network, data=data(), by=hub_admin)
    client.force_login(hub_admin)
    with translation.override("en"):
        response = client.get(
            reverse("jipp:notice_detail", kwargs={"slug": hub_network.slug, "pk": notice.pk}),
            {"institution": other_institution.pk},
        )
    preview = response.context["preview"]
    assert (preview["institution"], preview["message"].to, "tepat waktu" in str(preview["body"])) == (
        other_institution,
        "polman-dinkes-test@example.go.id",
        True,
    )


# --- Sending ---------------------------------------------------------------------------------------


def test_notice_send_now_sends_every_email(client, hub_admin, hub_network, django_capture_on_commit_callbacks):
    from django.core import mail

    notice = notice_create(hub=hub_network, data=data(), by=hub_admin)
    client.force_login(hub_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "notice_send", {"when": "now"}, slug=hub_network.slug, pk=notice.pk)
    notice.refresh_from_db()
    emails = notice.deliveries.filter(channel="email").count()
    assert (response.status_code, notice.status, len(mail.outbox), emails) == (302, "sent", 4, 4)


def test_notice_send_later_in_the_past_is_refused_and_stays_a_draft(client, hub_admin, hub_network):
    notice = notice_create(hub=hub_network, data=data(), by=hub_admin)
    client.force_login(hub_admin)
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    post(client, "notice_send", {"when": "later", "scheduled_at": past}, slug=hub_network.slug, pk=notice.pk)
    notice.refresh_from_db()
    assert (notice.status, notice.deliveries.count()) == ("draft", 0)


def test_notice_send_later_schedules_it(client, hub_admin, hub_network):
    notice = notice_create(hub=hub_network, data=data(), by=hub_admin)
    client.force_login(hub_admin)
    later = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    post(client, "notice_send", {"when": "later", "scheduled_at": later}, slug=hub_network.slug, pk=notice.pk)
    notice.refresh_from_db()
    scheduled_at = timezone.localtime(notice.scheduled_at).strftime("%Y-%m-%dT%H:%M")
    assert (notice.status, scheduled_at, notice.deliveries.count()) == ("scheduled", later, 0)


@pytest.mark.usefixtures("unreachable_broker")
def test_notice_send_with_the_broker_down_saves_the_outbox_and_answers_at_once(
    client, hub_admin, hub_network, django_capture_on_commit_callbacks
):
    notice = notice_create(hub=hub_network, data=data(), by=hub_admin)
    client.force_login(hub_admin)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "notice_send", {"when": "now"}, slug=hub_network.slug, pk=notice.pk)
    elapsed = time.monotonic() - started
    states = set(notice.deliveries.values_list("state", flat=True))
    assert (response.status_code, elapsed < 3, states, notice.deliveries.count()) == (302, True, {"queued"}, 7)


# --- The dashboard ---------------------------------------------------------------------------------


@pytest.fixture
def network_notice(hub_network, hub_admin):
    three_regency_members(hub_network)
    return sent(hub_network, hub_admin)


def test_notice_dashboard_polls_while_deliveries_wait_and_stops_when_done(client, hub_admin, network_notice):
    client.force_login(hub_admin)
    kwargs = {"slug": network_notice.hub.slug, "pk": network_notice.pk}
    waiting = page(client, "notice_progress", **kwargs).content.decode()
    for pk in network_notice.deliveries.values_list("pk", flat=True):
        delivery_send(delivery_id=pk)
    done = page(client, "notice_progress", **kwargs).content.decode()
    assert ('hx-trigger="every 2s"' in waiting, 'hx-trigger="every 2s"' in done) == (True, False)


def test_notice_dashboard_counts_per_regency(client, hub_admin, network_notice):
    for pk in network_notice.deliveries.values_list("pk", flat=True):
        delivery_send(delivery_id=pk)
    client.force_login(hub_admin)
    response = page(client, "notice_detail", slug=network_notice.hub.slug, pk=network_notice.pk)
    rows = {
        row.region: (row.institutions, row.counts["sent"], row.counts["queued"])
        for row in response.context["progress"].regions
    }
    # Majene: the coordinator, member A (two addresses) and the regency's government, each with its inbox.
    assert rows == {"Majene": (3, 8, 0), "Polewali Mandar": (2, 5, 0), "Mamasa": (1, 3, 0)}


def test_notice_dashboard_shows_a_permanent_error(client, hub_admin, network_notice):
    failed = network_notice.deliveries.filter(channel="email").first()
    Delivery.objects.filter(pk=failed.pk).update(state="failed", attempts=1, last_error="550 5.1.1 No such user")
    client.force_login(hub_admin)
    response = page(client, "notice_detail", slug=network_notice.hub.slug, pk=network_notice.pk)
    assert "550 5.1.1 No such user" in response.content.decode()


def test_notice_retry_sends_the_failed_ones_again(client, hub_admin, network_notice):
    from django.core import mail

    failed = network_notice.deliveries.filter(channel="email").first()
    Delivery.objects.filter(pk=failed.pk).update(state="failed", attempts=8, last_error="550")
    client.force_login(hub_admin)
    post(client, "notice_retry", {}, slug=network_notice.hub.slug, pk=network_notice.pk)
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, [message.to for message in mail.outbox]) == ("sent", 1, [[failed.address]])


def test_notice_export_is_a_csv_row_per_delivery_that_excel_reads(client, hub_admin, network_notice):
    client.force_login(hub_admin)
    response = page(client, "notice_export", slug=network_notice.hub.slug, pk=network_notice.pk)
    text = response.content.decode("utf-8")
    lines = text.splitlines()
    assert (text.startswith("\ufeffRegency,Institution,Channel"), len(lines) - 1, response["Content-Type"]) == (
        True,
        network_notice.deliveries.count(),
        "text/csv; charset=utf-8",
    )


def test_notice_export_with_semicolons_for_excel_in_indonesian(client, hub_admin, network_notice):
    client.force_login(hub_admin)
    with translation.override("en"):
        response = client.get(
            reverse("jipp:notice_export", kwargs={"slug": network_notice.hub.slug, "pk": network_notice.pk}),
            {"separator": "semicolon"},
        )
    assert response.content.decode("utf-8").splitlines()[0].startswith("\ufeffRegency;Institution;Channel")


def test_notice_attachment_downloads_under_its_name(client, hub_admin, hub_network):
    notice = notice_create(hub=hub_network, data=data(), attachments=[pdf("Undangan Resmi.pdf")], by=hub_admin)
    client.force_login(hub_admin)
    response = page(
        client,
        "notice_attachment",
        slug=hub_network.slug,
        pk=notice.pk,
        attachment=notice.attachments.get().pk,
    )
    assert (b"".join(response.streaming_content), "Undangan Resmi.pdf" in response["Content-Disposition"]) == (
        PDF,
        True,
    )


def test_notice_edit_of_a_sent_notice_goes_back_to_its_dashboard(client, hub_admin, network_notice):
    client.force_login(hub_admin)
    response = page(client, "notice_edit", slug=network_notice.hub.slug, pk=network_notice.pk)
    assert response["Location"].endswith(f"/pemberitahuan/{network_notice.pk}/")


def test_notice_settings_saves_the_publication_setting(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    payload = {"publish_notice": "daily_digest", "reminder_after_days": "5", "max_reminders": "1"}
    post(client, "notice_settings", payload, slug=hub_network.slug)
    saved = HubSettings.objects.get(hub=hub_network)
    assert (saved.publish_notice, saved.reminder_after_days, saved.max_reminders) == ("daily_digest", 5, 1)


# --- Queries ---------------------------------------------------------------------------------------


def queries(client, name, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        assert page(client, name, **kwargs).status_code == 200
    return len(captured)


def test_notice_list_queries_do_not_grow_with_notices(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    sent(hub_network, hub_admin)
    before = queries(client, "notice_list", slug=hub_network.slug)
    for number in range(5):
        sent(hub_network, hub_admin, subject=f"Lagi {number}")
    assert queries(client, "notice_list", slug=hub_network.slug) == before


def test_notice_dashboard_queries_do_not_grow_with_recipients(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    small = sent(hub_network, hub_admin)
    before = queries(client, "notice_detail", slug=hub_network.slug, pk=small.pk)
    three_regency_members(hub_network)
    large = sent(hub_network, hub_admin, subject="Besar")
    after = queries(client, "notice_detail", slug=hub_network.slug, pk=large.pk)
    assert (large.deliveries.count() > small.deliveries.count(), after) == (True, before)


def test_notice_progress_queries_do_not_grow_with_recipients(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    small = sent(hub_network, hub_admin)
    before = queries(client, "notice_progress", slug=hub_network.slug, pk=small.pk)
    three_regency_members(hub_network)
    large = sent(hub_network, hub_admin, subject="Besar")
    assert queries(client, "notice_progress", slug=hub_network.slug, pk=large.pk) == before
