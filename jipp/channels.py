"""The ways a notice reaches a recipient: e-mail and the in-app inbox, behind one interface.

A channel takes a rendered `OutgoingMessage` and hands it on, or raises `TemporaryDeliveryError`
(try again later: the server is unreachable, busy, or answered 4xx) or `PermanentDeliveryError`
(do not try again: the address was refused with 5xx). The delivery services own the states,
retries and rate limit; a channel only sends. Another gateway (SMS, WhatsApp) is one more class
with a `name` and a `send`, registered with `register` and named by a `Delivery.Channel` choice.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)

# SMTP answers to authentication are about our configuration, not the recipient: once it is fixed, the
# retries succeed, so they are not a reason to give up on the address.
AUTHENTICATION_CODES = {530, 534, 535, 538}


class DeliveryError(Exception):
    """A message was not handed on; `str(error)` is what the dashboard shows."""


class TemporaryDeliveryError(DeliveryError):
    pass


class PermanentDeliveryError(DeliveryError):
    pass


@dataclass(frozen=True)
class OutgoingMessage:
    """What one recipient gets on one channel: the same text the preview shows."""

    subject: str
    text: str
    html: str
    to: str  # the address; empty for the inbox
    message_id: str  # stable for a delivery (and a reminder): a duplicate is recognisable as such
    headers: dict[str, str] = field(default_factory=dict)


class Channel(Protocol):
    name: str

    def send(self, message: OutgoingMessage) -> str:
        """Hand the message on; return the provider's id of it (the Message-ID for e-mail)."""
        ...


def smtp_error(error: Exception) -> DeliveryError:
    """Sort an exception of Django's SMTP backend into temporary (retry) and permanent (give up)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        replies = "; ".join(f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values())
        if codes and all(400 <= code < 500 for code in codes):
            return TemporaryDeliveryError(replies)
        return PermanentDeliveryError(replies)
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        text = f"{error.smtp_code} {reply}"
        if 500 <= error.smtp_code < 600 and error.smtp_code not in AUTHENTICATION_CODES:
            return PermanentDeliveryError(text)
        return TemporaryDeliveryError(text)
    # Disconnected, refused or timed-out connections, and any other SMTP trouble: the server may be back soon.
    return TemporaryDeliveryError(f"{type(error).__name__}: {error}")


class EmailChannel:
    """E-mail through Django's e-mail backend (SMTP in production, EMAIL_URL).

    Each worker thread keeps its connection open between messages (a new SMTP session per message
    costs more than the message); a connection the server closed meanwhile is opened again once.
    """

    name = "email"

    def __init__(self) -> None:
        self._local = threading.local()

    def _connection(self) -> BaseEmailBackend:
        connection: BaseEmailBackend | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = get_connection(fail_silently=False)
            connection.open()
            self._local.connection = connection
        return connection

    def close(self) -> None:
        connection: BaseEmailBackend | None = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # a broken connection is dropped either way
                logger.debug("Closing the SMTP connection failed", exc_info=True)

    def send(self, message: OutgoingMessage) -> str:
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"Message-ID": message.message_id, **message.headers},
        )
        email.attach_alternative(message.html, "text/html")
        reused = getattr(self._local, "connection", None) is not None
        try:
            self._send(email)
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not reused:
                raise TemporaryDeliveryError("SMTPServerDisconnected") from None
            # The server closed the idle connection it had given this thread: once more, on a new one.
            try:
                self._send(email)
            except (smtplib.SMTPException, OSError) as error:
                self.close()
                raise smtp_error(error) from error
        except (smtplib.SMTPException, OSError) as error:
            if not isinstance(error, smtplib.SMTPRecipientsRefused):
                self.close()
            raise smtp_error(error) from error
        return message.message_id

    def _send(self, email: EmailMultiAlternatives) -> None:
        email.connection = self._connection()
        email.send(fail_silently=False)


class InboxChannel:
    """The in-app inbox: the delivery row itself is the message, shown to the institution's users once
    it is sent. Nothing leaves the database, so nothing can fail."""

    name = "inbox"

    def send(self, message: OutgoingMessage) -> str:
        return ""


_channels: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    _channels[channel.name] = channel


def channel_for(name: str) -> Channel:
    try:
        return _channels[name]
    except KeyError:
        raise PermanentDeliveryError(f"No channel named {name!r} is registered.") from None


register(EmailChannel())
register(InboxChannel())
