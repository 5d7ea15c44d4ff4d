"""The catalogue's block on a hub's profile (registered in CatalogConfig.ready): the members' published
innovations and the replications between members. jipp renders it without importing this app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from innovations.selectors import innovations_published
from jipp.models import Hub
from jipp.selectors import hub_member_institution_ids

from .selectors import replications_counted

SHOWN = 10


def hub_profile_context(request: HttpRequest, *, hub: Hub) -> dict[str, Any]:
    members = hub_member_institution_ids(hub=hub)
    innovations = innovations_published().filter(institution__in=members)
    replications = replications_counted().filter(origin__institution__in=members, institution__in=members)
    return {
        "innovation_count": innovations.count(),
        "innovations": list(
            innovations.select_related("institution", "region").order_by("-published_at", "-pk")[:SHOWN]
        ),
        "replication_count": replications.count(),
        "replications": list(
            replications.select_related("origin__institution", "institution").order_by("-updated_at", "-pk")[:SHOWN]
        ),
    }
