"""Factories and helpers of notices: a draft, a notice sent through the services, a network of members
in three regencies, and a real SMTP server (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import logging
import socket
import threading
from dataclasses import dataclass, field
from email.message import Message

import factory

from jipp.models import Institution, Membership, Notice
from jipp.services.notices import NoticeData, notice_create, notice_send
from tests.factories import InstitutionFactory, regency
from tests.jipp.factories_hub import ContactFactory, HubFactory, MembershipFactory


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    hub = factory.SubFactory(HubFactory)
    kind = Notice.Kind.GENERAL
    subject = factory.Sequence(lambda n: f"Pemberitahuan {n}")
    body = "Yth. anggota hub, **mohon** dibaca."
    audience = Notice.Audience.ALL_MEMBERS


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# The notice form's fields for a notice to every member.
NOTICE_POST = {"kind": "general", "subject": "Rapat koordinasi", "body": "Mohon hadir.", "audience": "all_members"}


def pdf(name: str = "undangan.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def data(**overrides) -> NoticeData:
    values = {"subject": "Undangan Pembinaan Inovasi", "body": "Mohon hadir **tepat waktu**."} | overrides
    return NoticeData(**values)


def sent(hub, by, **overrides) -> Notice:
    """A notice written and sent through the services (its deliveries queued, none sent yet)."""
    notice = notice_create(hub=hub, data=data(**overrides), by=by)
    return notice_send(notice=notice, by=by)


def regency_government(name: str, code: str) -> Institution:
    return InstitutionFactory(
        code=code, name=f"Pemerintah Kabupaten {name}", kind=Institution.Kind.PEMDA, region=regency(name)
    )


REGENCY_GOVERNMENTS = [
    ("Majene", "pemkab-majene-uji"),
    ("Polewali Mandar", "pemkab-polman-uji"),
    ("Mamasa", "pemkab-mamasa-uji"),
]


def three_regency_members(hub) -> list[Membership]:
    """Majene, Polewali Mandar and Mamasa's governments as members, each with one contact."""
    memberships = []
    for name, code in (
        ("Majene", "pemkab-majene-uji"),
        ("Polewali Mandar", "pemkab-polman-uji"),
        ("Mamasa", "pemkab-mamasa-uji"),
    ):
        membership = MembershipFactory(hub=hub, institution=regency_government(name, code))
        ContactFactory(membership=membership, email=f"kontak@{code}.example.go.id")
        memberships.append(membership)
    return memberships


@dataclass
class Mailbox:
    """What the SMTP sink received, and the answers it should give (by recipient address)."""

    messages: list[Message] = field(default_factory=list)
    # address -> SMTP reply to RCPT TO, e.g. "450 4.2.1 Mailbox busy" or "550 5.1.1 No such user"
    replies: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def recipients(self) -> list[str]:
        with self.lock:
            return sorted(message["To"] for message in self.messages)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [message["Message-ID"] for message in self.messages]


class MailboxHandler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.mailbox.replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.mailbox.lock:
            self.mailbox.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_server(mailbox: Mailbox):
    """An aiosmtpd controller on a free local port (started); `controller.port` is its port."""
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    controller = Controller(MailboxHandler(mailbox), hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
