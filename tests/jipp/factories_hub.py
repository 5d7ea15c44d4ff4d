"""Factories of the hub: hubs, memberships, contacts, activities, maturity questions."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from jipp.models import (
    Activity,
    Hub,
    MaturityOption,
    MaturityQuestion,
    Membership,
    MembershipContact,
    Region,
)
from tests.factories import InstitutionFactory


def province() -> Region:
    return Region.objects.get(level=Region.Level.PROVINCE, bps_code="76")


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub
        django_get_or_create = ("slug",)

    name = "Hub JIPP Sulawesi Barat"
    slug = "sulawesi-barat"
    province = factory.LazyFunction(province)
    decree_number = "KepmenPANRB No. 305/2024"
    decree_date = datetime.date(2024, 5, 20)
    status = Hub.Status.DESIGNATED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    hub = factory.SubFactory(HubFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Membership.Role.MEMBER
    starts_on = datetime.date(2024, 6, 1)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipContact

    membership = factory.SubFactory(MembershipFactory)
    name = factory.Sequence(lambda n: f"Kontak {n}")
    position = "Kepala Bidang"
    email = factory.Sequence(lambda n: f"kontak{n}@example.go.id")
    phone = "0811000000"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    hub = factory.SubFactory(HubFactory)
    kind = Activity.Kind.COACHING
    title = factory.Sequence(lambda n: f"Pembinaan Inovasi {n}")
    description = "Pembinaan inovasi pelayanan publik."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    mode = Activity.Mode.ONLINE
    link = "https://zoom.example.org/j/123"

    @factory.post_generation
    def invited(self, create, extracted, **kwargs):
        if create and extracted:
            self.invited.set(extracted)


def question_with_options(aspect: str, *, scores=(0, 50, 100), weight="1", order=0) -> MaturityQuestion:
    question = MaturityQuestion.objects.create(
        aspect=aspect,
        text_id=f"Pertanyaan {aspect} {order}",
        text_en=f"Question {aspect} {order}",
        weight=Decimal(weight),
        order=order,
    )
    for position, score in enumerate(scores):
        MaturityOption.objects.create(
            question=question,
            label_id=f"Tingkat {position}",
            label_en=f"Level {position}",
            score=Decimal(score),
            order=position,
        )
    return question


def hub_network(hub_admin, institution, other_institution) -> dict:
    """The hub of tests/jipp/conftest.py in one call, for modules that build it once: the hub
    administrator's institution coordinates it; A (`institution`, with a contact) and B are members."""
    from jipp.models import Membership

    hub = HubFactory()
    MembershipFactory(hub=hub, institution=hub_admin.institution, role=Membership.Role.COORDINATOR)
    member_a = MembershipFactory(hub=hub, institution=institution)
    MembershipFactory(hub=hub, institution=other_institution)
    contact_a = ContactFactory(membership=member_a, email="kontak-a@example.go.id")
    return {"hub": hub, "member_a": member_a, "contact_a": contact_a}
