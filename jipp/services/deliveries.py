"""The outbox of notices: delivering, retrying, sweeping, acknowledging and reminding.

A notice's deliveries are written (queued) in the transaction that sends it; afterwards each goes
through `delivery_send`, run by the task `jipp.deliver_notice`:

    queued --claim--> sending --channel took it--> sent --recipient confirms--> acknowledged
                         |--temporary error--> queued again, later (back-off with jitter)
                         |--permanent error, or too many attempts--> failed (with the error)

The claim is a conditional UPDATE (only a queued, due delivery becomes sending), so a task that runs
twice, or two workers given the same delivery, send it once; the outcome is written only by the run
that still owns the claim (its attempt number). `deliveries_sweep` (celery beat, every minute) sends
again what no worker is working on: queued deliveries whose task never reached the broker or was
lost, and deliveries left sending by a worker that died.

Acknowledgement is per recipient institution: confirming receipt (the signed link of any of its
e-mails, or the inbox button) marks all of that institution's delivered copies of the notice.
Reminders go, by e-mail, to institutions that have not acknowledged after the hub's number of days,
at most the hub's number of times.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..channels import (
    OutgoingMessage,
    PermanentDeliveryError,
    TemporaryDeliveryError,
    channel_for,
)
from ..markup import markdown_html
from ..models import Delivery, HubSettings, Notice, NoticeAttachment, User
from ..permissions import ensure_can

logger = logging.getLogger(__name__)

# A delivery left `sending` this long has lost its worker (a send takes seconds; SMTP times out after
# EMAIL_TIMEOUT).
SENDING_STALE_AFTER = dt.timedelta(minutes=5)
# A queued delivery nobody took for this long is sent to the broker again (it never got there, or its
# message was lost); a retry waiting for its back-off is left alone until its time plus this.
RESEND_AFTER = dt.timedelta(minutes=1)
# A retry's task may arrive a little before the moment written on the row.
EARLY_TOLERANCE = dt.timedelta(seconds=2)
# Deliveries one sweep sends again; the next sweep takes the rest.
SWEEP_BATCH = 5000
ACKNOWLEDGE_SALT = "jipp.notice.acknowledge"
ATTACHMENT_SALT = "jipp.notice.attachment"
PREVIEW_TOKEN = "pratinjau"  # noqa: S105 (the preview's stand-in for a signed token, not a secret)

_ACTIVE_STATES = (Delivery.State.QUEUED, Delivery.State.SENDING)


class DeliveryDeferred(Exception):
    """The delivery met a temporary error and is queued again; try again in `seconds`."""

    def __init__(self, seconds: float, error: str) -> None:
        super().__init__(error)
        self.seconds = seconds


def max_attempts() -> int:
    return int(settings.NOTICE_DELIVERY_MAX_ATTEMPTS)


def retry_delay(attempt: int) -> float:
    """Exponential back-off after the `attempt`-th failed attempt, with jitter so that deliveries
    that failed together (a server down) do not all come back at the same second."""
    base = float(settings.NOTICE_RETRY_BASE_SECONDS)
    delay = min(float(settings.NOTICE_RETRY_MAX_SECONDS), base * 2 ** max(attempt - 1, 0))
    return random.uniform(delay / 2, delay)  # noqa: S311 (spreading retries, not security)


# --- Links and messages ----------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def acknowledgement_token(delivery: Delivery) -> str:
    return signing.dumps(delivery.pk, salt=ACKNOWLEDGE_SALT)


def attachment_token(delivery: Delivery, attachment: NoticeAttachment) -> str:
    return signing.dumps([delivery.pk, attachment.pk], salt=ATTACHMENT_SALT)


def _link_max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.NOTICE_LINK_DAYS)


def delivery_for_token(token: str) -> Delivery:
    """The delivery an acknowledgement link was made for. Raises signing.BadSignature when the token
    was altered (signing.SignatureExpired, a subclass, when it is older than NOTICE_LINK_DAYS) and
    Delivery.DoesNotExist when its notice was deleted."""
    pk = signing.loads(token, salt=ACKNOWLEDGE_SALT, max_age=_link_max_age())
    return Delivery.objects.select_related("notice__hub", "institution").get(pk=pk)


def attachment_for_token(token: str) -> NoticeAttachment:
    """The attachment a link in an e-mail was made for (same errors as `delivery_for_token`)."""
    delivery_pk, attachment_pk = signing.loads(token, salt=ATTACHMENT_SALT, max_age=_link_max_age())
    return NoticeAttachment.objects.get(pk=attachment_pk, notice__deliveries=delivery_pk)


def _message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


@dataclass(frozen=True)
class AttachmentLink:
    name: str
    size: int
    url: str


@dataclass
class _NoticeParts:
    """What every recipient's copy of a notice shares: computed once per notice in a batch."""

    body_html: SafeString
    attachments: list[NoticeAttachment]


def _notice_parts(notice: Notice, cache: dict[int, _NoticeParts] | None) -> _NoticeParts:
    if cache is not None and notice.pk in cache:
        return cache[notice.pk]
    parts = _NoticeParts(body_html=markdown_html(notice.body), attachments=list(notice.attachments.all()))
    if cache is not None and notice.pk is not None:
        cache[notice.pk] = parts
    return parts


def _message_context(delivery: Delivery, reminder: int, cache: dict[int, _NoticeParts] | None = None) -> dict[str, Any]:
    notice = delivery.notice
    parts = _notice_parts(notice, cache)
    preview = delivery.pk is None
    attachments = [
        AttachmentLink(
            name=attachment.original_name,
            size=attachment.size,
            url=absolute_url(
                reverse(
                    "jipp:attachment_link",
                    kwargs={"token": PREVIEW_TOKEN if preview else attachment_token(delivery, attachment)},
                )
            ),
        )
        for attachment in parts.attachments
    ]
    token = PREVIEW_TOKEN if preview else acknowledgement_token(delivery)
    return {
        "notice": notice,
        "hub": notice.hub,
        "delivery": delivery,
        "institution": delivery.institution,
        "contact": delivery.contact,
        "body_html": parts.body_html,
        "attachments": attachments,
        "acknowledge_url": absolute_url(reverse("jipp:acknowledge_link", kwargs={"token": token})),
        "inbox_url": absolute_url(reverse("jipp:inbox")),
        "reminder": reminder,
        "link_days": settings.NOTICE_LINK_DAYS,
    }


def delivery_message(
    *, delivery: Delivery, reminder: int = 0, cache: dict[int, _NoticeParts] | None = None
) -> OutgoingMessage:
    """What the delivery's recipient gets, in the portal's language: the notice with its link, its
    attachments as signed links and the signed acknowledgement link. An unsaved delivery (the
    preview) gets stand-in links. `cache` keeps what copies of one notice share, across a batch."""
    notice = delivery.notice
    with translation.override(settings.LANGUAGE_CODE):
        context = _message_context(delivery, reminder, cache)
        subject = notice.subject
        if reminder:
            subject = _("Reminder: %(subject)s") % {"subject": notice.subject}
        text = render_to_string("jipp/email/notice.txt", context)
        html = render_to_string("jipp/email/notice.html", context)
    suffix = f".reminder-{reminder}" if reminder else ""
    return OutgoingMessage(
        subject=subject,
        text=text,
        html=html,
        to=delivery.address,
        message_id=f"<notice-{notice.pk}.delivery-{delivery.pk or 0}{suffix}@{_message_domain()}>",
    )


def delivery_preview_body(*, delivery: Delivery) -> SafeString:
    """The body of the e-mail `delivery_message` writes (the same template and context), for a page."""
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("jipp/email/_notice_body.html", _message_context(delivery, 0))
    return mark_safe(body)  # noqa: S308 (our own template, autoescaped; the Markdown part is sanitised)


# --- Sending ---------------------------------------------------------------------------------------


class _RateLimiter:
    """At most NOTICE_EMAILS_PER_SECOND e-mails a second across every worker: a counter per second
    in Redis (the broker's) when there is one, in this process otherwise."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local: dict[int, int] = {}
        self._redis: Any = None

    def _client(self) -> Any:
        if self._redis is None and settings.CELERY_BROKER_URL.startswith("redis"):
            import redis

            self._redis = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2, socket_connect_timeout=2)
        return self._redis

    def wait_seconds(self, limit: int) -> float:
        """Take a slot in the current second, or say how long to wait for the next second."""
        now = time.time()
        second = int(now)
        client = self._client()
        if client is not None:
            try:
                key = f"jipp:notice-rate:{second}"
                pipeline = client.pipeline()
                pipeline.incr(key)
                pipeline.expire(key, 5)
                used = int(pipeline.execute()[0])
            except Exception:  # no broker, no sending either: do not hold the worker up
                logger.warning("Rate limit not checked: Redis cannot be reached", exc_info=True)
                return 0.0
        else:
            with self._lock:
                self._local = {second: self._local.get(second, 0) + 1}
                used = self._local[second]
        if used <= limit:
            return 0.0
        return second + 1 - now + random.uniform(0, 0.05)  # noqa: S311


_rate_limiter = _RateLimiter()


def _wait_for_send_slot(channel: str) -> None:
    limit = int(settings.NOTICE_EMAILS_PER_SECOND)
    if channel != Delivery.Channel.EMAIL or limit <= 0:
        return
    while (wait := _rate_limiter.wait_seconds(limit)) > 0:
        time.sleep(wait)


def _claim(delivery: Delivery, now: dt.datetime) -> bool:
    """Make the delivery this run's, if it is still as read: queued, due, with the attempts read."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + EARLY_TOLERANCE)
    claimed = Delivery.objects.filter(
        due, pk=delivery.pk, state=Delivery.State.QUEUED, attempts=delivery.attempts
    ).update(state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    if claimed:
        delivery.state, delivery.attempts = Delivery.State.SENDING, delivery.attempts + 1
    return claimed == 1


def _owned(delivery: Delivery) -> Any:
    """The delivery's row while this run still owns its claim (a sweeper may have handed it on)."""
    return Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING, attempts=delivery.attempts)


def notice_finish_if_done(*, notice_id: int) -> bool:
    """Mark a sending notice sent once none of its deliveries waits or is being sent."""
    busy = Delivery.objects.filter(notice=OuterRef("pk"), state__in=_ACTIVE_STATES)
    return bool(
        Notice.objects.filter(pk=notice_id, status=Notice.Status.SENDING)
        .exclude(Exists(busy))
        .update(status=Notice.Status.SENT, updated_at=timezone.now())
    )


def delivery_send(*, delivery_id: int) -> str | None:
    """Send one delivery through its channel, once.

    Does nothing unless the delivery is queued and due: a delivery already sent, failed or being sent
    by another run is never sent again. A temporary error queues it again and raises DeliveryDeferred
    with the back-off (until NOTICE_DELIVERY_MAX_ATTEMPTS, then it fails); a permanent one fails it at
    once, the error kept. Returns the delivery's state afterwards, None if it no longer exists.
    """
    deferred = deliveries_send(delivery_ids=[delivery_id])
    if deferred:
        raise deferred[0][1]
    return Delivery.objects.filter(pk=delivery_id).values_list("state", flat=True).first()


def deliveries_send(*, delivery_ids: Sequence[int]) -> list[tuple[int, DeliveryDeferred]]:
    """Send each of these deliveries as `delivery_send` does, reading them in one query and what
    copies of a notice share once. Each is claimed, sent and marked on its own, so a worker that
    dies mid-batch leaves at most the one it was sending in doubt; the ones it had not reached are
    still queued. Returns the deliveries that met a temporary error, each with its back-off."""
    rows = (
        Delivery.objects.select_related("notice__hub", "institution", "contact")
        .filter(pk__in=list(delivery_ids), state=Delivery.State.QUEUED)
        .order_by("pk")
    )
    cache: dict[int, _NoticeParts] = {}
    deferred: list[tuple[int, DeliveryDeferred]] = []
    notices: set[int] = set()
    for delivery in rows:
        if not _claim(delivery, timezone.now()):
            continue
        notices.add(delivery.notice_id)
        try:
            _send_claimed(delivery, cache)
        except DeliveryDeferred as later:
            deferred.append((delivery.pk, later))
    for notice_id in sorted(notices):
        notice_finish_if_done(notice_id=notice_id)
    return deferred


def _send_claimed(delivery: Delivery, cache: dict[int, _NoticeParts]) -> None:
    try:
        message = delivery_message(delivery=delivery, cache=cache)
        channel = channel_for(delivery.channel)
        _wait_for_send_slot(delivery.channel)
        provider_id = channel.send(message)
    except PermanentDeliveryError as error:
        _fail(delivery, str(error))
    except TemporaryDeliveryError as error:
        _defer(delivery, str(error))
    except Exception as error:
        # Not the channel's answer but our own trouble (a template, the database): retried like a
        # temporary error, so that a passing fault loses nothing and a lasting one ends as failed.
        logger.exception("Delivery #%s: unexpected error", delivery.pk)
        _defer(delivery, f"{type(error).__name__}: {error}")
    else:
        now = timezone.now()
        if not _owned(delivery).update(
            state=Delivery.State.SENT, sent_at=now, message_id=provider_id, last_error="", updated_at=now
        ):
            logger.warning("Delivery #%s sent, but another run had taken it over", delivery.pk)


def _fail(delivery: Delivery, error: str) -> None:
    _owned(delivery).update(state=Delivery.State.FAILED, last_error=error[:2000], updated_at=timezone.now())


def _defer(delivery: Delivery, error: str) -> None:
    """Queue the delivery again after its back-off and raise DeliveryDeferred; fail it once it has had
    its attempts."""
    if delivery.attempts >= max_attempts():
        given_up = _("Gave up after %(attempts)s attempts. Last error: %(error)s")
        _fail(delivery, given_up % {"attempts": delivery.attempts, "error": error})
        return
    seconds = retry_delay(delivery.attempts)
    now = timezone.now()
    _owned(delivery).update(
        state=Delivery.State.QUEUED,
        next_attempt_at=now + dt.timedelta(seconds=seconds),
        enqueued_at=now,
        claimed_at=None,
        last_error=error[:2000],
        updated_at=now,
    )
    raise DeliveryDeferred(seconds, error)


def notice_queued_delivery_ids(*, notice_id: int) -> list[int]:
    """The notice's deliveries waiting to be sent now, marked as handed to the broker."""
    now = timezone.now()
    waiting = Delivery.objects.filter(notice_id=notice_id, state=Delivery.State.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    ids = list(waiting.order_by("pk").values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids, state=Delivery.State.QUEUED).update(enqueued_at=now)
    return ids


def deliveries_sweep(*, now: dt.datetime | None = None) -> list[int]:
    """Deliveries to hand to the broker again: those left sending by a dead worker (queued again, or
    failed after NOTICE_DELIVERY_MAX_ATTEMPTS), and queued ones that no task took for RESEND_AFTER.
    Marks them as handed over, so that the next sweep leaves them to the worker. Idempotent."""
    now = now or timezone.now()
    stale = Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER)
    revived = []
    for delivery in stale.only("pk", "attempts", "notice_id")[:SWEEP_BATCH]:
        fence = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING, attempts=delivery.attempts)
        if delivery.attempts >= max_attempts():
            error = _("The worker sending it stopped %(attempts)s times.") % {"attempts": delivery.attempts}
            fence.update(state=Delivery.State.FAILED, last_error=error, updated_at=now)
            notice_finish_if_done(notice_id=delivery.notice_id)
        elif fence.update(
            state=Delivery.State.QUEUED, claimed_at=None, next_attempt_at=None, enqueued_at=now, updated_at=now
        ):
            revived.append(delivery.pk)
    limit = now - RESEND_AFTER
    waiting = (
        Delivery.objects.filter(state=Delivery.State.QUEUED)
        .annotate(handed_at=Coalesce("enqueued_at", "created_at"))
        .filter(handed_at__lt=limit)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=limit))
    )
    ids = list(waiting.order_by("pk").values_list("pk", flat=True)[: SWEEP_BATCH - len(revived)])
    Delivery.objects.filter(pk__in=ids, state=Delivery.State.QUEUED).update(enqueued_at=now)
    for notice_id in (
        Notice.objects.filter(status=Notice.Status.SENDING).exclude(
            Exists(Delivery.objects.filter(notice=OuterRef("pk"), state__in=_ACTIVE_STATES))
        )
    ).values_list("pk", flat=True):
        notice_finish_if_done(notice_id=notice_id)
    return [*revived, *ids]


@transaction.atomic
def deliveries_retry_failed(*, notice: Notice, by: User) -> list[int]:
    """Queue the notice's failed deliveries again with a fresh count of attempts (the hub fixed an
    address, or the mail server is back). Returns their ids, to be handed to the broker."""
    ensure_can(by, "jipp.manage_hub", notice)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    # of=("self",): the default ordering joins the institution's region, an outer join PostgreSQL cannot lock.
    failed = notice.deliveries.select_for_update(of=("self",)).filter(state=Delivery.State.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    if ids:
        now = timezone.now()
        Delivery.objects.filter(pk__in=ids).update(
            state=Delivery.State.QUEUED,
            attempts=0,
            next_attempt_at=None,
            claimed_at=None,
            enqueued_at=now,
            updated_at=now,
        )
        if notice.status == Notice.Status.SENT:
            notice.status = Notice.Status.SENDING
            notice.save(update_fields=["status", "updated_at"])
    return ids


# --- Acknowledgement and reminders ------------------------------------------------------------------


@transaction.atomic
def delivery_acknowledge(*, delivery: Delivery, by: User | None) -> int:
    """The recipient institution confirms it received the notice: every delivered copy of it (its
    e-mails and its inbox) becomes acknowledged. `by` is the inbox user (checked: a user of the
    institution), or None for the signed link of an e-mail. Idempotent: returns how many copies
    changed, 0 when it was already acknowledged."""
    if by is not None:
        ensure_can(by, "jipp.acknowledge_delivery", delivery)
    copies = Delivery.objects.select_for_update(of=("self",)).filter(
        notice_id=delivery.notice_id, institution_id=delivery.institution_id
    )
    pks = [copy.pk for copy in copies if copy.state == Delivery.State.SENT]
    if not pks:
        return 0
    now = timezone.now()
    return Delivery.objects.filter(pk__in=pks).update(
        state=Delivery.State.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=by, updated_at=now
    )


@transaction.atomic
def delivery_mark_read(*, delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=timezone.now())


def reminders_due(*, now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """Claim the reminders due now: an e-mail delivery whose institution has not acknowledged, sent
    (or last reminded) at least the hub's `reminder_after_days` ago, reminded fewer than its
    `max_reminders` times. Returns (delivery id, reminder number) pairs; each claim is a conditional
    UPDATE, so a reminder is claimed once even if two beat runs overlap."""
    now = now or timezone.now()
    defaults = HubSettings()
    acknowledged = Delivery.objects.filter(
        notice=OuterRef("notice"), institution=OuterRef("institution"), state=Delivery.State.ACKNOWLEDGED
    )
    candidates = (
        Delivery.objects.filter(channel=Delivery.Channel.EMAIL, state=Delivery.State.SENT)
        .exclude(Exists(acknowledged))
        .annotate(
            after_days=Coalesce("notice__hub__settings__reminder_after_days", defaults.reminder_after_days),
            at_most=Coalesce("notice__hub__settings__max_reminders", defaults.max_reminders),
            last_sent=Coalesce("last_reminded_at", "sent_at"),
        )
        .filter(reminders_sent__lt=F("at_most"))
        .values_list("pk", "reminders_sent", "after_days", "last_sent")
    )
    claimed = []
    for pk, reminders_sent, after_days, last_sent in candidates.iterator():
        if last_sent > now - dt.timedelta(days=after_days):
            continue
        if Delivery.objects.filter(pk=pk, state=Delivery.State.SENT, reminders_sent=reminders_sent).update(
            reminders_sent=reminders_sent + 1, last_reminded_at=now
        ):
            claimed.append((pk, reminders_sent + 1))
    return claimed


def delivery_remind(*, delivery_id: int, number: int) -> bool:
    """Send reminder `number` of a claimed delivery, unless its institution acknowledged meanwhile.
    Temporary errors raise DeliveryDeferred (the task retries a few times); a reminder that cannot be
    sent is logged, the delivery stays sent."""
    delivery = (
        Delivery.objects.select_related("notice__hub", "institution", "contact")
        .filter(pk=delivery_id, state=Delivery.State.SENT, reminders_sent=number)
        .first()
    )
    if delivery is None:
        return False
    try:
        _wait_for_send_slot(delivery.channel)
        channel_for(delivery.channel).send(delivery_message(delivery=delivery, reminder=number))
    except TemporaryDeliveryError as error:
        raise DeliveryDeferred(retry_delay(1), str(error)) from error
    except PermanentDeliveryError:
        logger.warning("Reminder %s of delivery #%s refused", number, delivery_id, exc_info=True)
        return False
    return True
