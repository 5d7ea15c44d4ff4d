"""The outbox: each delivery sent once, retried on temporary errors with back-off, failed at once on
permanent ones, swept when stuck, acknowledged by its institution, and reminded a bounded number of
times."""

import datetime
import time

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jipp import channels
from jipp.channels import PermanentDeliveryError, TemporaryDeliveryError
from jipp.models import Delivery, HubSettings, Notice
from jipp.services import deliveries as delivery_services
from jipp.services.deliveries import (
    RESEND_AFTER,
    SENDING_STALE_AFTER,
    DeliveryDeferred,
    acknowledgement_token,
    deliveries_retry_failed,
    deliveries_send,
    deliveries_sweep,
    delivery_acknowledge,
    delivery_for_token,
    delivery_remind,
    delivery_send,
    reminders_due,
    retry_delay,
)
from tests.factories import user_with_role
from tests.jipp.factories_hub import ContactFactory
from tests.jipp.factories_notices import sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(hub_network, hub_admin):
    return sent(hub_network, hub_admin)


@pytest.fixture
def delivery(notice, institution):
    return notice.deliveries.get(institution=institution, address="kontak-a@example.go.id")


class Refusing:
    """A channel that raises `error` (or takes the message when None) and counts its calls."""

    name = "email"

    def __init__(self, error=None):
        self.error = error
        self.calls = 0

    def send(self, message):
        self.calls += 1
        if self.error is not None:
            raise self.error
        return message.message_id


@pytest.fixture
def email_channel(monkeypatch):
    def use(error=None):
        channel = Refusing(error)
        monkeypatch.setitem(channels._channels, "email", channel)
        return channel

    return use


def state(delivery):
    delivery.refresh_from_db()
    return delivery.state


# --- Sending once ----------------------------------------------------------------------------------


def test_delivery_send_sends_the_email_and_marks_it_sent(delivery):
    delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    [message] = mail.outbox
    assert (delivery.state, delivery.attempts, message.to, delivery.message_id) == (
        Delivery.State.SENT,
        1,
        ["kontak-a@example.go.id"],
        message.extra_headers["Message-ID"],
    )


def test_delivery_send_twice_sends_one_email(delivery):
    delivery_send(delivery_id=delivery.pk)
    delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (len(mail.outbox), delivery.attempts) == (1, 1)


def test_delivery_send_of_a_delivery_another_run_is_sending_sends_nothing(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING, claimed_at=timezone.now())
    delivery_send(delivery_id=delivery.pk)
    assert (len(mail.outbox), state(delivery)) == (0, Delivery.State.SENDING)


def test_delivery_send_of_a_retry_not_yet_due_sends_nothing(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() + datetime.timedelta(minutes=5))
    delivery_send(delivery_id=delivery.pk)
    assert (len(mail.outbox), state(delivery)) == (0, Delivery.State.QUEUED)


def test_delivery_send_of_a_deleted_delivery_returns_none(delivery):
    delivery.delete()
    assert delivery_send(delivery_id=delivery.pk) is None


def test_delivery_send_of_the_last_delivery_marks_the_notice_sent(notice):
    for pk in notice.deliveries.values_list("pk", flat=True):
        delivery_send(delivery_id=pk)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT


def test_delivery_send_of_an_inbox_delivery_sends_no_email(notice, institution):
    inbox = notice.deliveries.get(institution=institution, channel=Delivery.Channel.INBOX)
    delivery_send(delivery_id=inbox.pk)
    assert (state(inbox), len(mail.outbox)) == (Delivery.State.SENT, 0)


def test_delivery_message_carries_the_notice_and_a_working_acknowledgement_link(delivery):
    message = delivery_services.delivery_message(delivery=delivery)
    token = acknowledgement_token(delivery)
    assert ("tepat waktu" in message.text, f"/hub/konfirmasi/{token}/" in message.html, message.to) == (
        True,
        True,
        "kontak-a@example.go.id",
    )


# --- Temporary and permanent errors ----------------------------------------------------------------


def test_delivery_send_temporary_error_queues_it_again_later_with_the_error(delivery, email_channel, settings):
    settings.NOTICE_RETRY_BASE_SECONDS = 60
    email_channel(TemporaryDeliveryError("451 4.3.0 Try again later"))
    before = timezone.now()
    with pytest.raises(DeliveryDeferred) as deferred:
        delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert (
        delivery.state,
        delivery.attempts,
        delivery.last_error,
        30 <= deferred.value.seconds <= 60,
        29 < wait < 61,
    ) == (
        Delivery.State.QUEUED,
        1,
        "451 4.3.0 Try again later",
        True,
        True,
    )


def test_delivery_send_temporary_error_on_the_last_attempt_fails_it(delivery, email_channel, settings):
    settings.NOTICE_DELIVERY_MAX_ATTEMPTS = 3
    Delivery.objects.filter(pk=delivery.pk).update(attempts=2)
    email_channel(TemporaryDeliveryError("451 busy"))
    delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, "451 busy" in delivery.last_error) == (Delivery.State.FAILED, 3, True)


def test_delivery_send_permanent_error_fails_it_at_once_with_the_error(delivery, email_channel):
    channel = email_channel(PermanentDeliveryError("550 5.1.1 No such user"))
    delivery_send(delivery_id=delivery.pk)
    delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_error, delivery.attempts, channel.calls) == (
        Delivery.State.FAILED,
        "550 5.1.1 No such user",
        1,
        1,
    )


def test_delivery_send_unexpected_error_is_retried_like_a_temporary_one(delivery, email_channel):
    email_channel(RuntimeError("template broke"))
    with pytest.raises(DeliveryDeferred):
        delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_error) == (Delivery.State.QUEUED, "RuntimeError: template broke")


def test_delivery_send_after_a_temporary_error_sends_once_the_retry_is_due(delivery, email_channel):
    email_channel(TemporaryDeliveryError("451 busy"))
    with pytest.raises(DeliveryDeferred):
        delivery_send(delivery_id=delivery.pk)
    channel = email_channel()
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error, channel.calls) == (Delivery.State.SENT, 2, "", 1)


def test_retry_delay_doubles_each_attempt_within_its_jitter_and_cap(settings):
    settings.NOTICE_RETRY_BASE_SECONDS, settings.NOTICE_RETRY_MAX_SECONDS = 30, 600
    delays = {attempt: [retry_delay(attempt) for _ in range(200)] for attempt in (1, 2, 3, 10)}
    bounds = {attempt: (min(values) >= 0, max(values)) for attempt, values in delays.items()}
    assert (
        all(15 <= d <= 30 for d in delays[1]),
        all(30 <= d <= 60 for d in delays[2]),
        all(60 <= d <= 120 for d in delays[3]),
        all(300 <= d <= 600 for d in delays[10]),
        len(set(delays[3])) > 100,
    ) == (True, True, True, True, True), bounds


# --- The rate limit --------------------------------------------------------------------------------


def test_rate_limiter_refuses_the_slot_past_the_limit_until_the_next_second(monkeypatch, settings):
    settings.CELERY_BROKER_URL = ""
    limiter = delivery_services._RateLimiter()
    monkeypatch.setattr(delivery_services.time, "time", lambda: 1_000_000.25)
    waits = [limiter.wait_seconds(3) for _ in range(4)]
    monkeypatch.setattr(delivery_services.time, "time", lambda: 1_000_001.0)
    next_second = limiter.wait_seconds(3)
    assert (waits[:3], 0.75 <= waits[3] <= 0.8, next_second) == ([0.0, 0.0, 0.0], True, 0.0)


def test_delivery_send_holds_the_rate_limit(hub_network, hub_admin, member_a, settings, monkeypatch):
    settings.NOTICE_EMAILS_PER_SECOND, settings.CELERY_BROKER_URL = 2, ""
    monkeypatch.setattr(delivery_services, "_rate_limiter", delivery_services._RateLimiter())
    ContactFactory(membership=member_a, email="kontak-b@example.go.id")
    ContactFactory(membership=member_a, email="kontak-c@example.go.id")
    notice = sent(hub_network, hub_admin)
    ids = list(notice.deliveries.filter(channel=Delivery.Channel.EMAIL).values_list("pk", flat=True))
    started = time.monotonic()
    for pk in ids:
        delivery_send(delivery_id=pk)
    # Six e-mails at two a second take three seconds of the clock, so more than one whole second.
    assert (len(ids), len(mail.outbox), time.monotonic() - started > 1.0) == (6, 6, True)


# --- The sweeper -----------------------------------------------------------------------------------


def test_deliveries_sweep_queues_again_a_delivery_whose_worker_died_while_sending(delivery):
    claimed = timezone.now() - SENDING_STALE_AFTER - datetime.timedelta(seconds=1)
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING, claimed_at=claimed, attempts=1)
    ids = deliveries_sweep()
    delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.pk in ids, delivery.state, delivery.attempts, len(mail.outbox)) == (True, "sent", 2, 1)


def test_deliveries_sweep_leaves_a_delivery_being_sent_now(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING, claimed_at=timezone.now())
    assert (delivery.pk in deliveries_sweep(), state(delivery)) == (False, Delivery.State.SENDING)


def test_deliveries_sweep_fails_a_delivery_whose_worker_died_too_often(delivery, settings):
    settings.NOTICE_DELIVERY_MAX_ATTEMPTS = 2
    claimed = timezone.now() - SENDING_STALE_AFTER * 2
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING, claimed_at=claimed, attempts=2)
    ids = deliveries_sweep()
    assert (delivery.pk in ids, state(delivery)) == (False, Delivery.State.FAILED)


def test_deliveries_sweep_sends_again_a_delivery_never_handed_to_the_broker(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - RESEND_AFTER * 2, enqueued_at=None)
    first = deliveries_sweep()
    second = deliveries_sweep()
    assert (delivery.pk in first, delivery.pk in second) == (True, False)


def test_deliveries_sweep_leaves_a_fresh_delivery_to_its_task(delivery):
    assert delivery.pk not in deliveries_sweep()


def test_deliveries_sweep_leaves_a_retry_waiting_for_its_time(delivery):
    long_ago = timezone.now() - RESEND_AFTER * 3
    Delivery.objects.filter(pk=delivery.pk).update(
        created_at=long_ago, enqueued_at=long_ago, next_attempt_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert delivery.pk not in deliveries_sweep()


def test_deliveries_retry_failed_queues_them_again_with_fresh_attempts(notice, delivery, hub_admin):
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED, attempts=8, last_error="550")
    ids = deliveries_retry_failed(notice=notice, by=hub_admin)
    delivery.refresh_from_db()
    assert (ids, delivery.state, delivery.attempts) == ([delivery.pk], Delivery.State.QUEUED, 0)


def test_deliveries_retry_failed_by_an_operator_is_refused(notice, delivery, operator):
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED)
    with pytest.raises(PermissionDenied):
        deliveries_retry_failed(notice=notice, by=operator)
    assert state(delivery) == Delivery.State.FAILED


# --- Acknowledgement -------------------------------------------------------------------------------


@pytest.fixture
def delivered(notice):
    for pk in notice.deliveries.values_list("pk", flat=True):
        delivery_send(delivery_id=pk)
    return notice


def test_delivery_acknowledge_marks_every_copy_of_the_institution_and_no_other(delivered, delivery, institution):
    changed = delivery_acknowledge(delivery=delivery, by=None)
    states = dict(
        delivered.deliveries.values_list("institution__code", "state").filter(state=Delivery.State.ACKNOWLEDGED)
    )
    assert (changed, states) == (3, {institution.code: Delivery.State.ACKNOWLEDGED})


def test_delivery_acknowledge_twice_changes_nothing_the_second_time(delivered, delivery):
    delivery_acknowledge(delivery=delivery, by=None)
    first = Delivery.objects.get(pk=delivery.pk).acknowledged_at
    assert (delivery_acknowledge(delivery=delivery, by=None), Delivery.objects.get(pk=delivery.pk).acknowledged_at) == (
        0,
        first,
    )


def test_delivery_acknowledge_by_a_user_of_the_institution_records_who(delivered, delivery, operator):
    delivery_acknowledge(delivery=delivery, by=operator)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.acknowledged_by) == (Delivery.State.ACKNOWLEDGED, operator)


def test_delivery_acknowledge_by_a_user_of_another_institution_is_refused(delivered, delivery, other_operator):
    with pytest.raises(PermissionDenied):
        delivery_acknowledge(delivery=delivery, by=other_operator)
    assert state(delivery) == Delivery.State.SENT


def test_delivery_for_token_finds_its_delivery(delivered, delivery):
    assert delivery_for_token(acknowledgement_token(delivery)) == delivery


def test_delivery_for_token_refuses_an_altered_token(delivered, delivery, other_institution):
    other = delivered.deliveries.filter(institution=other_institution).first()
    token = acknowledgement_token(delivery)
    _value, rest = token.split(":", 1)
    forged = signing.dumps(other.pk, salt="jipp.notice.acknowledge").split(":", 1)[0] + ":" + rest
    with pytest.raises(signing.BadSignature):
        delivery_for_token(forged)


def test_delivery_for_token_refuses_an_expired_token(delivered, delivery, monkeypatch, settings):
    settings.NOTICE_LINK_DAYS = 60
    token = acknowledgement_token(delivery)
    later = time.time() + 61 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(signing.SignatureExpired):
        delivery_for_token(token)


# --- Reminders -------------------------------------------------------------------------------------


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_reminders_due_claims_unacknowledged_emails_sent_long_enough_ago(delivered, delivery, hub_network):
    HubSettings.objects.create(hub=hub_network, reminder_after_days=3, max_reminders=2)
    delivered.deliveries.update(sent_at=days_ago(1))
    Delivery.objects.filter(pk=delivery.pk).update(sent_at=days_ago(4))
    assert reminders_due() == [(delivery.pk, 1)]


def test_reminders_due_skips_an_institution_that_acknowledged(delivered, delivery):
    delivered.deliveries.update(sent_at=days_ago(10))
    delivery_acknowledge(delivery=delivery, by=None)
    institutions = {Delivery.objects.get(pk=pk).institution_id for pk, _number in reminders_due()}
    assert delivery.institution_id not in institutions


def test_reminders_due_stops_after_the_hubs_maximum(delivered, delivery, hub_network):
    HubSettings.objects.create(hub=hub_network, reminder_after_days=1, max_reminders=2)
    delivered.deliveries.exclude(pk=delivery.pk).update(sent_at=days_ago(0), reminders_sent=2)
    Delivery.objects.filter(pk=delivery.pk).update(sent_at=days_ago(10))
    numbers = []
    for day in (0, 2, 4, 6):
        now = timezone.now() + datetime.timedelta(days=day)
        numbers += [number for _pk, number in reminders_due(now=now)]
    assert numbers == [1, 2]


def test_reminders_due_waits_the_days_again_after_a_reminder(delivered, delivery, hub_network):
    HubSettings.objects.create(hub=hub_network, reminder_after_days=3, max_reminders=5)
    delivered.deliveries.exclude(pk=delivery.pk).update(sent_at=days_ago(0))
    Delivery.objects.filter(pk=delivery.pk).update(sent_at=days_ago(3))
    first = reminders_due()
    tomorrow = reminders_due(now=timezone.now() + datetime.timedelta(days=1))
    assert (first, tomorrow) == ([(delivery.pk, 1)], [])


def test_delivery_remind_sends_a_reminder_email(delivered, delivery):
    Delivery.objects.filter(pk=delivery.pk).update(reminders_sent=1)
    mail.outbox.clear()
    assert delivery_remind(delivery_id=delivery.pk, number=1) is True
    [message] = mail.outbox
    assert (message.to, message.extra_headers["Message-ID"].endswith(".reminder-1@127.0.0.1>")) == (
        ["kontak-a@example.go.id"],
        True,
    )


def test_delivery_remind_after_acknowledgement_sends_nothing(delivered, delivery):
    Delivery.objects.filter(pk=delivery.pk).update(reminders_sent=1)
    delivery_acknowledge(delivery=delivery, by=None)
    mail.outbox.clear()
    assert (delivery_remind(delivery_id=delivery.pk, number=1), len(mail.outbox)) == (False, 0)


def test_hub_admin_of_another_hub_cannot_retry(notice, delivery):
    from jipp.models import Role
    from tests.factories import InstitutionFactory

    outsider = user_with_role(Role.HUB_ADMIN, username="hub-lain", institution=InstitutionFactory(code="lain"))
    with pytest.raises(PermissionDenied):
        deliveries_retry_failed(notice=notice, by=outsider)


def test_deliveries_send_of_a_batch_sends_the_others_when_one_is_deferred(notice, delivery, monkeypatch):
    class BusyForOne:
        name = "email"

        def send(self, message):
            if message.to == delivery.address:
                raise TemporaryDeliveryError("451 busy")
            mail.outbox.append(message)
            return message.message_id

    monkeypatch.setitem(channels._channels, "email", BusyForOne())
    ids = list(notice.deliveries.values_list("pk", flat=True))
    deferred = deliveries_send(delivery_ids=ids)
    states = dict(notice.deliveries.values_list("pk", "state"))
    assert ([pk for pk, _later in deferred], states.pop(delivery.pk), set(states.values()), len(mail.outbox)) == (
        [delivery.pk],
        Delivery.State.QUEUED,
        {Delivery.State.SENT},
        3,
    )
