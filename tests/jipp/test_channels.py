"""Channels: e-mail through Django's SMTP backend to a real SMTP server (aiosmtpd), with its answers
sorted into temporary and permanent errors; the inbox; the registry for further gateways."""

import smtplib
import socket

import pytest

from jipp import channels
from jipp.channels import (
    EmailChannel,
    InboxChannel,
    OutgoingMessage,
    PermanentDeliveryError,
    TemporaryDeliveryError,
    channel_for,
    register,
    smtp_error,
)
from tests.jipp.factories_notices import Mailbox, free_port, smtp_server


@pytest.fixture
def mailbox():
    return Mailbox()


@pytest.fixture
def smtp(mailbox, settings):
    controller = smtp_server(mailbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield controller
    controller.stop()


def message(to="kontak@pemkab-majene.example.go.id", number=1):
    return OutgoingMessage(
        subject="Undangan Pembinaan Inovasi",
        text="Mohon hadir.",
        html="<p>Mohon hadir.</p>",
        to=to,
        message_id=f"<notice-1.delivery-{number}@jipp.example>",
    )


def test_email_channel_delivers_to_the_smtp_server_with_the_message_id(smtp, mailbox):
    channel = EmailChannel()
    provider_id = channel.send(message())
    channel.close()
    [received] = mailbox.messages
    assert (received["To"], received["Subject"], received["Message-ID"], provider_id) == (
        "kontak@pemkab-majene.example.go.id",
        "Undangan Pembinaan Inovasi",
        "<notice-1.delivery-1@jipp.example>",
        "<notice-1.delivery-1@jipp.example>",
    )


def test_email_channel_sends_text_and_html_alternatives(smtp, mailbox):
    channel = EmailChannel()
    channel.send(message())
    channel.close()
    [received] = mailbox.messages
    assert sorted(part.get_content_type() for part in received.walk() if not part.is_multipart()) == [
        "text/html",
        "text/plain",
    ]


def test_email_channel_refused_mailbox_is_a_permanent_error(smtp, mailbox):
    mailbox.replies["hilang@example.go.id"] = "550 5.1.1 No such user"
    with pytest.raises(PermanentDeliveryError, match=r"550 5\.1\.1 No such user"):
        EmailChannel().send(message(to="hilang@example.go.id"))


def test_email_channel_busy_mailbox_is_a_temporary_error(smtp, mailbox):
    mailbox.replies["penuh@example.go.id"] = "452 4.2.2 Mailbox full"
    with pytest.raises(TemporaryDeliveryError, match="452"):
        EmailChannel().send(message(to="penuh@example.go.id"))


def test_email_channel_without_a_server_is_a_temporary_error(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with pytest.raises(TemporaryDeliveryError):
        EmailChannel().send(message())


def test_email_channel_keeps_its_connection_for_the_next_message(smtp, mailbox):
    channel = EmailChannel()
    channel.send(message(number=1))
    first = channel._local.connection
    channel.send(message(number=2))
    same = channel._local.connection is first
    channel.close()
    assert (len(mailbox.messages), same) == (2, True)


def test_email_channel_opens_a_new_connection_when_the_server_closed_the_old_one(smtp, mailbox):
    channel = EmailChannel()
    channel.send(message(number=1))
    channel._local.connection.connection.sock.shutdown(socket.SHUT_RDWR)  # the idle session was dropped
    channel.send(message(number=2))
    channel.close()
    assert mailbox.message_ids() == ["<notice-1.delivery-1@jipp.example>", "<notice-1.delivery-2@jipp.example>"]


def test_email_channel_after_a_refused_address_still_sends_the_next(smtp, mailbox):
    mailbox.replies["hilang@example.go.id"] = "550 5.1.1 No such user"
    channel = EmailChannel()
    with pytest.raises(PermanentDeliveryError):
        channel.send(message(to="hilang@example.go.id", number=1))
    channel.send(message(number=2))
    channel.close()
    assert mailbox.message_ids() == ["<notice-1.delivery-2@jipp.example>"]


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (smtplib.SMTPRecipientsRefused({"a@b": (550, b"No such user")}), PermanentDeliveryError),
        (smtplib.SMTPRecipientsRefused({"a@b": (451, b"Greylisted")}), TemporaryDeliveryError),
        (smtplib.SMTPDataError(554, b"Rejected as spam"), PermanentDeliveryError),
        (smtplib.SMTPDataError(421, b"Too many connections"), TemporaryDeliveryError),
        (smtplib.SMTPAuthenticationError(535, b"Bad credentials"), TemporaryDeliveryError),
        (smtplib.SMTPServerDisconnected("gone"), TemporaryDeliveryError),
        (ConnectionRefusedError(111, "Connection refused"), TemporaryDeliveryError),
        (TimeoutError("timed out"), TemporaryDeliveryError),
    ],
)
def test_smtp_error_sorts_answers_into_temporary_and_permanent(error, kind):
    assert type(smtp_error(error)) is kind


def test_inbox_channel_takes_every_message():
    assert InboxChannel().send(message(to="")) == ""


def test_channel_for_an_unknown_channel_is_a_permanent_error():
    with pytest.raises(PermanentDeliveryError):
        channel_for("sms")


def test_register_adds_a_gateway(monkeypatch):
    monkeypatch.setattr(channels, "_channels", dict(channels._channels))

    class Sms:
        name = "sms"

        def send(self, message):
            return f"sms-{message.to}"

    register(Sms())
    assert channel_for("sms").send(message(to="0811")) == "sms-0811"
