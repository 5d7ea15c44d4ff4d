"""Sections that other apps contribute to pages of jipp (the home page, the dashboard, a hub's profile).

A lower app never imports a higher one: the higher app registers a template and a context function
here, and jipp renders whatever is registered for a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class PageSection:
    page: str  # "home", "dashboard" or "hub_profile"
    template_name: str
    # Returns the section's context, or None when the section has nothing to show this user. It is
    # called with the request and the page's own objects as keywords (the hub profile passes hub=).
    context: Callable[..., dict[str, Any] | None]
    order: int = 100


_sections: list[PageSection] = []


def register(section: PageSection) -> None:
    if all((existing.page, existing.template_name) != (section.page, section.template_name) for existing in _sections):
        _sections.append(section)


def sections_for(request: HttpRequest, *, page: str, **objects: Any) -> list[dict[str, Any]]:
    rendered = []
    for section in sorted(_sections, key=lambda entry: entry.order):
        if section.page != page:
            continue
        context = section.context(request, **objects)
        if context is not None:
            rendered.append({"template_name": section.template_name, **context})
    return rendered
