"""Permissions of the hub network (autodiscovered by django-rules)."""

import rules

from .permissions import is_hub_admin, is_staff_member, is_superuser

rules.add_perm("jipp.view_dashboard", is_staff_member)
rules.add_perm("jipp.manage_network", is_hub_admin | is_superuser)
