import os

import pytest

from jipp.models import Role
from tests.factories import InstitutionFactory, UserFactory, user_with_role

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make around it
# are still synchronous, so Django's async-safety guard would refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def reference_data(transactional_db):
    """The data migrations' reference data (regions, role groups, SDGs, categories, default maturity
    questions) for transactional tests: the flush after each of them removes it, so the next one loads
    it again (idempotently)."""
    _load_reference_data()


def _load_reference_data():
    from django.contrib.auth.models import Group

    from innovations.models import SDG, Category
    from innovations.reference import load_categories, load_sdgs
    from jipp.models import MaturityOption, MaturityQuestion, Region
    from jipp.reference import load_maturity_questions, load_regions, load_role_groups

    load_regions(Region)
    load_role_groups(Group)
    load_sdgs(SDG)
    load_categories(Category)
    load_maturity_questions(MaturityQuestion, MaturityOption)


@pytest.fixture(autouse=True)
def _reference_data_present(request, django_db_setup, django_db_blocker):
    """A transactional test ends with a flush that removes what the data migrations loaded. Alone,
    pytest-django runs those tests last; under xdist a worker may get an ordinary test after one, so
    the reference data is put back (committed, before the test's own transaction) when it is gone."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        yield
        return
    from jipp.models import Region

    with django_db_blocker.unblock():
        if not Region.objects.exists():
            _load_reference_data()
    yield


@pytest.fixture(scope="module")
def module_data(django_db_setup, django_db_blocker):
    """A transaction around a whole module, for data that is costly to build (the demo) and that its
    tests only read or change within their own transaction: a module-scoped fixture that depends on this
    one writes inside it, each test runs in a savepoint of it (pytest-django's `db` nests), and the
    module's end rolls it all back. Needs `--dist loadscope` under xdist, which keeps a module on one
    worker, and no transactional test in the module."""
    from django.db import transaction

    from jipp.models import Region

    with django_db_blocker.unblock():
        if not Region.objects.exists():
            _load_reference_data()
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def institution(db):
    return InstitutionFactory(code="majene-dinkes-test", name="Dinas Kesehatan Uji Majene")


@pytest.fixture
def other_institution(db):
    from tests.factories import regency

    return InstitutionFactory(
        code="polman-dinkes-test", name="Dinas Kesehatan Uji Polman", region=regency("Polewali Mandar")
    )


@pytest.fixture
def operator(institution):
    return user_with_role(Role.OPERATOR, username="op", institution=institution)


@pytest.fixture
def other_operator(other_institution):
    return user_with_role(Role.OPERATOR, username="op2", institution=other_institution)


@pytest.fixture
def hub_admin(db):
    return user_with_role(Role.HUB_ADMIN, username="hub", institution=InstitutionFactory(code="sulbar-bapperida-test"))


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.REVIEWER, username="rev")


@pytest.fixture
def panelist(db):
    return user_with_role(Role.PANELIST, username="pan")


@pytest.fixture
def ministry_admin(db):
    return user_with_role(Role.MINISTRY_ADMIN, username="min")


@pytest.fixture
def plain_user(db):
    return UserFactory(username="norole")


ROLE_FIXTURES = ["anonymous", "operator", "hub_admin", "reviewer", "panelist", "ministry_admin"]


@pytest.fixture
def client_as(client, request):
    """client_as("operator") returns a test client signed in as that fixture's user (or anonymous)."""

    def sign_in(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in


def require_service(what: str) -> None:
    """In CI (JIPP_REQUIRE_SERVICES=1) a missing service fails the test; elsewhere it skips it."""
    if os.environ.get("JIPP_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available here")


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run in-process in ordinary tests, even when CI points Celery at Redis; tests marked
    `services` keep the real broker and start a real worker."""
    if request.node.get_closest_marker("services"):
        yield
        return
    from jipp.celery import app

    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/ leaves English active in the thread, and reverse() would then build /en/ URLs
    for the next test: every test starts in the default language."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Deliberately slow hashing protects real passwords; in tests it only costs minutes."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
