"""The inbox of an institution's users and the signed links of notice e-mails: each role sees only its
own institution's notices (every URL x every role: test_permissions_inbox.py); an acknowledgement link
works for its recipient only and is refused when altered or expired."""

import time

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jipp.models import Delivery
from jipp.selectors import notice_progress
from jipp.services.deliveries import acknowledgement_token, attachment_token, delivery_send
from jipp.services.notices import notice_create, notice_send
from tests.jipp.factories_notices import data
from tests.jipp.matrix import named

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def notice(hub_network, hub_admin):
    upload = SimpleUploadedFile("undangan.pdf", PDF, content_type="application/pdf")
    notice = notice_create(hub=hub_network, data=data(), attachments=[upload], by=hub_admin)
    notice_send(notice=notice, by=hub_admin)
    for pk in notice.deliveries.values_list("pk", flat=True):
        delivery_send(delivery_id=pk)
    return notice


@pytest.fixture
def inbox_a(notice, institution):
    """The notice in the inbox of member A (the operator's institution)."""
    return notice.deliveries.get(institution=institution, channel=Delivery.Channel.INBOX)


@pytest.fixture
def email_a(notice, institution):
    return notice.deliveries.get(institution=institution, address="kontak-a@example.go.id")


def test_inbox_lists_only_the_notices_of_the_users_own_institution(client, operator, hub_network, hub_admin, notice):
    from tests.factories import regency
    from tests.jipp.factories_notices import sent

    only_b = sent(
        hub_network, hub_admin, subject="Hanya untuk Polman", audience="regencies", regions=[regency("Polewali Mandar")]
    )
    for pk in only_b.deliveries.values_list("pk", flat=True):
        delivery_send(delivery_id=pk)
    client.force_login(operator)
    listed = [delivery.notice for delivery in client.get(named("inbox")).context["page"]]
    assert (listed, only_b in listed) == ([notice], False)


def test_inbox_of_a_unit_does_not_show_its_parents_notices(client, notice, institution):
    from jipp.models import Role
    from tests.factories import InstitutionFactory, user_with_role

    unit = InstitutionFactory(code="puskesmas-uji", parent=institution)
    client.force_login(user_with_role(Role.OPERATOR, username="op-unit", institution=unit))
    assert list(client.get(named("inbox")).context["page"]) == []


def test_inbox_detail_marks_the_notice_read(client, operator, inbox_a):
    client.force_login(operator)
    client.get(named("inbox_detail", pk=inbox_a.pk))
    inbox_a.refresh_from_db()
    assert inbox_a.read_at is not None


def test_inbox_acknowledge_shows_on_the_hubs_dashboard(client, operator, notice, inbox_a, institution):
    client.force_login(operator)
    client.post(named("inbox_acknowledge", pk=inbox_a.pk))
    progress = notice_progress(notice=notice)
    copies = set(notice.deliveries.filter(institution=institution).values_list("state", "acknowledged_by"))
    assert (progress.acknowledged_institutions, copies) == (1, {("acknowledged", operator.pk)})


def test_inbox_list_queries_do_not_grow_with_notices(client, operator, hub_network, hub_admin, notice):
    from tests.jipp.factories_notices import sent

    client.force_login(operator)
    with CaptureQueriesContext(connection) as before:
        client.get(named("inbox"))
    for number in range(5):
        extra = sent(hub_network, hub_admin, subject=f"Lagi {number}")
        for pk in extra.deliveries.values_list("pk", flat=True):
            delivery_send(delivery_id=pk)
    with CaptureQueriesContext(connection) as after:
        response = client.get(named("inbox"))
    assert (len(response.context["page"]), len(after)) == (6, len(before))


# --- The signed links of an e-mail ------------------------------------------------------------------


def test_acknowledge_link_opened_does_not_acknowledge(client, email_a):
    response = client.get(named("acknowledge_link", token=acknowledgement_token(email_a)))
    email_a.refresh_from_db()
    assert (response.status_code, email_a.state) == (200, Delivery.State.SENT)


def test_acknowledge_link_confirmed_acknowledges_its_institution(client, notice, email_a, institution):
    response = client.post(named("acknowledge_link", token=acknowledgement_token(email_a)))
    states = dict(notice.deliveries.filter(channel="inbox").values_list("institution__code", "state"))
    assert (response.status_code, states.pop(institution.code), set(states.values())) == (
        200,
        Delivery.State.ACKNOWLEDGED,
        {Delivery.State.SENT},
    )


def test_acknowledge_link_altered_is_refused(client, notice, email_a, other_institution):
    other = notice.deliveries.get(institution=other_institution, channel="email")
    _value, rest = acknowledgement_token(email_a).split(":", 1)
    forged = signing.dumps(other.pk, salt="jipp.notice.acknowledge").split(":", 1)[0] + ":" + rest
    response = client.post(named("acknowledge_link", token=forged))
    other.refresh_from_db()
    assert (response.status_code, other.state) == (404, Delivery.State.SENT)


def test_acknowledge_link_expired_is_refused(client, email_a, monkeypatch, settings):
    token = acknowledgement_token(email_a)
    later = time.time() + (settings.NOTICE_LINK_DAYS + 1) * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(named("acknowledge_link", token=token))
    email_a.refresh_from_db()
    assert (response.status_code, email_a.state) == (410, Delivery.State.SENT)


def test_acknowledge_link_of_a_delivery_not_yet_sent_is_not_found(client, hub_network, hub_admin, institution):
    from tests.jipp.factories_notices import sent

    queued = sent(hub_network, hub_admin).deliveries.get(institution=institution, address="kontak-a@example.go.id")
    assert client.get(named("acknowledge_link", token=acknowledgement_token(queued))).status_code == 404


def test_attachment_link_gives_the_file_and_refuses_an_altered_token(client, notice, email_a):
    attachment = notice.attachments.get()
    token = attachment_token(email_a, attachment)
    good = client.get(named("attachment_link", token=token))
    altered = client.get(named("attachment_link", token=token[:-2] + ("AA" if not token.endswith("AA") else "BB")))
    assert (b"".join(good.streaming_content), altered.status_code) == (PDF, 404)
