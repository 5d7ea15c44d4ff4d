"""Permissions of the hub network (autodiscovered by django-rules).

Hub permissions take the hub, or any object that has one (a membership, contact, activity,
assessment, notice), as their object:
- jipp.manage_any_hub (no object): the user administers at least one hub (the menu entry).
- jipp.manage_hub: the hub's administrators (a hub administrator whose institution is an active
  member, or a superuser) add, end and change memberships and contacts, plan activities, record
  attendance and minutes, answer the maturity self-assessment, and write and send notices.
- jipp.view_hub_member_area: administrators and the staff of member institutions (or of a unit
  under one) see the hub's pages for members, their own membership and their inbox.
- jipp.view_activity_details: the link, attendance, minutes and attachments of an activity, for the
  hub's administrators and the staff of the institutions it invited.
- jipp.view_maturity: the self-assessments, for the hub's administrators and members and the ministry.
- jipp.view_audit (no object): the portal's audit log, for hub and ministry administrators.

Notices (their writing and sending is jipp.manage_hub on the notice):
- jipp.view_inbox (no object): a user of an institution has its inbox.
- jipp.acknowledge_delivery: a notice delivered to the inbox of the user's own institution (not
  of a body above or below it) is read and acknowledged by that institution's users.
"""

from typing import Any

import rules

from .models import Activity, Delivery, Hub
from .permissions import is_hub_admin, is_ministry_admin, is_staff_member, is_superuser
from .selectors import hub_ids_administered_by, hub_ids_of_member, user_institution_ids


def _hub_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Hub):
        return obj.pk
    if hasattr(obj, "hub_id"):
        return obj.hub_id
    if hasattr(obj, "membership"):  # a contact
        return obj.membership.hub_id
    return None


@rules.predicate
def administers_hub(user: Any, obj: Any) -> bool:
    hub_id = _hub_id(obj)
    return hub_id is not None and hub_id in hub_ids_administered_by(user=user)


@rules.predicate
def administers_a_hub(user: Any) -> bool:
    return bool(hub_ids_administered_by(user=user))


@rules.predicate
def is_hub_member(user: Any, obj: Any) -> bool:
    hub_id = _hub_id(obj)
    return hub_id is not None and hub_id in hub_ids_of_member(user=user)


@rules.predicate
def is_invited(user: Any, activity: Any) -> bool:
    if not isinstance(activity, Activity) or not user.is_authenticated:
        return False
    lineage = user_institution_ids(user=user)
    return bool(lineage) and activity.invited.filter(pk__in=lineage).exists()


rules.add_perm("jipp.view_dashboard", is_staff_member)
rules.add_perm("jipp.manage_network", is_hub_admin | is_superuser)
rules.add_perm("jipp.manage_hub", administers_hub)
rules.add_perm("jipp.manage_any_hub", administers_a_hub)
rules.add_perm("jipp.view_hub_member_area", administers_hub | is_hub_member)
rules.add_perm("jipp.view_activity_details", administers_hub | (is_hub_member & is_invited))
rules.add_perm("jipp.view_maturity", administers_hub | is_hub_member | is_ministry_admin)
# The portal's audit log (jipp/views/audit.py): its administrators, the hub's and the ministry's.
rules.add_perm("jipp.view_audit", is_hub_admin | is_ministry_admin | is_superuser)


@rules.predicate
def has_institution(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.institution_id is not None)


@rules.predicate
def receives_delivery(user: Any, delivery: Any) -> bool:
    return isinstance(delivery, Delivery) and has_institution(user) and delivery.institution_id == user.institution_id


rules.add_perm("jipp.view_inbox", has_institution)
rules.add_perm("jipp.acknowledge_delivery", receives_delivery)
