"""Sending tasks without letting a broker outage reach the caller.

A web request that saved its work must not wait twenty seconds, nor fail, because Redis is down: the
work is kept in the database (an import batch waiting, a delivery queued) and a beat sweeper sends it
again later. `enqueue` gives up within a second or two (with the short connect timeout and single
retry of CELERY_BROKER_TRANSPORT_OPTIONS) and says whether the broker took the task.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task: Task, /, *, countdown: float | None = None, **kwargs: Any) -> bool:
    """Send `task` with keyword arguments `kwargs` (to run `countdown` seconds from now, if given);
    False (logged) when the broker cannot be reached."""
    try:
        task.apply_async(kwargs=kwargs, countdown=countdown, retry=False, ignore_result=True)
    except (OperationalError, OSError):
        logger.warning("%s%r not sent: the broker cannot be reached", task.name, kwargs, exc_info=True)
        return False
    return True


def enqueue_on_commit(task: Task, /, **kwargs: Any) -> None:
    """`enqueue` once the current transaction commits (at once outside one); nothing if it rolls back."""
    transaction.on_commit(lambda: enqueue(task, **kwargs))
