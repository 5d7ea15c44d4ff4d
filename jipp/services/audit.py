"""Writing the portal's audit log (jipp.models.AuditEvent).

Every app records through `audit_record`, inside the transaction of the write it describes, so that
an event exists exactly when its change does. Who and from where come from the request being served
(`AuditContextMiddleware` keeps it for the services, which take no request), unless given; a task
without a request records no address. The KIPP decisions and scores keep their own trail
(competitions/services/audit.py): they are not recorded here a second time.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from ..models import AuditEvent
from ..security import client_address

Action = AuditEvent.Action

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


class AuditContextMiddleware:
    """Keeps the request being served for `audit_record` (its user and client address)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_context(request):
            return self.get_response(request)


@contextmanager
def audit_context(request: HttpRequest | None) -> Iterator[None]:
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def request_address(request: HttpRequest | None) -> str | None:
    """The client's address as sign-in throttling reads it (TRUSTED_PROXY_COUNT), if it is one."""
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


def _user_of(request: HttpRequest | None) -> Any:
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def audit_record(
    *,
    action: str,
    by: Any = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Append one event. `by` defaults to the signed-in user of the request being served; `request`
    (for the address) to that request; `target` is the object the action was about."""
    request = request if request is not None else _current_request.get()
    actor = by if by is not None else _user_of(request)
    if actor is not None and not getattr(actor, "pk", None):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_name=(actor.get_username() if actor is not None else actor_name)[:150],
        address=request_address(request),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        data=data or {},
    )
