"""Celery tasks of the hub network: thin wrappers that call services."""

from celery import shared_task

from . import services


@shared_task(name="jipp.ping", acks_late=True)
def ping(*, token: str) -> dict[str, str]:
    """Answer with the token and the worker's database vendor; used by readiness tests."""
    return services.ping_answer(token=token)


@shared_task(name="jipp.clear_expired_sessions", acks_late=True)
def clear_expired_sessions() -> None:
    services.sessions_clear_expired()
