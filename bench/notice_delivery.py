"""Time the notice outbox (issue 9): N e-mail deliveries through 2 Celery worker processes to a local SMTP
sink, against sending the same messages directly to the sink from one process; then N more with the
worker killed once midway, counting what was lost and what arrived twice.

    DEBUG=False CONN_MAX_AGE=600 DATABASE_URL=postgres://… CELERY_BROKER_URL=redis://… \\
        .venv/bin/python bench/notice_delivery.py [N]

Needs a migrated PostgreSQL database with the reference data, and Redis. Creates a hub (status
proposed) with N/5 member institutions of five contacts each, sends it a notice through the services
(N e-mails and N/5 inbox copies), and removes everything it created at the end. The SMTP sink is
another process (aiosmtpd) that writes the Message-ID of every message it accepts to a file; the
bench counts them. The worker is `celery worker --pool=prefork --concurrency=2` on a queue of its own;
the killed run SIGKILLs its whole process group when about half is sent, starts a new worker and does
what celery beat would do (the sweeper, with the clock moved past its limits).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTACTS_PER_INSTITUTION = 5


def sink_main(port: int, log: str) -> None:
    """The SMTP sink: accept every message, append its Message-ID to `log`."""
    import asyncio
    from email.parser import BytesHeaderParser

    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self) -> None:
            self.file = open(log, "a", buffering=1)  # noqa: SIM115 (open for the process's life)

        async def handle_DATA(self, server, session, envelope):
            message = BytesHeaderParser().parsebytes(envelope.content)
            self.file.write(f"{message['Message-ID']}\n")
            return "250 Message accepted"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        asyncio.run(asyncio.sleep(10**9))
    finally:
        controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def received(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if line] if log.exists() else []


def start_sink(port: int, log: Path) -> subprocess.Popen:
    """The SMTP sink in a process of its own, listening once this returns."""
    sink = subprocess.Popen([sys.executable, __file__, "--sink", str(port), str(log)], cwd=ROOT)
    time.sleep(1.5)
    return sink


def create_audience(count: int):
    """A hub (status proposed) with count/5 member institutions of five contacts each, and a superuser
    to send its notices; `remove_audience` removes them with their notices. Needs Django set up."""
    from django.utils import timezone

    from jipp.models import Hub, Institution, Membership, MembershipContact, Region, User

    prefix = f"bench-{uuid.uuid4().hex[:6]}"
    province = Region.objects.get(level=Region.Level.PROVINCE, bps_code="76")
    regencies = list(Region.objects.filter(level=Region.Level.REGENCY))
    hub = Hub.objects.create(name=f"Hub {prefix}", slug=prefix, province=province, status=Hub.Status.PROPOSED)
    admin = User.objects.create(username=f"{prefix}-admin", is_superuser=True)
    institutions = Institution.objects.bulk_create(
        Institution(
            code=f"{prefix}-{number}",
            name=f"Dinas Bench {number}",
            kind=Institution.Kind.OPD,
            region=regencies[number % len(regencies)],
        )
        for number in range(count // CONTACTS_PER_INSTITUTION)
    )
    memberships = Membership.objects.bulk_create(
        Membership(hub=hub, institution=institution, starts_on=timezone.localdate()) for institution in institutions
    )
    MembershipContact.objects.bulk_create(
        MembershipContact(membership=membership, name=f"Kontak {number}", email=f"k{number}@{membership.pk}.bench")
        for membership in memberships
        for number in range(CONTACTS_PER_INSTITUTION)
    )
    return hub, admin


def remove_audience(hub, admin) -> None:
    from jipp.models import Institution, Membership, MembershipContact, Notice

    Notice.objects.filter(hub=hub).delete()
    MembershipContact.objects.filter(membership__hub=hub).delete()
    Membership.objects.filter(hub=hub).delete()
    Institution.objects.filter(code__startswith=hub.slug).delete()
    hub.delete()
    admin.delete()


def start_worker(environment: dict[str, str], queue: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "jipp",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "-Q",
            queue,
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
            "-n",
            f"{queue}-{uuid.uuid4().hex[:4]}@%h",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so that the whole worker can be killed
    )


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    port, log = free_port(), Path(tempfile.mkdtemp(prefix="jipp-bench-")) / "sink.log"
    queue = f"bench-notices-{uuid.uuid4().hex[:8]}"
    os.environ.update(
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        CELERY_TASK_DEFAULT_QUEUE=queue,
        NOTICE_EMAILS_PER_SECOND="0",
        DJANGO_SETTINGS_MODULE="jipp.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from jipp.broker import enqueue
    from jipp.channels import EmailChannel
    from jipp.models import Delivery, Notice
    from jipp.services.deliveries import RESEND_AFTER, SENDING_STALE_AFTER, deliveries_sweep, delivery_message
    from jipp.services.notices import NoticeData, notice_create, notice_send
    from jipp.tasks import deliver_notice

    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"):
        print("This benchmark needs PostgreSQL (DATABASE_URL) and Redis (CELERY_BROKER_URL).")
        return 1

    sink = start_sink(port, log)
    environment = {**os.environ}
    hub, admin = create_audience(count)

    def emails_of(notice: Notice):
        return notice.deliveries.filter(channel=Delivery.Channel.EMAIL)

    def wait_done(notice: Notice, timeout: float = 1800) -> float:
        started = time.monotonic()
        while notice.deliveries.filter(state__in=[Delivery.State.QUEUED, Delivery.State.SENDING]).exists():
            if time.monotonic() - started > timeout:
                raise SystemExit(f"notice #{notice.pk} not delivered after {timeout} s")
            time.sleep(0.25)
        return time.monotonic()

    def send(subject: str) -> Notice:
        notice = notice_create(hub=hub, data=NoticeData(subject=subject, body="Mohon **dibaca**."), by=admin)
        return notice_send(notice=notice, by=admin)

    results = []
    worker = start_worker(environment, queue)
    try:
        time.sleep(4)  # the worker starts
        before = len(received(log))
        started = time.monotonic()
        notice = send("Bench: outbox")
        finished = wait_done(notice)
        outbox_seconds = finished - started
        outbox_received = len(received(log)) - before
        results.append(("outbox, 2 worker processes", count, outbox_seconds, outbox_received))

        # The same messages, sent directly from this one process.
        deliveries = list(emails_of(notice).select_related("notice__hub", "institution", "contact"))
        channel = EmailChannel()
        before = len(received(log))
        started = time.monotonic()
        for delivery in deliveries:
            channel.send(delivery_message(delivery=delivery))
        channel.close()
        direct_seconds = time.monotonic() - started
        results.append(("direct, one process", count, direct_seconds, len(received(log)) - before))

        # Killed once midway.
        before_ids = Counter(received(log))
        notice = send("Bench: worker killed")
        total = emails_of(notice).count()
        while emails_of(notice).filter(state=Delivery.State.SENT).count() < total // 2:
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        at_kill = emails_of(notice).filter(state=Delivery.State.SENT).count()
        left_sending = emails_of(notice).filter(state=Delivery.State.SENDING).count()
        worker = start_worker(environment, queue)
        time.sleep(4)
        # What celery beat does after the sweeper's limits have passed (the clock moved, not waited).
        later = timezone.now() + SENDING_STALE_AFTER + RESEND_AFTER * 2
        swept = deliveries_sweep(now=later)
        for delivery_id in swept:
            enqueue(deliver_notice, delivery_id=delivery_id)
        wait_done(notice)
        time.sleep(3)
        after_ids = Counter(received(log)) - before_ids
        expected = {delivery.message_id for delivery in emails_of(notice)}
        ids_of_notice = Counter({key: value for key, value in after_ids.items() if f"notice-{notice.pk}." in key})
        lost = total - len(ids_of_notice)
        twice = sum(1 for value in ids_of_notice.values() if value > 1)
        states = dict(Counter(emails_of(notice).values_list("state", flat=True)))
    finally:
        stop_worker(worker)
        sink.terminate()
        remove_audience(hub, admin)
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(queue)
        log.unlink(missing_ok=True)

    print(f"{count} e-mail deliveries (and {count // CONTACTS_PER_INSTITUTION} inbox copies) to a local SMTP sink")
    for name, number, seconds, arrived in results:
        print(f"  {name:28s} {seconds:7.1f} s  {number / seconds:7.0f} e-mails/s  ({arrived} arrived)")
    ratio = results[0][2] and (count / results[0][2]) / (count / results[1][2])
    print(f"  outbox rate / direct rate: {ratio:.2f}")
    print(
        f"worker killed with {at_kill} of {total} sent ({left_sending} in the middle of sending); "
        f"{len(swept)} handed to the new worker by the sweeper"
    )
    print(
        f"  lost: {lost}, arrived twice: {twice}, states: {states}, all Message-IDs recorded: {len(expected) == total}"
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--sink":
        sink_main(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(main())
