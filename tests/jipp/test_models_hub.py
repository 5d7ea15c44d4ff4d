"""Database rules of the hub's models: what the constraints refuse and what they allow."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jipp.models import (
    Activity,
    Delivery,
    Hub,
    HubSettings,
    MaturityAnswer,
    MaturityAssessment,
    Membership,
    MembershipContact,
    Notice,
)
from tests.factories import InstitutionFactory
from tests.jipp.factories_hub import (
    ActivityFactory,
    ContactFactory,
    HubFactory,
    MembershipFactory,
    province,
    question_with_options,
)

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_hub_second_designated_hub_in_a_province_is_refused():
    HubFactory()
    assert refused(lambda: HubFactory(slug="kedua", name="Hub kedua"))


def test_hub_designated_without_decree_is_refused():
    assert refused(lambda: HubFactory(decree_number="", decree_date=None))


def test_hub_proposed_without_decree_is_allowed():
    hub = HubFactory(decree_number="", decree_date=None, status=Hub.Status.PROPOSED)
    assert hub.pk is not None


def test_membership_second_open_membership_of_an_institution_is_refused():
    membership = MembershipFactory()
    assert refused(lambda: MembershipFactory(hub=membership.hub, institution=membership.institution))


def test_membership_ended_one_allows_a_new_one():
    membership = MembershipFactory(ends_on=datetime.date(2025, 1, 31))
    again = MembershipFactory(
        hub=membership.hub, institution=membership.institution, starts_on=datetime.date(2025, 6, 1)
    )
    assert Membership.objects.filter(institution=again.institution).count() == 2


def test_membership_ending_before_it_starts_is_refused():
    assert refused(lambda: MembershipFactory(starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2024, 1, 1)))


def test_membership_active_counts_start_and_end_dates():
    today = timezone.localdate()
    running = MembershipFactory(starts_on=today - datetime.timedelta(days=10))
    MembershipFactory(
        hub=running.hub, starts_on=today - datetime.timedelta(days=10), ends_on=today - datetime.timedelta(days=1)
    )
    MembershipFactory(hub=running.hub, starts_on=today + datetime.timedelta(days=5))
    ending_today = MembershipFactory(hub=running.hub, starts_on=today - datetime.timedelta(days=3), ends_on=today)
    assert set(Membership.objects.active()) == {running, ending_today}


def test_membership_change_is_kept_in_history():
    membership = MembershipFactory()
    membership.role = Membership.Role.COORDINATOR
    membership.save()
    assert [record.role for record in membership.history.order_by("history_date")] == ["member", "coordinator"]


def test_contact_without_email_and_phone_is_refused():
    assert refused(lambda: ContactFactory(email="", phone=""))


def test_contact_two_active_contacts_with_one_email_are_refused():
    contact = ContactFactory(email="sama@example.go.id")
    assert refused(lambda: ContactFactory(membership=contact.membership, email="sama@example.go.id"))


def test_contact_inactive_one_may_share_an_email():
    contact = ContactFactory(email="sama@example.go.id", active=False)
    ContactFactory(membership=contact.membership, email="sama@example.go.id")
    assert MembershipContact.objects.filter(email="sama@example.go.id").count() == 2


def test_activity_ending_before_it_starts_is_refused():
    start = timezone.now()
    assert refused(lambda: ActivityFactory(starts_at=start, ends_at=start - datetime.timedelta(hours=1)))


def test_activity_clean_asks_for_place_on_site_and_link_online():
    hub = HubFactory()
    start = timezone.now()
    activity = Activity(hub=hub, kind="coaching", title="X", starts_at=start, ends_at=start, mode="hybrid")
    with pytest.raises(ValidationError) as error:
        activity.clean()
    assert sorted(error.value.message_dict) == ["link", "place"]


def test_maturity_assessment_second_one_for_a_year_is_refused():
    hub = HubFactory()
    MaturityAssessment.objects.create(hub=hub, year=2025)
    assert refused(lambda: MaturityAssessment.objects.create(hub=hub, year=2025))


def test_maturity_answer_score_above_best_is_refused():
    question = question_with_options("perencanaan")
    assessment = MaturityAssessment.objects.create(hub=HubFactory(), year=2025)
    option = question.options.last()
    assert refused(
        lambda: MaturityAnswer.objects.create(
            assessment=assessment,
            question=question,
            option=option,
            score=Decimal("101"),
            max_score=Decimal("100"),
            weight=1,
        )
    )


def test_hub_settings_reminding_after_zero_days_is_refused():
    assert refused(lambda: HubSettings.objects.create(hub=HubFactory(), reminder_after_days=0))


def test_notice_scheduled_without_time_is_refused():
    assert refused(lambda: Notice.objects.create(hub=HubFactory(), subject="S", body="B", status="scheduled"))


def test_notice_second_one_from_the_same_source_is_refused():
    hub = HubFactory()
    Notice.objects.create(hub=hub, subject="S", body="B", source_key="innovation-published:1")
    assert refused(lambda: Notice.objects.create(hub=hub, subject="S", body="B", source_key="innovation-published:1"))


def test_notice_link_without_title_is_refused():
    assert refused(lambda: Notice.objects.create(hub=HubFactory(), subject="S", body="B", link_url="https://a.id/"))


def test_delivery_second_row_for_one_address_is_refused():
    notice = Notice.objects.create(hub=HubFactory(), subject="S", body="B")
    institution = InstitutionFactory()
    Delivery.objects.create(notice=notice, institution=institution, channel="email", address="a@example.go.id")
    assert refused(
        lambda: Delivery.objects.create(
            notice=notice, institution=institution, channel="email", address="a@example.go.id"
        )
    )


def test_delivery_email_without_address_is_refused():
    notice = Notice.objects.create(hub=HubFactory(), subject="S", body="B")
    assert refused(lambda: Delivery.objects.create(notice=notice, institution=InstitutionFactory(), channel="email"))


def test_delivery_acknowledged_without_time_is_refused():
    notice = Notice.objects.create(hub=HubFactory(), subject="S", body="B")
    assert refused(
        lambda: Delivery.objects.create(
            notice=notice, institution=InstitutionFactory(), channel="inbox", state="acknowledged"
        )
    )


def test_hub_province_is_the_province():
    assert HubFactory().province == province()
