"""The notice tasks: eagerly (names, beat, retries), and through a real Celery worker on the real Redis
and PostgreSQL to a real SMTP server (aiosmtpd) started here, counting what arrives.

The worker is a separate process reading the test database (DATABASE_URL names it) and listening on
a queue of its own, which is also its default queue and this process's, so that the tasks the services
enqueue reach it. The worker tests are transactional: the worker sees what they commit.
"""

import datetime
import os
import time
import uuid
from contextlib import contextmanager

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import transaction
from django.utils import timezone

from jipp import channels
from jipp.celery import app
from jipp.channels import TemporaryDeliveryError
from jipp.models import Delivery, Notice
from jipp.services.deliveries import RESEND_AFTER
from jipp.services.notices import notice_create, notice_schedule, notice_send
from jipp.tasks import deliver_notice, remind_notices, send_notice_digests, sweep_notices
from tests.jipp.factories_notices import Mailbox, data, sent, three_regency_members
from tests.workers import require_real_services, start_worker, stop_worker, worker_database_url

# --- Eagerly ---------------------------------------------------------------------------------------


def test_notice_tasks_are_registered_under_their_names():
    assert [deliver_notice.name, sweep_notices.name, remind_notices.name, send_notice_digests.name] == [
        "jipp.deliver_notice",
        "jipp.sweep_notices",
        "jipp.remind_notices",
        "jipp.send_notice_digests",
    ]


def test_notice_beat_runs_the_sweeper_every_minute_and_reminders_and_digests(settings):
    schedule = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    assert (
        schedule["sweep-notices"],
        settings.CELERY_BEAT_SCHEDULE["sweep-notices"]["schedule"],
        schedule["remind-notices"],
        schedule["notice-digests"],
    ) == ("jipp.sweep_notices", 60.0, "jipp.remind_notices", "jipp.send_notice_digests")


@pytest.mark.django_db
def test_deliver_notice_retries_a_temporary_error_with_its_back_off(hub_network, hub_admin, institution, monkeypatch):
    class Busy:
        name = "email"

        def send(self, message):
            raise TemporaryDeliveryError("451 4.7.1 Try again later")

    monkeypatch.setitem(channels._channels, "email", Busy())
    delivery = sent(hub_network, hub_admin).deliveries.get(institution=institution, address="kontak-a@example.go.id")
    deliver_notice.push_request(is_eager=False, retries=0)
    try:
        with pytest.raises(Retry):
            deliver_notice.run(delivery_id=delivery.pk)
    finally:
        deliver_notice.pop_request()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_error, delivery.next_attempt_at > timezone.now()) == (
        Delivery.State.QUEUED,
        "451 4.7.1 Try again later",
        True,
    )


@pytest.mark.django_db
def test_sweep_notices_sends_a_scheduled_notice_whose_time_came(hub_network, hub_admin):
    notice = notice_create(hub=hub_network, data=data(), by=hub_admin)
    notice_schedule(notice=notice, at=timezone.now() + datetime.timedelta(minutes=5), by=hub_admin)
    Notice.objects.filter(pk=notice.pk).update(scheduled_at=timezone.now() - datetime.timedelta(seconds=1))
    sweep_notices.apply()
    notice.refresh_from_db()
    assert (notice.status, notice.deliveries.count()) == (Notice.Status.SENDING, 7)


@pytest.mark.django_db
def test_sweep_notices_sends_deliveries_nobody_sent(hub_network, hub_admin):
    notice = sent(hub_network, hub_admin)
    notice.deliveries.update(created_at=timezone.now() - RESEND_AFTER * 2)
    sweep_notices.apply()
    notice.refresh_from_db()
    assert (notice.status, len(mail.outbox)) == (Notice.Status.SENT, 4)


@pytest.mark.django_db
def test_remind_notices_reminds_who_has_not_acknowledged(hub_network, hub_admin):
    notice = sent(hub_network, hub_admin)
    for pk in notice.deliveries.values_list("pk", flat=True):
        deliver_notice.apply(kwargs={"delivery_id": pk})
    notice.deliveries.update(sent_at=timezone.now() - datetime.timedelta(days=10))
    mail.outbox.clear()
    remind_notices.apply()
    assert len(mail.outbox) == 4


# --- Through a real worker, Redis, PostgreSQL and SMTP ---------------------------------------------


class ScriptedMailbox(Mailbox):
    """A mailbox whose refusals of an address run out: `refuse(address, reply, times)`."""

    def __init__(self):
        super().__init__()
        self.remaining: dict[str, int] = {}

    def refuse(self, address, reply, times):
        self.replies[address] = reply
        self.remaining[address] = times


def scripted_handler(mailbox):
    from tests.jipp.factories_notices import MailboxHandler

    class Handler(MailboxHandler):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            with mailbox.lock:
                left = mailbox.remaining.get(address, 0)
                if left:
                    mailbox.remaining[address] = left - 1
                    return mailbox.replies[address]
            envelope.rcpt_tos.append(address)
            return "250 OK"

    return Handler(mailbox)


@pytest.fixture(scope="module")
def outbox_worker(django_db_setup, tmp_path_factory):
    """A worker delivering to an SMTP server of this process; yields the server's mailbox."""
    require_real_services()
    from aiosmtpd.controller import Controller

    from tests.jipp.factories_notices import free_port

    mailbox = ScriptedMailbox()
    controller = Controller(scripted_handler(mailbox), hostname="127.0.0.1", port=free_port())
    controller.start()
    queue = f"test-notices-{uuid.uuid4().hex[:8]}"
    process = start_worker(
        queue,
        environment={
            "DATABASE_URL": worker_database_url(),
            "MEDIA_ROOT": str(tmp_path_factory.mktemp("notice-media")),
            "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "NOTICE_RETRY_BASE_SECONDS": "1",
            "NOTICE_RETRY_MAX_SECONDS": "2",
            "NOTICE_EMAILS_PER_SECOND": "0",
        },
    )
    saved_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield mailbox
    app.conf.task_default_queue = saved_queue
    output = stop_worker(process)
    controller.stop()
    assert process.returncode in (0, -15), output


@pytest.fixture
def worker_network(outbox_worker, reference_data):
    """The hub with its coordinator (the hub administrator) and members in three regencies."""
    mailbox = outbox_worker
    with mailbox.lock:
        mailbox.messages.clear()
        mailbox.replies.clear()
        mailbox.remaining.clear()
    from jipp.models import Membership, Role
    from tests.factories import InstitutionFactory, user_with_role
    from tests.jipp.factories_hub import HubFactory, MembershipFactory

    hub = HubFactory()
    admin = user_with_role(Role.HUB_ADMIN, username="hub-worker", institution=InstitutionFactory(code="bapperida-w"))
    MembershipFactory(hub=hub, institution=admin.institution, role=Membership.Role.COORDINATOR)
    three_regency_members(hub)
    return hub, admin, mailbox


def settled(notice: Notice, *, timeout: float = 60) -> Notice:
    """Wait until no delivery of the notice is queued or being sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not notice.deliveries.filter(state__in=[Delivery.State.QUEUED, Delivery.State.SENDING]).exists():
            notice.refresh_from_db()
            return notice
        time.sleep(0.2)
    states = list(notice.deliveries.values_list("address", "state", "last_error"))
    raise AssertionError(f"notice #{notice.pk} not delivered after {timeout} s: {states}")


def email_addresses(notice: Notice) -> list[str]:
    return sorted(notice.deliveries.filter(channel=Delivery.Channel.EMAIL).values_list("address", flat=True))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_delivers_each_email_of_a_notice_once_through_smtp(worker_network):
    hub, admin, mailbox = worker_network
    notice = settled(sent(hub, admin))
    time.sleep(1)  # a duplicate, if any, would arrive by now
    assert (notice.status, mailbox.recipients, len(set(mailbox.message_ids()))) == (
        Notice.Status.SENT,
        email_addresses(notice),
        len(email_addresses(notice)),
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_same_delivery_task_three_times_at_once_sends_one_email(worker_network):
    hub, admin, mailbox = worker_network
    notice = sent(hub, admin)
    delivery = notice.deliveries.get(address="kontak@pemkab-mamasa-uji.example.go.id")
    # Besides the task the dispatch sends, two more for the same delivery, on two worker threads.
    deliver_notice.apply_async(kwargs={"delivery_id": delivery.pk})
    deliver_notice.apply_async(kwargs={"delivery_id": delivery.pk})
    settled(notice)
    time.sleep(1.5)  # a duplicate, if any, would arrive by now
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, mailbox.recipients.count(delivery.address)) == (
        Delivery.State.SENT,
        1,
        1,
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_rolled_back_send_sends_nothing(worker_network):
    hub, admin, mailbox = worker_network
    with pytest.raises(RuntimeError), transaction.atomic():
        notice = notice_create(hub=hub, data=data(), by=admin)
        notice_send(notice=notice, by=admin)
        raise RuntimeError("the request failed after sending")
    time.sleep(3)
    assert (Notice.objects.count(), Delivery.objects.count(), mailbox.recipients) == (0, 0, [])


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_retries_a_temporary_smtp_error_then_delivers(worker_network):
    hub, admin, mailbox = worker_network
    mailbox.refuse("kontak@pemkab-mamasa-uji.example.go.id", "451 4.7.1 Greylisted, try again", times=2)
    notice = settled(sent(hub, admin))
    delivery = notice.deliveries.get(address="kontak@pemkab-mamasa-uji.example.go.id")
    assert (delivery.state, delivery.attempts, mailbox.recipients.count(delivery.address)) == (
        Delivery.State.SENT,
        3,
        1,
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_fails_a_permanent_smtp_error_at_once_with_the_error(worker_network):
    hub, admin, mailbox = worker_network
    mailbox.refuse("kontak@pemkab-mamasa-uji.example.go.id", "550 5.1.1 No such user here", times=100)
    notice = settled(sent(hub, admin))
    delivery = notice.deliveries.get(address="kontak@pemkab-mamasa-uji.example.go.id")
    others = [address for address in email_addresses(notice) if address != delivery.address]
    assert (delivery.state, delivery.attempts, delivery.last_error, mailbox.recipients) == (
        Delivery.State.FAILED,
        1,
        "550 5.1.1 No such user here",
        others,
    )


@contextmanager
def broker_down():
    """Celery sends to an address where nothing listens, as when Redis is down, until the block ends."""
    down = "redis://127.0.0.1:1/0"
    saved = (app.conf.broker_url, os.environ.get("CELERY_BROKER_URL"))

    def forget_connections():
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None

    os.environ["CELERY_BROKER_URL"] = app.conf.broker_url = down
    forget_connections()
    try:
        yield
    finally:
        app.conf.broker_url = saved[0]
        if saved[1] is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved[1]
        forget_connections()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_notice_sent_with_the_broker_down_goes_out_once_when_it_is_back(worker_network):
    hub, admin, mailbox = worker_network
    with broker_down():
        started = time.monotonic()
        notice = sent(hub, admin)  # commits; the dispatch after the commit cannot reach the broker
        elapsed = time.monotonic() - started
    time.sleep(1)
    waiting = set(notice.deliveries.values_list("state", flat=True))
    # The broker is back; a minute later the beat sweeper finds the deliveries nobody took.
    notice.deliveries.update(created_at=timezone.now() - RESEND_AFTER * 2)
    sweep_notices.apply()
    notice = settled(notice)
    sweep_notices.apply()  # and the next sweep finds nothing left to send
    time.sleep(1.5)
    assert (elapsed < 3, waiting, mailbox.recipients, len(set(mailbox.message_ids()))) == (
        True,
        {Delivery.State.QUEUED},
        email_addresses(notice),
        len(email_addresses(notice)),
    )
    assert notice.status == Notice.Status.SENT
