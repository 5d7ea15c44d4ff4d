"""Celery tasks of the hub network: thin wrappers that call services."""

from celery import Task, shared_task

from . import services
from .broker import enqueue
from .services import deliveries, notices


@shared_task(name="jipp.ping", acks_late=True)
def ping(*, token: str) -> dict[str, str]:
    """Answer with the token and the worker's database vendor; used by readiness tests."""
    return services.ping_answer(token=token)


@shared_task(name="jipp.clear_expired_sessions", acks_late=True)
def clear_expired_sessions() -> None:
    services.sessions_clear_expired()


# --- Notices (jipp.services.notices and jipp.services.deliveries) -----------------------------------


# Deliveries a task sends: a task per delivery would cost more in the broker and worker than the e-mail.
DELIVERY_BATCH = 25


def enqueue_deliveries(delivery_ids: list[int]) -> None:
    for start in range(0, len(delivery_ids), DELIVERY_BATCH):
        enqueue(deliver_notices, delivery_ids=delivery_ids[start : start + DELIVERY_BATCH])


@shared_task(name="jipp.dispatch_notice", acks_late=True, ignore_result=True)
def dispatch_notice(*, notice_id: int) -> None:
    """Hand the queued deliveries of a notice just sent to the worker, in batches."""
    enqueue_deliveries(deliveries.notice_queued_delivery_ids(notice_id=notice_id))


# Acknowledged late and requeued if the worker is lost; each delivery is claimed before it is sent, so a
# redelivered or duplicated task sends nothing twice. A delivery that meets a temporary error comes back
# on its own after its back-off (the service bounds the attempts, so retries are not counted here).
@shared_task(name="jipp.deliver_notices", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_notices(*, delivery_ids: list[int]) -> None:
    for delivery_id, deferred in deliveries.deliveries_send(delivery_ids=delivery_ids):
        enqueue(deliver_notice, countdown=deferred.seconds, delivery_id=delivery_id)


@shared_task(
    name="jipp.deliver_notice",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    max_retries=None,
)
def deliver_notice(self: Task, *, delivery_id: int) -> None:
    try:
        deliveries.delivery_send(delivery_id=delivery_id)
    except deliveries.DeliveryDeferred as deferred:
        if not self.request.is_eager:
            raise self.retry(countdown=deferred.seconds) from deferred


@shared_task(name="jipp.sweep_notices", ignore_result=True)
def sweep_notices() -> None:
    """Run by celery beat every minute: scheduled notices that are due, then deliveries no worker has."""
    notices.notices_send_due()
    enqueue_deliveries(deliveries.deliveries_sweep())


@shared_task(name="jipp.remind_notices", ignore_result=True)
def remind_notices() -> None:
    """Run by celery beat every hour: claim the reminders due and send each."""
    for delivery_id, number in deliveries.reminders_due():
        enqueue(send_reminder, delivery_id=delivery_id, number=number)


@shared_task(name="jipp.send_reminder", bind=True, acks_late=True, ignore_result=True, max_retries=3)
def send_reminder(self: Task, *, delivery_id: int, number: int) -> None:
    try:
        deliveries.delivery_remind(delivery_id=delivery_id, number=number)
    except deliveries.DeliveryDeferred as deferred:
        if not self.request.is_eager:
            raise self.retry(countdown=deferred.seconds) from deferred


@shared_task(name="jipp.send_notice_digests", ignore_result=True)
def send_notice_digests() -> None:
    """Run by celery beat once a day: the digest of publications for hubs that want one."""
    notices.notices_digest_send()
