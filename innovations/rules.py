"""Who may do what with innovation records (autodiscovered by django-rules)."""

from typing import Any

import rules

from jipp.permissions import is_hub_admin, is_operator, is_superuser

from .models import EDITABLE_STATES, Innovation, Replication, State


@rules.predicate
def is_own_institution(user: Any, innovation: Innovation | None) -> bool:
    if innovation is None:
        return False
    return user.institution_id is not None and innovation.institution_id == user.institution_id


@rules.predicate
def is_published(user: Any, innovation: Innovation | None) -> bool:
    return innovation is not None and innovation.state == State.PUBLISHED and innovation.revision_of_id is None


@rules.predicate
def is_editable(user: Any, innovation: Innovation | None) -> bool:
    return innovation is not None and innovation.state in EDITABLE_STATES


@rules.predicate
def is_submitted(user: Any, innovation: Innovation | None) -> bool:
    return innovation is not None and innovation.state == State.SUBMITTED


@rules.predicate
def is_in_service(user: Any, innovation: Innovation | None) -> bool:
    """Published or archived (not a pending change): a record that runs, or ran, in the field."""
    return (
        innovation is not None
        and innovation.state in (State.PUBLISHED, State.ARCHIVED)
        and innovation.revision_of_id is None
    )


@rules.predicate
def has_institution(user: Any) -> bool:
    return getattr(user, "institution_id", None) is not None


@rules.predicate
def owns_replication_origin(user: Any, replication: Replication | None) -> bool:
    return replication is not None and user.institution_id == replication.origin.institution_id


@rules.predicate
def is_replicating_institution(user: Any, replication: Replication | None) -> bool:
    return replication is not None and user.institution_id == replication.institution_id


hub = is_hub_admin | is_superuser
owner_operator = is_operator & is_own_institution

rules.add_perm("innovations.view_innovation", is_published | hub | owner_operator)
rules.add_perm("innovations.add_innovation", is_operator & has_institution)
rules.add_perm("innovations.change_innovation", owner_operator & is_editable)
# Editing a published record opens a pending change; the published version stays public.
rules.add_perm("innovations.revise_innovation", owner_operator & is_published)
rules.add_perm("innovations.submit_innovation", owner_operator & is_editable)
rules.add_perm("innovations.verify_innovation", hub)
# Whether the record page offers "return" and "publish" now: the hub, on a record waiting for it.
rules.add_perm("innovations.decide_innovation", hub & is_submitted)
rules.add_perm("innovations.archive_innovation", hub)
rules.add_perm("innovations.view_history", hub)
rules.add_perm("innovations.import_innovations", hub)
rules.add_perm("innovations.view_queue", hub)
# The staff list: an operator's institution's records, or every record for the hub.
rules.add_perm("innovations.view_records", (is_operator & has_institution) | hub)
# "Similar published innovations" while a record is written: those who write or verify records.
rules.add_perm("innovations.find_similar", (is_operator & has_institution) | hub)
# The sustainability pages name the people who reported: operators of an institution (their own
# records only, by the view's scope) and the hub; no other role.
rules.add_perm("innovations.view_sustainability", (is_operator & has_institution) | hub)
# A yearly report says whether an innovation goes on: only for one in service, never for a draft.
rules.add_perm("innovations.report_sustainability", (owner_operator | hub) & is_in_service)
rules.add_perm("innovations.request_replication", is_operator & has_institution & ~is_own_institution & is_published)
rules.add_perm("innovations.decide_replication", (is_operator & owns_replication_origin) | hub)
rules.add_perm("innovations.advance_replication", (is_operator & is_replicating_institution) | hub)
# The replications pages: operators of an institution and the hub (added by the network area).
rules.add_perm("innovations.view_replications", (is_operator & has_institution) | hub)
