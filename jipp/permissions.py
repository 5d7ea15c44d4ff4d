"""The one place that answers "may this user do X to this object".

Role predicates are defined here; each app registers its own permissions in its rules.py with
these predicates (django-rules autodiscovers them). Code asks through `can` or `ensure_can`, or
through Django's `user.has_perm(name, obj)`, which reaches the same rules.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .models import Role


def _role_predicate(role: Role) -> Any:
    @rules.predicate(name=f"has_role_{role.value}")
    def has_role(user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.has_role(role)

    return has_role


is_operator = _role_predicate(Role.OPERATOR)
is_hub_admin = _role_predicate(Role.HUB_ADMIN)
is_reviewer = _role_predicate(Role.REVIEWER)
is_panelist = _role_predicate(Role.PANELIST)
is_ministry_admin = _role_predicate(Role.MINISTRY_ADMIN)
is_superuser = rules.is_superuser
is_staff_member = rules.is_authenticated & (
    is_operator | is_hub_admin | is_reviewer | is_panelist | is_ministry_admin | is_superuser
)


def can(user: Any, permission: str, obj: Any = None) -> bool:
    return bool(user.has_perm(permission, obj))


def ensure_can(user: Any, permission: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `user` holds `permission` (on `obj`, when given)."""
    if not can(user, permission, obj):
        raise PermissionDenied(permission)


class AdminModelBackend(ModelBackend):
    """Signs users in with their password, and answers Django's model permissions only for staff.

    Model permissions are what Django's admin checks, and only staff enter it; the portal's own
    permissions are the rules above. Asked for a portal user, Django's backend read their model
    permissions from the database (two queries) on every page where a rule said no to something, the
    menu included.
    """

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not getattr(user_obj, "is_staff", False):
            return set()
        return super().get_all_permissions(user_obj, obj)
