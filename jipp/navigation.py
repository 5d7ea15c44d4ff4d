"""Navigation by role: each app registers its entries; the header shows those the user may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None = None  # None: shown to everybody, signed in or not
    order: int = 100


_registry: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _registry:
        _registry.append(item)


def items_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    visible = []
    for item in sorted(_registry, key=lambda entry: entry.order):
        if item.permission is not None and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "current": current_path == url})
    return visible
