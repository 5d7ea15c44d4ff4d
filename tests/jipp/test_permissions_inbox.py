"""Every URL of the inbox and of the notice e-mails' signed links x every role: the inbox shows only the
user's own institution's notices; a signed link works for whoever holds it."""

import pytest

from jipp.models import Delivery
from jipp.services.deliveries import acknowledgement_token, attachment_token, delivery_send
from jipp.services.notices import notice_create, notice_send
from tests.conftest import module_fixture, module_people
from tests.jipp.factories_hub import hub_network
from tests.jipp.factories_notices import data, pdf
from tests.jipp.matrix import DONE, LOGIN, ROLES, assert_outcome, named

pytestmark = pytest.mark.django_db

# Every test reads the same people and notice, and what a test changes is rolled back after it.
globals().update(module_people())


@module_fixture
def objects(hub_admin, institution, other_institution):
    """A notice sent to every member: member A's inbox item and e-mail, and its attachment."""
    hub = hub_network(hub_admin, institution, other_institution)["hub"]
    notice = notice_create(hub=hub, data=data(), attachments=[pdf()], by=hub_admin)
    notice_send(notice=notice, by=hub_admin)
    for pk in notice.deliveries.values_list("pk", flat=True):
        delivery_send(delivery_id=pk)
    return {
        "inbox": notice.deliveries.get(institution=institution, channel=Delivery.Channel.INBOX),
        "email": notice.deliveries.get(institution=institution, address="kontak-a@example.go.id"),
        "attachment": notice.attachments.get(),
    }


CASES = {
    "inbox": ("get", lambda n: named("inbox"), [LOGIN, 200, 200, 200, 200, 200, 200]),
    "inbox_detail": ("get", lambda n: named("inbox_detail", pk=n["inbox"].pk), [LOGIN, 200, 404, 404, 404, 404, 404]),
    "inbox_acknowledge": (
        "post",
        lambda n: named("inbox_acknowledge", pk=n["inbox"].pk),
        [LOGIN, DONE, 404, 404, 404, 404, 404],
    ),
    "inbox_attachment": (
        "get",
        lambda n: named("inbox_attachment", pk=n["inbox"].pk, attachment=n["attachment"].pk),
        [LOGIN, 200, 404, 404, 404, 404, 404],
    ),
    "acknowledge_link": (
        "get",
        lambda n: named("acknowledge_link", token=acknowledgement_token(n["email"])),
        [200] * 7,
    ),
    "attachment_link": (
        "get",
        lambda n: named("attachment_link", token=attachment_token(n["email"], n["attachment"])),
        [200] * 7,
    ),
}


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("case", list(CASES))
def test_inbox_url_answers_each_role(case, role_index, role, client_as, objects):
    method, build, expected = CASES[case]
    response = getattr(client_as(role), method)(build(objects))
    assert_outcome(response, expected[role_index])
