"""Writes of dissemination notices: writing, attachments, sending now or later, and the automatic
notices other apps ask for.

Sending is the outbox's first half: in one transaction the notice's recipients are frozen and one
delivery row is written per recipient institution's e-mail address and one for its inbox; once that
commits, the task `jipp.dispatch_notice` hands the deliveries to the worker (jipp.services.deliveries
sends them). Nothing is sent from a transaction that rolls back, and nothing written is lost when the
broker is down: the sweeper sends it later.

Upper apps announce through `notice_announce` (one hub, chosen institutions or all members),
`institutions_announce` (whatever hubs the institutions belong to: KIPP results to the entrants) and
`publication_announce` (a published innovation, as each hub's setting says). Each automatic notice
has a `source_key`, so asking twice writes one notice. Hubs that prefer a daily digest get one from
`notices_digest_send`, built from what the registered digest sources report.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..broker import enqueue_on_commit
from ..models import (
    Delivery,
    Hub,
    HubSettings,
    Institution,
    Membership,
    Notice,
    NoticeAttachment,
    NoticeRecipient,
    Region,
    User,
)
from ..permissions import ensure_can
from ..selectors import hub_member_institution_ids, institution_lineage_ids, notice_addresses, notice_audience
from ..uploads import checked_upload
from .audit import Action, audit_record

logger = logging.getLogger(__name__)

EDITABLE = (Notice.Status.DRAFT, Notice.Status.SCHEDULED)


# --- Templates of the usual notices ----------------------------------------------------------------


@dataclass(frozen=True)
class NoticeTemplate:
    subject: str | Promise
    body: str | Promise
    link_title: str | Promise = ""


NOTICE_TEMPLATES: dict[str, NoticeTemplate] = {
    Notice.Kind.BEST_PRACTICE: NoticeTemplate(
        subject=_("New best practice: [title of the innovation]"),
        body=_(
            "A new best practice has been published in the Hub JIPP Sulawesi Barat catalogue:\n\n"
            "**[title of the innovation]** by [institution].\n\n"
            "[One or two sentences on what it changed for the public.]\n\n"
            "Institutions interested in replicating it can contact the hub or the innovator directly."
        ),
        link_title=_("Read the best practice"),
    ),
    Notice.Kind.KIPP_CALL: NoticeTemplate(
        subject=_("KIPP [year] is open for proposals"),
        body=_(
            "The Public Service Innovation Competition (KIPP) [year] is open.\n\n"
            "- Registration closes on **[date]**.\n"
            "- Proposals are entered in SINOVIK by each institution's Admin Lokal.\n"
            "- The hub offers coaching on writing the proposal on [date].\n\n"
            "Please register your published innovations and tell the hub which ones you enter."
        ),
        link_title=_("KIPP [year] call and rules"),
    ),
    Notice.Kind.COACHING_INVITATION: NoticeTemplate(
        subject=_("Invitation: coaching on public service innovation, [date]"),
        body=_(
            "The Hub JIPP Sulawesi Barat invites your institution to a coaching session on public service "
            "innovation (Pembinaan Inovasi Pelayanan Publik).\n\n"
            "- **Date:** [day, date]\n"
            "- **Time:** [time] WITA\n"
            "- **Place:** [place or online link]\n\n"
            "Please send two staff who manage your innovations, and confirm receipt of this invitation."
        ),
        link_title=_("Join the session"),
    ),
    Notice.Kind.KIPP_RESULTS: NoticeTemplate(
        subject=_("KIPP [year] results published"),
        body=_(
            "The results of KIPP [year] have been published.\n\n"
            "Congratulations to the institutions of Sulawesi Barat among the winners; every entrant can read "
            "its result and the panel's decision on the results page."
        ),
        link_title=_("See the results"),
    ),
}


# --- Writing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeData:
    subject: str
    body: str
    kind: str = Notice.Kind.GENERAL
    link_title: str = ""
    link_url: str = ""
    audience: str = Notice.Audience.ALL_MEMBERS
    audience_kinds: Sequence[str] = ()
    regions: Sequence[Region] = ()
    institutions: Sequence[Institution] = ()


def _fill(notice: Notice, data: NoticeData) -> None:
    notice.kind = data.kind
    notice.subject = data.subject.strip()
    notice.body = data.body.strip()
    notice.link_title = data.link_title.strip()
    notice.link_url = data.link_url.strip()
    notice.audience = data.audience
    notice.audience_kinds = list(data.audience_kinds) if data.audience == Notice.Audience.KINDS else []
    errors: dict[str, str | Promise] = {}
    if notice.link_url and not notice.link_title:
        errors["link_title"] = _("Give the link a title: it is what the recipients click.")
    if data.audience == Notice.Audience.REGENCIES and not data.regions:
        errors["audience_regions"] = _("Choose at least one regency.")
    if data.audience == Notice.Audience.KINDS and not data.audience_kinds:
        errors["audience_kinds"] = _("Choose at least one kind of institution.")
    if data.audience == Notice.Audience.INSTITUTIONS and not data.institutions:
        errors["audience_institutions"] = _("Choose at least one institution.")
    if errors:
        raise ValidationError(errors)
    notice.full_clean(exclude=["hub", "audience_regions", "audience_institutions", "created_by", "sent_by"])


def _set_audience(notice: Notice, data: NoticeData) -> None:
    notice.audience_regions.set(data.regions if data.audience == Notice.Audience.REGENCIES else [])
    picked = list(data.institutions) if data.audience == Notice.Audience.INSTITUTIONS else []
    members = set(hub_member_institution_ids(hub=notice.hub))
    outsiders = sorted(institution.name for institution in picked if institution.pk not in members)
    if outsiders:
        raise ValidationError(
            {
                "audience_institutions": _("Only member institutions can receive notices; not: %(names)s.")
                % {"names": ", ".join(outsiders)}
            }
        )
    notice.audience_institutions.set(picked)


def _attach(notice: Notice, upload: File) -> NoticeAttachment:
    stored = checked_upload(upload)
    attachment = NoticeAttachment(
        notice=notice,
        original_name=(upload.name or "lampiran")[:255],
        content_type=stored.content_type,
        size=upload.size or 0,
    )
    attachment.file.save(f"lampiran.{stored.extension}", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def notice_create(*, hub: Hub, data: NoticeData, attachments: Iterable[File] = (), by: User) -> Notice:
    """Write a draft notice of `hub`. Raises PermissionDenied unless `by` administers the hub, and
    ValidationError (by field) for a link without a title, an audience without its choice, a picked
    institution that is not a member, or an attachment of a refused type or size."""
    ensure_can(by, "jipp.manage_hub", hub)
    notice = Notice(hub=hub, created_by=by)
    _fill(notice, data)
    notice.save()
    _set_audience(notice, data)
    for upload in attachments:
        _attach(notice, upload)
    return notice


def _locked_editable(notice: Notice, by: User) -> Notice:
    ensure_can(by, "jipp.manage_hub", notice)
    notice = Notice.objects.select_for_update().select_related("hub").get(pk=notice.pk)
    if notice.status not in EDITABLE:
        raise ValidationError(_("This notice has been sent; it can no longer be changed."), code="sent")
    return notice


@transaction.atomic
def notice_update(*, notice: Notice, data: NoticeData, attachments: Iterable[File] = (), by: User) -> Notice:
    """Change a draft or scheduled notice (a scheduled one keeps its time). Errors as notice_create;
    ValidationError once it has been sent."""
    notice = _locked_editable(notice, by)
    _fill(notice, data)
    notice.save()
    _set_audience(notice, data)
    for upload in attachments:
        _attach(notice, upload)
    return notice


@transaction.atomic
def notice_attachment_delete(*, attachment: NoticeAttachment, by: User) -> None:
    _locked_editable(attachment.notice, by)
    attachment.file.delete(save=False)
    attachment.delete()


# --- Sending --------------------------------------------------------------------------------------


def _write_deliveries(notice: Notice, *, by: User | None, now: dt.datetime) -> int:
    """Freeze the recipients and write the outbox (one delivery per address and one per inbox); the
    deliveries go to the worker once the transaction commits. Returns how many were written."""
    institutions = list(notice_audience(notice=notice))
    if not institutions:
        raise ValidationError(
            _("Nobody would receive this notice: no active member matches the recipients chosen."),
            code="no_recipients",
        )
    NoticeRecipient.objects.bulk_create(
        [NoticeRecipient(notice=notice, institution=institution) for institution in institutions]
    )
    addresses = notice_addresses(hub=notice.hub, institution_ids=[institution.pk for institution in institutions])
    deliveries = []
    for institution in institutions:
        deliveries.append(Delivery(notice=notice, institution=institution, channel=Delivery.Channel.INBOX))
        deliveries.extend(
            Delivery(
                notice=notice,
                institution=institution,
                contact=address.contact,
                channel=Delivery.Channel.EMAIL,
                address=address.email,
            )
            for address in addresses[institution.pk]
        )
    Delivery.objects.bulk_create(deliveries, batch_size=1000)
    notice.status = Notice.Status.SENDING
    notice.sent_at = now
    if by is not None:
        notice.sent_by = by
    notice.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
    audit_record(
        action=Action.NOTICE_SENT,
        by=by,
        target=notice,
        data={"recipients": len(institutions), "deliveries": len(deliveries)},
    )

    from ..tasks import dispatch_notice  # the tasks module imports the services

    enqueue_on_commit(dispatch_notice, notice_id=notice.pk)
    return len(deliveries)


@transaction.atomic
def notice_send(*, notice: Notice, by: User) -> Notice:
    """Send a draft or scheduled notice now (see the module's docstring). Raises PermissionDenied
    unless `by` administers its hub; ValidationError when it was already sent or nobody would get it."""
    notice = _locked_editable(notice, by)
    _write_deliveries(notice, by=by, now=timezone.now())
    return notice


@transaction.atomic
def notice_schedule(*, notice: Notice, at: dt.datetime, by: User) -> Notice:
    """Send the notice at `at` (the sweeper sends it within a minute of it); `at` must be ahead."""
    notice = _locked_editable(notice, by)
    if at <= timezone.now():
        raise ValidationError({"scheduled_at": _("Choose a time in the future.")}, code="past")
    if not notice_audience(notice=notice).exists():
        raise ValidationError(
            _("Nobody would receive this notice: no active member matches the recipients chosen."),
            code="no_recipients",
        )
    notice.status, notice.scheduled_at, notice.sent_by = Notice.Status.SCHEDULED, at, by
    notice.save(update_fields=["status", "scheduled_at", "sent_by", "updated_at"])
    audit_record(action=Action.NOTICE_SCHEDULED, by=by, target=notice, data={"at": at})
    return notice


@transaction.atomic
def notice_unschedule(*, notice: Notice, by: User) -> Notice:
    notice = _locked_editable(notice, by)
    notice.status, notice.scheduled_at = Notice.Status.DRAFT, None
    notice.save(update_fields=["status", "scheduled_at", "updated_at"])
    return notice


def notices_send_due(*, now: dt.datetime | None = None) -> list[int]:
    """Send the scheduled notices whose time has come, each in its own transaction (run by the
    sweeper every minute). A notice that nobody would receive any more is sent to nobody: it is
    marked sent, with no delivery, rather than retried for ever."""
    now = now or timezone.now()
    sent = []
    due = Notice.objects.filter(status=Notice.Status.SCHEDULED, scheduled_at__lte=now).order_by("scheduled_at")
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            notice = Notice.objects.select_for_update().select_related("hub").get(pk=pk)
            if notice.status != Notice.Status.SCHEDULED:
                continue
            try:
                with transaction.atomic():
                    _write_deliveries(notice, by=None, now=now)
            except ValidationError:
                logger.warning("Scheduled notice #%s has no recipient left; marked sent to nobody", pk)
                notice.status, notice.sent_at = Notice.Status.SENT, now
                notice.save(update_fields=["status", "sent_at", "updated_at"])
            sent.append(pk)
    return sent


# --- Automatic notices ----------------------------------------------------------------------------


def notice_announce(
    *,
    hub: Hub,
    kind: str,
    subject: str,
    body: str,
    source_key: str,
    link_title: str = "",
    link_url: str = "",
    institutions: Iterable[Institution] | None = None,
) -> Notice | None:
    """Write and send an automatic notice of `hub` to `institutions` (hand-picked; members only) or
    to all its members, in the caller's transaction: it goes out only if that commits. Idempotent on
    (hub, source_key): a second call returns None and sends nothing, as does a call whose recipients
    are not members. The caller has checked its own permission (it publishes something)."""
    if Notice.objects.filter(hub=hub, source_key=source_key).exists():
        return None
    picked = list(institutions) if institutions is not None else None
    data = NoticeData(
        kind=kind,
        subject=subject[:200],
        body=body,
        link_title=link_title[:200] if link_url else "",
        link_url=link_url,
        audience=Notice.Audience.ALL_MEMBERS if picked is None else Notice.Audience.INSTITUTIONS,
        institutions=picked or [],
    )
    try:
        with transaction.atomic():
            notice = Notice(hub=hub, source_key=source_key)
            if picked is not None:
                members = set(hub_member_institution_ids(hub=hub))
                data = NoticeData(**{**vars(data), "institutions": [i for i in picked if i.pk in members]})
                if not data.institutions:
                    return None
            _fill(notice, data)
            notice.save()
            _set_audience(notice, data)
            _write_deliveries(notice, by=None, now=timezone.now())
    except IntegrityError:  # the same source announced at the same moment by another transaction
        return None
    except ValidationError:
        logger.warning("Automatic notice %s of hub #%s not sent: nobody to send it to", source_key, hub.pk)
        return None
    return notice


def _hubs_of(institution_ids: Iterable[int]) -> dict[Hub, list[int]]:
    """Designated hubs in which each institution, or a body above it, is an active member."""
    result: dict[Hub, list[int]] = {}
    for institution_id in sorted(set(institution_ids)):
        lineage = institution_lineage_ids(institution_id=institution_id)
        hubs = Hub.objects.filter(
            status=Hub.Status.DESIGNATED,
            memberships__in=Membership.objects.active().filter(institution__in=lineage),
        ).distinct()
        for hub in hubs:
            result.setdefault(hub, []).append(institution_id)
    return result


def institutions_announce(
    *,
    institution_ids: Iterable[int],
    kind: str,
    subject: str,
    body: str,
    source_key: str,
    link_title: str = "",
    link_url: str = "",
) -> list[Notice]:
    """Announce to these institutions through every hub they (or a body above them) belong to: one
    notice per hub, to those of them in it. Used for KIPP results, to the entrants. Idempotent."""
    notices = []
    for hub, ids in _hubs_of(institution_ids).items():
        notice = notice_announce(
            hub=hub,
            kind=kind,
            subject=subject,
            body=body,
            source_key=source_key,
            link_title=link_title,
            link_url=link_url,
            institutions=Institution.objects.filter(pk__in=ids),
        )
        if notice is not None:
            notices.append(notice)
    return notices


def _hub_publish_setting(hub: Hub) -> str:
    settings_row = HubSettings.objects.filter(hub=hub).first()
    return settings_row.publish_notice if settings_row else HubSettings.PublishNotice.OFF


def publication_announce(*, institution_id: int, title: str, summary: str, url: str, source_key: str) -> list[Notice]:
    """A record of `institution_id` was published: hubs it belongs to that want one notice per
    publication tell all their members now (the others wait for the digest, or want none)."""
    notices = []
    for hub in _hubs_of([institution_id]):
        if _hub_publish_setting(hub) != HubSettings.PublishNotice.EACH:
            continue
        with translation.override("id"):
            subject = str(_("New best practice: %(title)s") % {"title": title})
            link_title = str(_("Read the best practice"))
        notice = notice_announce(
            hub=hub,
            kind=Notice.Kind.BEST_PRACTICE,
            subject=subject,
            body=summary or title,
            source_key=source_key,
            link_title=link_title,
            link_url=url,
        )
        if notice is not None:
            notices.append(notice)
    return notices


# --- The daily digest -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str
    institution: str
    summary: str = ""


# (member institution ids, since, until) -> what they published in that window
DigestSource = Callable[[list[int], dt.datetime, dt.datetime], list[DigestItem]]


@dataclass
class _DigestRegistry:
    sources: list[DigestSource] = field(default_factory=list)


_digest = _DigestRegistry()


def register_digest_source(source: DigestSource) -> None:
    """An upper app (innovations) tells jipp what its members published: jipp cannot ask it."""
    if source not in _digest.sources:
        _digest.sources.append(source)


def notices_digest_send(*, now: dt.datetime | None = None) -> list[Notice]:
    """For each hub that wants a daily digest: one notice to all members listing what they published
    since the last digest (nothing when nothing was published). Run daily by celery beat."""
    now = now or timezone.now()
    notices = []
    wanting = HubSettings.objects.filter(
        publish_notice=HubSettings.PublishNotice.DAILY_DIGEST, hub__status=Hub.Status.DESIGNATED
    ).select_related("hub")
    for hub_settings in wanting:
        with transaction.atomic():
            locked = HubSettings.objects.select_for_update().select_related("hub").get(pk=hub_settings.pk)
            since = locked.digest_covered_until or now - dt.timedelta(days=1)
            if since >= now:
                continue
            members = hub_member_institution_ids(hub=locked.hub)
            items = [item for source in _digest.sources for item in source(members, since, now)]
            locked.digest_covered_until = now
            locked.save(update_fields=["digest_covered_until", "updated_at"])
            if not items:
                continue
            with translation.override("id"):
                subject = str(_("Daily digest: %(count)s new best practice(s)") % {"count": len(items)})
                body = render_to_string("jipp/email/digest_body.md", {"items": items})
            notice = notice_announce(
                hub=locked.hub,
                kind=Notice.Kind.DIGEST,
                subject=subject,
                body=body,
                source_key=f"digest:{now:%Y-%m-%dT%H:%M}",
            )
            if notice is not None:
                notices.append(notice)
    return notices
