"""Factories shared by the whole suite."""

import factory
from django.contrib.auth.models import Group

from jipp.models import Institution, Region, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


def regency(name: str = "Majene") -> Region:
    return Region.objects.get(level=Region.Level.REGENCY, name=name)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"inst-{n}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    kind = Institution.Kind.OPD
    region = factory.LazyFunction(regency)
    notice_emails = factory.LazyAttribute(lambda o: f"{o.code}@example.go.id")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.id")
    first_name = "Uji"
    institution = factory.SubFactory(InstitutionFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get(name=role))
        if create:
            self.save()


def user_with_role(role: Role, **kwargs) -> User:
    return UserFactory(roles=[role], **kwargs)
