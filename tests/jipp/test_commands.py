from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jipp.demo import DEMO_PASSWORD, DEMO_USERS
from jipp.models import Institution, Region, User


def snapshot():
    return (
        sorted(Institution.objects.values_list("code", "name", "region__bps_code")),
        sorted(User.objects.values_list("username", "institution__code")),
    )


@pytest.fixture(scope="module")
def _seeded_module(module_data, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def seeded(_seeded_module, db):
    """`seed_demo` run once for the module (it takes seconds); each test reads it in a savepoint."""


@pytest.mark.smoke
def test_seed_demo_creates_one_user_per_role_with_documented_password(seeded):
    for username, _name, role, _code in DEMO_USERS:
        user = User.objects.get(username=username)
        assert (user.check_password(DEMO_PASSWORD), user.has_role(role)) == (True, True)


def test_seed_demo_covers_every_regency(seeded):
    regencies = Region.objects.filter(level=Region.Level.REGENCY)
    assert all(Institution.objects.filter(region=regency).count() >= 3 for regency in regencies)


def test_seed_demo_twice_changes_nothing(seeded):
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first


@pytest.mark.django_db
def test_seed_demo_refused_in_production(settings):
    settings.DEBUG = False
    settings.EMBEDDED = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
