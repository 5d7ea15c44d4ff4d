"""Fault tests (issue 12, point 6): real Celery workers, PostgreSQL, Redis, gunicorn and an SMTP sink,
with a fault injected in the middle of the work; exits 1 if a promise of docs/reliability.md broke.

    make fault                        # every scenario
    .venv/bin/python scripts/reliability/faults.py [kill-notices] [kill-import] [redis-down] [postgres-down]

- kill-notices: SIGKILL the worker's process group in the middle of 1,000 notice deliveries, start a
  new one and run the sweeper as beat would (the clock moved past its limits). Every Message-ID
  arrives at the SMTP sink once; the known limit (docs/architecture.md, "Notice flow"): a delivery
  killed between the mail server's 250 and its row update is sent twice, so a second copy is allowed
  only of a delivery that was being sent at the kill.
- kill-import: SIGKILL the worker in the middle of writing a 2,000-row CSV import (FAULT_IMPORT_ROWS), start a new one
  and run the import sweeper (the batch's heartbeat moved past STALE_AFTER). The import ends done
  with every row published once, or failed with none of its records left; the public never sees
  part of the file (sampled throughout).
- redis-down: stop the broker for 30 seconds while 1,000 deliveries are being sent, and send another
  notice of 1,000 while it is down; then start it again (empty: what it held is lost) and run the
  sweeper. Every delivery of both notices arrives once.
- postgres-down: gunicorn (DEBUG off, CONN_MAX_AGE=600, as bench/public_pages.py starts it) reaches
  PostgreSQL through a TCP proxy in this process; clients request pages, the API and /healthz while
  the proxy refuses connections for 10 seconds. No answer is a 500 or a dropped connection: only 200
  or the maintenance 503 (with Retry-After); /healthz says "database unreachable" during the outage
  and every page answers 200 again within 5 seconds after it.

The run has a Redis server of its own (redis-server on a free port, no persistence), so it never
stops or fills the shared one; DATABASE_URL names the database (default: the jipp_b database of the
development machine; migrated at the start). Figures go to bench/results-faults.json.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results-faults.json"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jipp_b"
NOTICE_COUNT = 1000
IMPORT_ROWS = int(os.environ.get("FAULT_IMPORT_ROWS", "2000"))
REDIS_DOWN_SECONDS = 30
POSTGRES_DOWN_SECONDS = 10
RECOVERY_SECONDS = 5
TIMEOUT = 180

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
import notice_delivery as outbox  # noqa: E402 (the outbox benchmark's sink, worker and audience)


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


# --- Services this run owns -------------------------------------------------------------------


class RedisServer:
    """A redis-server of this run's own, that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server") or "redis-server"
        self.port = outbox.free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Proxy:
    """A TCP proxy to PostgreSQL that can refuse connections: `close` stops listening and cuts every
    connection through it, `open` listens again on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.port = outbox.free_port()
        self.listener: socket.socket | None = None
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()

    def open(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def close(self) -> None:
        if self.listener is not None:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes accept()
            self.listener.close()
            self.listener = None
        with self.lock:
            for end in self.connections:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
            self.connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.connections |= {client, server}
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        peer = {client: server, server: client}
        with selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ)
            selector.register(server, selectors.EVENT_READ)
            try:
                while True:
                    for key, _events in selector.select():
                        data = key.fileobj.recv(65536)
                        if not data:
                            raise ConnectionError
                        peer[key.fileobj].sendall(data)
            except OSError:
                pass
        with self.lock:
            self.connections -= {client, server}
        client.close()
        server.close()


# --- The run ----------------------------------------------------------------------------------


class Run:
    """What every scenario shares: the sink, the broker, the worker's environment and queue."""

    def __init__(self, redis: RedisServer) -> None:
        self.redis = redis
        self.folder = Path(tempfile.mkdtemp(prefix="jipp-faults-"))
        self.sink_log = self.folder / "sink.log"
        self.sink_port = outbox.free_port()
        self.queue = f"faults-{uuid.uuid4().hex[:8]}"
        self.sink: subprocess.Popen | None = None

    def start_worker(self) -> subprocess.Popen:
        return outbox.start_worker({**os.environ}, self.queue)

    def received(self) -> Counter:
        return Counter(outbox.received(self.sink_log))


def kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()


def wait_for(condition, what: str, timeout: float = TIMEOUT, every: float = 0.1) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        time.sleep(every)
    return time.monotonic() - started


def sweep_notices_until_done(notices: list, fault_at: dt.datetime, timeout: float = TIMEOUT) -> int:
    """What celery beat's sweeper does once its limits have passed since the fault at `fault_at` (the
    clock moved, not waited), until no delivery of `notices` is left queued or sending. Every sweep
    runs at the same moved time: a claim the fault left is stale then, and a claim a live worker made
    after the fault is not (beat, minutes later, would find it finished). Returns the sweeps run."""
    from jipp.models import Delivery
    from jipp.services.deliveries import SENDING_STALE_AFTER, deliveries_sweep
    from jipp.tasks import enqueue_deliveries

    active = Delivery.objects.filter(notice__in=notices, state__in=[Delivery.State.QUEUED, Delivery.State.SENDING])
    later = fault_at + SENDING_STALE_AFTER
    sweeps = 0
    started = time.monotonic()
    while active.exists():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"deliveries not done after {timeout} s: {active.count()} left")
        sweeps += 1
        enqueue_deliveries(deliveries_sweep(now=later))
        try:
            wait_for(lambda: not active.exists(), "deliveries", timeout=20, every=0.25)
        except TimeoutError:
            continue
    return sweeps


def message_key(message_id: str) -> str:
    """`notice-N.delivery-D` of a Message-ID (<notice-N.delivery-D@host>, jipp.services.deliveries)."""
    return message_id.strip().strip("<>").partition("@")[0]


def count_deliveries(run: Run, notice, before: Counter, sending_at_fault: set[str] | None = None) -> dict:
    """Message-IDs of `notice` that arrived at the sink since `before`: lost, twice, and whether
    every second copy is one the known limit allows (a delivery that was being sent at the fault)."""
    from jipp.models import Delivery

    emails = notice.deliveries.filter(channel=Delivery.Channel.EMAIL)
    expected = {f"notice-{notice.pk}.delivery-{pk}" for pk in emails.values_list("pk", flat=True)}
    arrived = Counter()
    for message_id, copies in (run.received() - before).items():
        arrived[message_key(message_id)] += copies
    of_notice = {key: value for key, value in arrived.items() if key in expected}
    twice = sorted(key for key, value in of_notice.items() if value > 1)
    allowed = sending_at_fault or set()
    return {
        "deliveries": len(expected),
        "arrived_once": sum(1 for value in of_notice.values() if value == 1),
        "lost": len(expected - set(of_notice)),
        "sent_twice": len(twice),
        "sent_twice_outside_known_limit": len([key for key in twice if key not in allowed]),
        "more_than_twice": sum(1 for value in of_notice.values() if value > 2),
        "states": dict(Counter(emails.values_list("state", flat=True))),
    }


def deliveries_kept(figures: dict) -> bool:
    return (
        figures["lost"] == 0
        and figures["sent_twice_outside_known_limit"] == 0
        and figures["more_than_twice"] == 0
        and figures["states"] == {"sent": figures["deliveries"]}
    )


def send_notice(hub, admin, subject: str):
    from jipp.services.notices import NoticeData, notice_create, notice_send

    notice = notice_create(hub=hub, data=NoticeData(subject=subject, body="Uji **gangguan**."), by=admin)
    return notice_send(notice=notice, by=admin)


def sent_count(notice) -> int:
    from jipp.models import Delivery

    return notice.deliveries.filter(channel=Delivery.Channel.EMAIL, state=Delivery.State.SENT).count()


def sending_ids(notice) -> set[str]:
    from jipp.models import Delivery

    sending = notice.deliveries.filter(channel=Delivery.Channel.EMAIL, state=Delivery.State.SENDING)
    return {f"notice-{notice.pk}.delivery-{pk}" for pk in sending.values_list("pk", flat=True)}


# --- a. A worker killed in the middle of 1,000 deliveries --------------------------------------


def kill_notices(run: Run) -> dict:
    from django.utils import timezone

    hub, admin = outbox.create_audience(NOTICE_COUNT)
    worker = run.start_worker()
    try:
        before = run.received()
        started = time.monotonic()
        notice = send_notice(hub, admin, "Faults: worker killed")
        wait_for(lambda: sent_count(notice) >= NOTICE_COUNT // 2, "half of the deliveries")
        kill(worker)
        fault_at = timezone.now()
        at_kill, sending = sent_count(notice), sending_ids(notice)
        log(f"worker killed with {at_kill} of {NOTICE_COUNT} sent, {len(sending)} in the middle of sending")
        worker = run.start_worker()
        sweeps = sweep_notices_until_done([notice], fault_at)
        time.sleep(1)  # the sink writes what it accepted
        figures = count_deliveries(run, notice, before, sending)
        figures |= {
            "sent_at_kill": at_kill,
            "sending_at_kill": len(sending),
            "sweeps": sweeps,
            "seconds": round(time.monotonic() - started, 1),
        }
        figures["ok"] = deliveries_kept(figures)
        return figures
    finally:
        outbox.stop_worker(worker)
        outbox.remove_audience(hub, admin)


# --- b. A worker killed in the middle of an import ---------------------------------------------


def import_csv(prefix: str, rows: int) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["judul", "ringkasan", "tahapan", "jenis", "bentuk", "inisiator", "tanggal_penerapan", "sdg"])
    for number in range(rows):
        writer.writerow(
            [
                f"Uji gangguan {prefix} nomor {number}",
                f"Ringkasan inovasi {number}: layanan publik yang lebih cepat bagi warga desa.",
                ("inisiatif", "uji_coba", "penerapan")[number % 3],
                ("digital", "non_digital")[number % 2],
                "pelayanan_publik",
                "opd",
                f"{2015 + number % 10}-0{1 + number % 9}-15",
                str(1 + number % 17),
            ]
        )
    return out.getvalue().encode()


def kill_import(run: Run) -> dict:
    from django.utils import timezone

    from innovations.models import ImportBatch, Innovation, State
    from innovations.services.imports import STALE_AFTER, import_batch_create, import_batches_sweep
    from innovations.tasks import enqueue_import
    from jipp.models import Institution, Region

    blocking = ImportBatch.objects.filter(dry_run=False, status__in=["pending", "running"])
    if blocking.exists():
        return {"ok": False, "error": f"unfinished imports in this database: {list(blocking.values_list('pk'))}"}
    prefix = f"faults-{uuid.uuid4().hex[:6]}"
    region = Region.objects.filter(level=Region.Level.REGENCY).order_by("pk").first()
    institution = Institution.objects.create(
        code=prefix, name=f"Dinas Uji Gangguan {prefix}", kind=Institution.Kind.OPD, region=region
    )
    records = Innovation.objects.filter(institution=institution)
    published = records.filter(state=State.PUBLISHED)
    partial_views: list[int] = []

    def sample() -> None:
        count = published.count()
        if count not in (0, IMPORT_ROWS):
            partial_views.append(count)

    batch = import_batch_create(
        name=f"{prefix}.csv", content=import_csv(prefix, IMPORT_ROWS), by=None, institution=institution
    )
    worker = run.start_worker()
    try:
        started = time.monotonic()
        enqueue_import(import_id=batch.pk)
        progress = ImportBatch.objects.filter(pk=batch.pk)

        def half_written() -> bool:
            sample()
            return progress.filter(written_rows__gte=IMPORT_ROWS // 2).exists()

        wait_for(half_written, "half of the import written", every=0.2)
        kill(worker)
        batch.refresh_from_db()
        at_kill = {
            "status": batch.status,
            "written_rows": batch.written_rows,
            "records": records.count(),
            "published": published.count(),
        }
        log(f"worker killed during the import: {at_kill}")
        worker = run.start_worker()
        # What the sweeper sees once the dead run's heartbeat is STALE_AFTER old (moved, not waited).
        progress.update(updated_at=timezone.now() - STALE_AFTER * 2)
        resent = import_batches_sweep()
        for import_id in resent:
            enqueue_import(import_id=import_id)

        def finished() -> bool:
            sample()
            return progress.filter(status__in=["done", "failed"]).exists()

        wait_for(finished, "the import to finish", every=0.2)
        batch.refresh_from_db()
        titles = Counter(records.values_list("title", flat=True))
        figures = {
            "rows": IMPORT_ROWS,
            "at_kill": at_kill,
            "resent_by_sweeper": resent == [batch.pk],
            "status": batch.status,
            "attempts": batch.attempts,
            "created_count": batch.created_count,
            "records": records.count(),
            "published": published.count(),
            "titles_twice": sum(1 for value in titles.values() if value > 1),
            "partial_public_views": partial_views,
            "seconds": round(time.monotonic() - started, 1),
        }
        if batch.status == ImportBatch.Status.DONE:
            whole = figures["records"] == figures["published"] == figures["created_count"] == IMPORT_ROWS
        else:
            whole = figures["records"] == 0
        figures["ok"] = whole and figures["titles_twice"] == 0 and not partial_views and at_kill["published"] == 0
        return figures
    finally:
        outbox.stop_worker(worker)
        ImportBatch.objects.filter(pk=batch.pk).delete()
        records.delete()
        institution.delete()


# --- c. Redis unreachable for 30 seconds during sending ----------------------------------------


def redis_down(run: Run) -> dict:
    from django.utils import timezone

    from jipp.health import check_broker

    hub, admin = outbox.create_audience(NOTICE_COUNT)
    worker = run.start_worker()
    try:
        # The site uses the same Redis as its cache, as a small deployment would.
        with Site(run, {"CACHE_URL": run.redis.url}, clients=2) as site:
            before = run.received()
            started = time.monotonic()
            first = send_notice(hub, admin, "Faults: broker down")
            wait_for(lambda: sent_count(first) >= NOTICE_COUNT // 3, "a third of the deliveries")
            fault_at = timezone.now()
            run.redis.stop()
            down_at = time.monotonic()
            at_stop, sending = sent_count(first), sending_ids(first)
            log(f"Redis stopped with {at_stop} of {NOTICE_COUNT} sent")
            send_started = time.monotonic()
            second = send_notice(hub, admin, "Faults: sent while the broker is down")
            send_seconds = time.monotonic() - send_started
            broker_health = check_broker()
            time.sleep(max(0.0, REDIS_DOWN_SECONDS - (time.monotonic() - down_at)))
            sent_during = sent_count(first) - at_stop
            # The outage ends when the restart begins: a /healthz answered while start() still waits for
            # the port saw the broker back, and must not count as answered during the outage.
            up_at = time.monotonic()
            run.redis.start()
            log(f"Redis back after {up_at - down_at:.0f} s")
            worker_survived = worker.poll() is None
            if not worker_survived:
                worker = run.start_worker()  # as the process supervisor would
            sweeps = sweep_notices_until_done([first, second], fault_at)
            time.sleep(max(1.0, RECOVERY_SECONDS * 2 - (time.monotonic() - up_at)))
        figures = {
            "down_seconds": REDIS_DOWN_SECONDS,
            "sent_before_outage": at_stop,
            "sent_during_outage": sent_during,
            "notice_send_while_down_seconds": round(send_seconds, 2),
            "broker_check_while_down": broker_health,
            "worker_survived": worker_survived,
            "sweeps": sweeps,
            "first": count_deliveries(run, first, before, sending),
            "second": count_deliveries(run, second, before),
            "site": site.report(down_at, up_at, '"broker": "unreachable"'),
            "seconds": round(time.monotonic() - started, 1),
        }
        figures["ok"] = (
            deliveries_kept(figures["first"])
            and deliveries_kept(figures["second"])
            and figures["site"]["ok"]
            and broker_health == "unreachable"
            and send_seconds < 10
        )
        return figures
    finally:
        outbox.stop_worker(worker)
        outbox.remove_audience(hub, admin)


# --- The site under a fault: gunicorn and clients -----------------------------------------------

PATHS = ["/", "/inovasi/", "/inovasi/{slug}/", "/statistik/", "/api/v1/innovations/", "/inovasi/feed/", "/healthz"]


def request(path: str) -> tuple[int, str, str]:
    """Status, Retry-After and body of one GET; status 0 when the connection failed."""
    connection = http.client.HTTPConnection("127.0.0.1", int(os.environ["BENCH_PORT"]), timeout=60)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", "Accept": "text/html,*/*;q=0.8"})
        response = connection.getresponse()
        return response.status, response.getheader("Retry-After") or "", response.read().decode(errors="replace")
    except OSError as error:
        return 0, "", str(error)
    finally:
        connection.close()


class Site:
    """gunicorn as bench/public_pages.py starts it (with `environment` added), and `clients` threads
    requesting PATHS in turn until the block ends; `answers` has (start, end, path, status,
    Retry-After, start of the body) of each request."""

    def __init__(self, run: Run, environment: dict[str, str], clients: int = 4) -> None:
        self.run, self.environment, self.clients = run, environment, clients
        self.answers: list[tuple[float, float, str, int, str, str]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def __enter__(self) -> Site:
        import public_pages

        from innovations.models import Innovation, State

        slug = Innovation.objects.filter(state=State.PUBLISHED).order_by("pk").values_list("slug", flat=True).first()
        self.paths = [path.format(slug=slug) for path in PATHS if slug or "{slug}" not in path]
        # gunicorn logs every 5xx with its traceback: to a file of the run, not into this report.
        saved_stderr, saved_environment = os.dup(2), dict(os.environ)
        os.environ.update(self.environment)
        try:
            with open(self.run.folder / "gunicorn.log", "a") as server_log:
                os.dup2(server_log.fileno(), 2)
                self.server = public_pages.start_server(self.run.folder / "access.log")
        finally:
            os.environ.clear()
            os.environ.update(saved_environment)
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
        for path in self.paths:  # warm: the first request of each page is not what this measures
            request(path)
        self.threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(self.clients)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exception: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=70)
        os.killpg(self.server.pid, signal.SIGTERM)
        self.server.wait(timeout=30)

    def _client(self, offset: int) -> None:
        number = offset
        while not self.stop.is_set():
            path = self.paths[number % len(self.paths)]
            number += 1
            started = time.monotonic()
            status, retry_after, body = request(path)
            with self.lock:
                self.answers.append((started, time.monotonic(), path, status, retry_after, body[:300]))

    def report(self, down_at: float, up_at: float, healthz_says: str) -> dict:
        """Statuses by phase (before, down, recovering: RECOVERY_SECONDS after, after), what /healthz
        said during the outage, and every answer outside the promise: a page answers 200 or the
        maintenance 503 (with Retry-After), /healthz 200 or 503, never a 500 or a dropped connection."""

        def phase(at: float) -> str:
            if at < down_at:
                return "before"
            if at < up_at:
                return "down"
            return "recovering" if at < up_at + RECOVERY_SECONDS else "after"

        statuses: dict[str, Counter] = {}
        unexpected, healthz_down = [], Counter()
        for at, ended, path, status, retry_after, body in self.answers:
            name = phase(at)
            statuses.setdefault(name, Counter())[str(status)] += 1
            if path == "/healthz":
                # Asked wholly within the outage (a moment after it began, for the fault to be in place).
                if down_at + 0.5 <= at and ended <= up_at:
                    healthz_down["as expected" if healthz_says in body else f"{status} {body[:80]}"] += 1
                if status not in (200, 503):
                    unexpected.append((name, path, status, body[:120]))
            elif status != 200 and not (status == 503 and retry_after):
                unexpected.append((name, path, status, body[:120]))
        after = {status for at, _end, _path, status, _retry, _body in self.answers if phase(at) == "after"}
        return {
            "requests": len(self.answers),
            "statuses_by_phase": {name: dict(counter) for name, counter in statuses.items()},
            "healthz_while_down": dict(healthz_down),
            "unexpected": unexpected[:20],
            "unexpected_count": len(unexpected),
            "ok": not unexpected and set(healthz_down) == {"as expected"} and after == {200},
        }


# --- d. PostgreSQL refusing connections while the site is served --------------------------------


def postgres_down(run: Run) -> dict:
    from django.conf import settings

    database = settings.DATABASES["default"]
    proxy = Proxy(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
    proxy.open()
    parts = urlsplit(os.environ["DATABASE_URL"])
    credentials = parts.netloc.rpartition("@")[0]
    address = f"127.0.0.1:{proxy.port}"
    through_proxy = parts._replace(netloc=f"{credentials}@{address}" if credentials else address)
    try:
        with Site(run, {"DATABASE_URL": urlunsplit(through_proxy)}) as site:
            time.sleep(4)
            down_at = time.monotonic()
            proxy.close()
            log("PostgreSQL refused through the proxy")
            time.sleep(POSTGRES_DOWN_SECONDS)
            up_at = time.monotonic()  # as for Redis: the outage ends as the proxy starts listening again
            proxy.open()
            log("PostgreSQL reachable again")
            time.sleep(RECOVERY_SECONDS * 2)
    finally:
        proxy.close()
    return {"down_seconds": POSTGRES_DOWN_SECONDS, **site.report(down_at, up_at, '"database": "unreachable"')}


SCENARIOS = {
    "kill-notices": kill_notices,
    "kill-import": kill_import,
    "redis-down": redis_down,
    "postgres-down": postgres_down,
}


def main() -> int:
    chosen = sys.argv[1:] or list(SCENARIOS)
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        print(f"Unknown scenario {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIOS)}.")
        return 2
    if shutil.which("redis-server") is None:
        print("The fault tests start a Redis server of their own: redis-server must be installed.")
        return 1
    redis = RedisServer()
    redis.start()
    run = Run(redis)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="jipp.settings",
        DEBUG="false",
        CONN_MAX_AGE="600",
        CELERY_BROKER_URL=redis.url,
        CELERY_RESULT_BACKEND=redis.url,
        CELERY_TASK_DEFAULT_QUEUE=run.queue,
        EMAIL_URL=f"smtp://127.0.0.1:{run.sink_port}",
        NOTICE_EMAILS_PER_SECOND="0",
        MEDIA_ROOT=str(run.folder / "media"),
        BENCH_PORT=str(outbox.free_port()),
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("The fault tests need PostgreSQL (DATABASE_URL=postgres://…).")
        return 1
    call_command("migrate", verbosity=0)
    run.sink = outbox.start_sink(run.sink_port, run.sink_log)
    results: dict = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average_at_start": [round(value, 1) for value in os.getloadavg()],
        "scenarios": {},
    }
    started = time.monotonic()
    try:
        for name in chosen:
            log(f"{name}: start")
            scenario_started = time.monotonic()
            try:
                figures = SCENARIOS[name](run)
            except Exception as error:  # noqa: BLE001 - a scenario that cannot finish has failed; report it, go on
                figures = {"ok": False, "error": f"{type(error).__name__}: {error}"}
            figures["wall_seconds"] = round(time.monotonic() - scenario_started, 1)
            results["scenarios"][name] = figures
            log(f"{name}: {'kept' if figures['ok'] else 'BROKEN'} {json.dumps(figures, default=str)}")
    finally:
        run.sink.terminate()
        redis.stop()
        shutil.rmtree(run.folder, ignore_errors=True)
    results["seconds"] = round(time.monotonic() - started, 1)
    results["load_average_at_end"] = [round(value, 1) for value in os.getloadavg()]
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    failed = [name for name, figures in results["scenarios"].items() if not figures["ok"]]
    print(f"Wrote {RESULTS.relative_to(ROOT)} ({results['seconds']} s); broken: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
