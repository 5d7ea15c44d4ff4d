"""Sections of the home page contributed by other apps (a lower app never imports a higher one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class HomeSection:
    template_name: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


_sections: list[HomeSection] = []


def register(section: HomeSection) -> None:
    if all(existing.template_name != section.template_name for existing in _sections):
        _sections.append(section)


def sections_for(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"template_name": section.template_name, **section.context(request)}
        for section in sorted(_sections, key=lambda entry: entry.order)
    ]
