"""Every URL of the hub administrator's notice pages x every role: who gets the page, who is refused,
who must sign in."""

import datetime

import pytest
from django.utils import timezone

from jipp.models import Notice
from jipp.services.notices import notice_create
from tests.conftest import module_fixture, module_people
from tests.jipp.factories_hub import hub_network as network
from tests.jipp.factories_notices import NOTICE_POST, data, pdf, sent
from tests.jipp.matrix import DONE, LOGIN, ROLES, assert_outcome, url

pytestmark = pytest.mark.django_db

ADMIN_ONLY = [LOGIN, 403, 403, 200, 403, 403, 403]
ADMIN_DOES = [LOGIN, 403, 403, DONE, 403, 403, 403]


SLUG = lambda n: n["hub"].slug  # noqa: E731
DRAFT = lambda n: n["draft"].pk  # noqa: E731
SENT = lambda n: n["sent"].pk  # noqa: E731
SCHEDULED = lambda n: n["scheduled"].pk  # noqa: E731
ATTACHMENT = lambda n: n["attachment"].pk  # noqa: E731

CASES = {
    "notice_index": ("get", url("notice_index"), None, [LOGIN, 403, 403, 302, 403, 403, 403]),
    "notice_list": ("get", url("notice_list", slug=SLUG), None, ADMIN_ONLY),
    "notice_create": ("get", url("notice_create", slug=SLUG), None, ADMIN_ONLY),
    "notice_create_post": ("post", url("notice_create", slug=SLUG), NOTICE_POST, ADMIN_DOES),
    "notice_settings": ("get", url("notice_settings", slug=SLUG), None, ADMIN_ONLY),
    "notice_settings_post": (
        "post",
        url("notice_settings", slug=SLUG),
        {"publish_notice": "each", "reminder_after_days": "3", "max_reminders": "2"},
        ADMIN_DOES,
    ),
    "notice_detail_draft": ("get", url("notice_detail", slug=SLUG, pk=DRAFT), None, ADMIN_ONLY),
    "notice_detail_sent": ("get", url("notice_detail", slug=SLUG, pk=SENT), None, ADMIN_ONLY),
    "notice_edit": ("get", url("notice_edit", slug=SLUG, pk=DRAFT), None, ADMIN_ONLY),
    "notice_edit_post": ("post", url("notice_edit", slug=SLUG, pk=DRAFT), NOTICE_POST, ADMIN_DOES),
    "notice_send": ("post", url("notice_send", slug=SLUG, pk=DRAFT), {"when": "now"}, ADMIN_DOES),
    "notice_unschedule": ("post", url("notice_unschedule", slug=SLUG, pk=SCHEDULED), {}, ADMIN_DOES),
    "notice_progress": ("get", url("notice_progress", slug=SLUG, pk=SENT), None, ADMIN_ONLY),
    "notice_retry": ("post", url("notice_retry", slug=SLUG, pk=SENT), {}, ADMIN_DOES),
    "notice_export": ("get", url("notice_export", slug=SLUG, pk=SENT), None, ADMIN_ONLY),
    "notice_attachment": (
        "get",
        url("notice_attachment", slug=SLUG, pk=DRAFT, attachment=ATTACHMENT),
        None,
        ADMIN_ONLY,
    ),
    "notice_attachment_delete": (
        "post",
        url("notice_attachment_delete", slug=SLUG, pk=DRAFT, attachment=ATTACHMENT),
        {},
        ADMIN_DOES,
    ),
}


# Every test reads the same people and notices, and what a test changes is rolled back after it.
globals().update(module_people())


@module_fixture
def notices(hub_admin, institution, other_institution):
    hub_network = network(hub_admin, institution, other_institution)["hub"]
    draft = notice_create(hub=hub_network, data=data(), attachments=[pdf()], by=hub_admin)
    scheduled = notice_create(hub=hub_network, data=data(subject="Terjadwal"), by=hub_admin)
    Notice.objects.filter(pk=scheduled.pk).update(
        status="scheduled", scheduled_at=timezone.now() + datetime.timedelta(days=1)
    )
    return {
        "hub": hub_network,
        "draft": draft,
        "scheduled": scheduled,
        "sent": sent(hub_network, hub_admin, subject="Terkirim"),
        "attachment": draft.attachments.get(),
    }


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("case", list(CASES))
def test_notice_url_answers_each_role(case, role_index, role, client_as, notices):
    method, build, payload, expected = CASES[case]
    response = getattr(client_as(role), method)(build(notices), payload or {})
    assert_outcome(response, expected[role_index])
