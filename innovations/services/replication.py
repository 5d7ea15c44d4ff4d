"""Writes: an institution replicating another institution's published innovation, step by step."""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from jipp.permissions import ensure_can
from jipp.uploads import DOCX, PDF, StoredType, detect_type, file_too_large

from ..models import Innovation, InvalidTransitionError, Replication, ReplicationEvent


def agreement_max_bytes() -> int:
    return int(settings.AGREEMENT_MAX_BYTES)


def agreement_document_type(file: IO[bytes]) -> StoredType | None:
    """PDF or DOCX judged from the content (never the name), or None for anything else."""
    detected = detect_type(file)
    return detected if detected in (PDF, DOCX) else None


def validate_agreement_document(file: UploadedFile) -> StoredType:
    """Return the document's type, or raise ValidationError with a message for the user."""
    if file.size is not None and file.size > agreement_max_bytes():
        raise file_too_large(limit=agreement_max_bytes())
    detected = agreement_document_type(file)
    if detected is None:
        raise ValidationError(_("The agreement document must be a PDF or a Word (.docx) file."), code="bad_type")
    return detected


def _step(replication: Replication, target: str) -> None:
    if target not in Replication.STEPS.get(replication.status, set()):
        raise InvalidTransitionError(
            _("A replication at the “%(current)s” step cannot become “%(target)s”.")
            % {
                "current": Replication.Status(replication.status).label,
                "target": Replication.Status(target).label,
            }
        )
    replication.status = target


def _locked(replication: Replication) -> Replication:
    return Replication.objects.select_for_update().select_related("origin").get(pk=replication.pk)


def _record(replication: Replication, by: Any, note: str = "") -> None:
    ReplicationEvent.objects.create(replication=replication, status=replication.status, actor=by, note=note)


@transaction.atomic
def replication_request(*, origin: Innovation, by: Any, scope: str = "", note: str = "") -> Replication:
    """Record that `by`'s institution replicates `origin` (a published record of another institution).

    Raises PermissionDenied for the owner institution, an unpublished record or a user without an
    institution, and ValidationError when the institution already has an open replication of it.
    """
    origin = Innovation.objects.select_for_update().get(pk=origin.pk)
    ensure_can(by, "innovations.request_replication", origin)
    try:
        # A savepoint, so that the outer transaction survives the refused insert.
        with transaction.atomic():
            replication = Replication.objects.create(
                origin=origin,
                institution_id=by.institution_id,
                status=Replication.Status.INTEREST,
                scope=scope,
                note=note,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            _("Your institution already has an open replication of this innovation."), code="duplicate"
        ) from None
    _record(replication, by, note)
    return replication


@transaction.atomic
def replication_attach_agreement(
    *, replication: Replication, by: Any, document: UploadedFile, note: str = ""
) -> Replication:
    """Attach the signed agreement (PDF or DOCX, at most AGREEMENT_MAX_BYTES): interest -> agreement.

    Either party may attach it (both sign it); the owner then approves.
    """
    replication = _locked(replication)
    if not (by.has_perm("innovations.advance_replication", replication)):
        ensure_can(by, "innovations.decide_replication", replication)
    detected = validate_agreement_document(document)
    _step(replication, Replication.Status.AGREEMENT)
    # Named by what the content is: the uploader's extension could make a PDF/HTML polyglot an .html.
    replication.agreement_document.save(f"agreement.{detected.extension}", document, save=False)
    replication.save(update_fields=["status", "agreement_document", "updated_at"])
    _record(replication, by, note)
    return replication


@transaction.atomic
def replication_approve(*, replication: Replication, by: Any, note: str = "") -> Replication:
    """The owner institution (or the hub) approves an agreed replication."""
    replication = _locked(replication)
    ensure_can(by, "innovations.decide_replication", replication)
    _step(replication, Replication.Status.APPROVED)
    replication.save(update_fields=["status", "updated_at"])
    _record(replication, by, note)
    return replication


@transaction.atomic
def replication_reject(*, replication: Replication, by: Any, reason: str) -> Replication:
    """The owner institution (or the hub) refuses a replication at the interest or agreement step."""
    replication = _locked(replication)
    ensure_can(by, "innovations.decide_replication", replication)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the rejection."), code="reason_required")
    _step(replication, Replication.Status.REJECTED)
    replication.save(update_fields=["status", "updated_at"])
    _record(replication, by, reason.strip())
    return replication


@transaction.atomic
def replication_implement(
    *, replication: Replication, by: Any, replica: Innovation | None = None, note: str = ""
) -> Replication:
    """The replicating institution reports the replica running, optionally linking its own record of it."""
    replication = _locked(replication)
    ensure_can(by, "innovations.advance_replication", replication)
    if replica is not None:
        if replica.institution_id != replication.institution_id or replica.pk == replication.origin_id:
            raise PermissionDenied("replica of another institution")
        if Replication.objects.filter(replica=replica).exclude(pk=replication.pk).exists():
            raise ValidationError(
                _("That record is already linked as the replica of another innovation."), code="replica_taken"
            )
    _step(replication, Replication.Status.IMPLEMENTED)
    replication.replica = replica
    replication.save(update_fields=["status", "replica", "updated_at"])
    _record(replication, by, note)
    return replication
