"""The dashboard's KIPP section: the secretariat's editions in progress, the entrants' open calls and entries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jipp.permissions import can

from ..selectors import dashboard_editions, dashboard_entries, editions_open_for_entry

DASHBOARD_ENTRIES = 5


def dashboard_context(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    manages = can(user, "competitions.manage_editions")
    enters = can(user, "competitions.add_entry")
    if not (manages or enters):
        return None
    return {
        "manages": manages,
        "enters": enters,
        "editions": dashboard_editions(user=user) if manages else [],
        "open_editions": list(editions_open_for_entry()) if enters else [],
        "entries": dashboard_entries(user=user, limit=DASHBOARD_ENTRIES) if enters else [],
    }
