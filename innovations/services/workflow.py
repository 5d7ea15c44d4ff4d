"""Writes: the innovation record and its workflow (draft -> submitted -> published / returned -> archived).

Every write checks the permission itself, locks the rows it reads then writes and records a
WorkflowEvent for each change of state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.models import User
from jipp.permissions import ensure_can
from jipp.services.audit import Action, audit_record

from ..models import (
    CONTENT_FIELDS,
    SDG,
    Award,
    Category,
    Evidence,
    Innovation,
    State,
    WorkflowEvent,
    innovation_field_label,
)
from ..notices import publication_announce_on_commit
from ..search import fill_search_document
from ..slugs import innovation_slug_unique

AWARD_FIELDS: tuple[str, ...] = ("year", "competition", "rank", "note")

# What a record needs before the hub can verify it; a draft may lack any of these.
REQUIRED_FOR_SUBMISSION: tuple[str, ...] = ("title", "summary", "stage", "kind", "form", "government_affair")
REQUIRED_SDG_MESSAGE = _("Choose at least one SDG goal.")

REVISION_SUFFIX = "perubahan"


def _record_event(*, innovation: Innovation, by: User, from_state: str, to_state: str, comment: str = "") -> None:
    WorkflowEvent.objects.create(
        innovation=innovation, actor=by, from_state=from_state, to_state=to_state, comment=comment
    )
    if from_state:  # a decision on the record (its creation is not one)
        audit_record(
            action=Action.WORKFLOW,
            by=by,
            target=innovation,
            data={"from": from_state, "to": to_state, "comment": str(comment)},
        )


def _move(*, innovation: Innovation, by: User, to_state: str, comment: str = "") -> None:
    """Move a locked record along one workflow edge, save it and record who did it."""
    from_state = innovation.state
    innovation.transition_to(to_state)
    if to_state == State.SUBMITTED:
        innovation.submitted_at = timezone.now()
    elif to_state == State.PUBLISHED and from_state == State.SUBMITTED:
        innovation.published_at = timezone.now()
    innovation.save()
    _record_event(innovation=innovation, by=by, from_state=from_state, to_state=to_state, comment=comment)


def _replace_awards(*, innovation: Innovation, awards: Iterable[Mapping[str, Any]], copy_locked: bool = False) -> None:
    """Give the record exactly `awards`, except that a locked award (Award.locked) stays whatever
    `awards` says; an award given again beside a locked one is not written twice. `copy_locked`
    when `awards` are another version's of the same record (a pending change and its original),
    never for what a form sent."""
    locked = set(innovation.awards.filter(locked=True).values_list("year", "competition", "rank"))
    innovation.awards.filter(locked=False).delete()
    Award.objects.bulk_create(
        [
            Award(
                innovation=innovation,
                locked=copy_locked and bool(award.get("locked")),
                **{name: award.get(name, "") for name in AWARD_FIELDS},
            )
            for award in awards
            if (award.get("year"), award.get("competition"), award.get("rank")) not in locked
        ]
    )


def missing_for_submission(*, innovation: Innovation) -> list[str]:
    """Names of the essentials the record still lacks ("sdgs" for the SDG goals)."""
    missing = [name for name in REQUIRED_FOR_SUBMISSION if not getattr(innovation, name)]
    if not innovation.sdgs.exists():
        missing.append("sdgs")
    return missing


@transaction.atomic
def innovation_create(
    *,
    by: User,
    fields: Mapping[str, Any],
    sdgs: Iterable[SDG] = (),
    categories: Iterable[Category] = (),
    awards: Sequence[Mapping[str, Any]] = (),
) -> Innovation:
    """Start a draft of the operator's own institution; the region comes from the institution."""
    ensure_can(by, "innovations.add_innovation")
    institution = by.institution
    # add_innovation already requires an institution; None is checked here for the type.
    if institution is None or institution.region_id is None:
        raise ValidationError(_("Your institution has no region; ask the hub administrator to set it."))
    values = {name: fields[name] for name in CONTENT_FIELDS if name in fields}
    innovation = Innovation(
        **values,
        slug=innovation_slug_unique(values.get("title", "")),
        institution=institution,
        region_id=institution.region_id,
        state=State.DRAFT,
        created_by=by,
    )
    fill_search_document(innovation)
    innovation.save()
    innovation.sdgs.set(sdgs)
    innovation.categories.set(categories)
    _replace_awards(innovation=innovation, awards=awards)
    _record_event(innovation=innovation, by=by, from_state="", to_state=State.DRAFT)
    return innovation


@transaction.atomic
def innovation_update(
    *,
    innovation: Innovation,
    by: User,
    fields: Mapping[str, Any],
    sdgs: Iterable[SDG],
    categories: Iterable[Category],
    awards: Sequence[Mapping[str, Any]],
) -> Innovation:
    """Save what the operator typed on a draft or returned record (or a pending change)."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    ensure_can(by, "innovations.change_innovation", innovation)
    for name in CONTENT_FIELDS:
        if name in fields:
            setattr(innovation, name, fields[name])
    # The region follows the institution, whatever was stored before.
    if innovation.institution.region_id is not None:
        innovation.region_id = innovation.institution.region_id
    fill_search_document(innovation)
    innovation.save()
    innovation.sdgs.set(sdgs)
    innovation.categories.set(categories)
    _replace_awards(innovation=innovation, awards=awards)
    return innovation


@transaction.atomic
def innovation_submit(*, innovation: Innovation, by: User) -> Innovation:
    """Send a draft or returned record to the hub for verification.

    Raises PermissionDenied unless `by` may edit the record, InvalidTransitionError unless it is a
    draft or was returned, and ValidationError when an essential is missing.
    """
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    ensure_can(by, "innovations.submit_innovation", innovation)
    missing = missing_for_submission(innovation=innovation)
    if missing:
        labels = [str(REQUIRED_SDG_MESSAGE) if name == "sdgs" else innovation_field_label(name) for name in missing]
        raise ValidationError(_("Fill in before sending: %(fields)s.") % {"fields": ", ".join(labels)})
    _move(innovation=innovation, by=by, to_state=State.SUBMITTED)
    return innovation


@transaction.atomic
def innovation_return(*, innovation: Innovation, by: User, comment: str) -> Innovation:
    """Send a submitted record back to its institution with a comment saying what to change."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    ensure_can(by, "innovations.verify_innovation", innovation)
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say what the institution should change."))
    _move(innovation=innovation, by=by, to_state=State.RETURNED, comment=comment)
    return innovation


def _copy_content(*, source: Innovation, target: Innovation) -> None:
    for name in CONTENT_FIELDS:
        setattr(target, name, getattr(source, name))


def _is_blank(value: Any) -> bool:
    return value is None or value == ""


def _blanked(*, change: Innovation, published: Innovation) -> list[str]:
    blanked = [
        name for name in CONTENT_FIELDS if _is_blank(getattr(change, name)) and not _is_blank(getattr(published, name))
    ]
    for name in ("sdgs", "categories", "awards"):
        if not getattr(change, name).exists() and getattr(published, name).exists():
            blanked.append(name)
    return blanked


def revision_blanked_fields(*, revision: Innovation) -> list[str]:
    """Names of what the published record says and its pending change `revision` would empty on publishing.

    The content fields, then "sdgs", "categories" and "awards"; [] for a record that is not a change.
    """
    if revision.revision_of is None:
        return []
    return _blanked(change=revision, published=revision.revision_of)


def blanked_field_labels(names: Iterable[str]) -> list[str]:
    return [
        str(Award._meta.verbose_name_plural) if name == "awards" else innovation_field_label(name) for name in names
    ]


@transaction.atomic
def innovation_publish(
    *, innovation: Innovation, by: User, comment: str = "", allow_blanking: bool = False
) -> Innovation:
    """Verify and publish a submitted record in one step.

    A pending change is copied onto its published record (content, SDGs, categories, awards, its
    new evidence and its events), then removed; the published record is what is returned.
    Raises ValidationError, naming the fields, when the change would empty what the published
    record says, unless the hub confirms it with `allow_blanking`.
    """
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    ensure_can(by, "innovations.verify_innovation", innovation)
    if innovation.revision_of_id is None:
        _move(innovation=innovation, by=by, to_state=State.PUBLISHED, comment=comment)
        # A new best practice for the hub's members (a verified change to a published record is not).
        publication_announce_on_commit(innovation=innovation)
        return innovation
    # Checks the edge on the revision itself (only a submitted change can be published).
    innovation.transition_to(State.PUBLISHED)
    original = Innovation.objects.select_for_update().get(pk=innovation.revision_of_id)
    blanked = _blanked(change=innovation, published=original)
    if blanked and not allow_blanking:
        raise ValidationError(
            _(
                "Publishing this change would empty what the published record says: %(fields)s. Return it to "
                "the institution, or confirm that these fields should be emptied."
            ),
            code="blanks_published_fields",
            params={"fields": ", ".join(blanked_field_labels(blanked))},
        )
    _copy_content(source=innovation, target=original)
    original.published_at = timezone.now()
    fill_search_document(original)
    original.save()
    original.sdgs.set(innovation.sdgs.all())
    original.categories.set(innovation.categories.all())
    _replace_awards(
        innovation=original, awards=list(innovation.awards.values(*AWARD_FIELDS, "locked")), copy_locked=True
    )
    Evidence.objects.filter(innovation=innovation).update(innovation=original)
    WorkflowEvent.objects.filter(innovation=innovation).update(innovation=original)
    innovation.delete()
    _record_event(
        innovation=original,
        by=by,
        from_state=State.SUBMITTED,
        to_state=State.PUBLISHED,
        comment=comment or str(_("Change verified and published.")),
    )
    return original


@transaction.atomic
def innovation_archive(*, innovation: Innovation, by: User, comment: str = "") -> Innovation:
    """Take a published record off the public catalogue, keeping it for the record."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    ensure_can(by, "innovations.archive_innovation", innovation)
    _move(innovation=innovation, by=by, to_state=State.ARCHIVED, comment=comment)
    return innovation


@transaction.atomic
def innovation_restore(*, innovation: Innovation, by: User, comment: str = "") -> Innovation:
    """Publish an archived record again."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    ensure_can(by, "innovations.archive_innovation", innovation)
    _move(innovation=innovation, by=by, to_state=State.PUBLISHED, comment=comment)
    return innovation


@transaction.atomic
def innovation_revision_start(*, innovation: Innovation, by: User) -> Innovation:
    """Open (or reopen) a pending change of a published record; the published version stays public."""
    original = Innovation.objects.select_for_update().get(pk=innovation.pk)
    ensure_can(by, "innovations.revise_innovation", original)
    existing = Innovation.objects.filter(revision_of=original).first()
    if existing is not None:
        return existing
    revision = Innovation(
        revision_of=original,
        slug=innovation_slug_unique(f"{original.slug}-{REVISION_SUFFIX}"),
        institution_id=original.institution_id,
        region_id=original.region_id,
        state=State.DRAFT,
        created_by=by,
    )
    _copy_content(source=original, target=revision)
    fill_search_document(revision)
    revision.save()
    revision.sdgs.set(original.sdgs.all())
    revision.categories.set(original.categories.all())
    _replace_awards(innovation=revision, awards=list(original.awards.values(*AWARD_FIELDS, "locked")), copy_locked=True)
    _record_event(
        innovation=revision,
        by=by,
        from_state="",
        to_state=State.DRAFT,
        comment=str(_("Change of the published record opened.")),
    )
    return revision
