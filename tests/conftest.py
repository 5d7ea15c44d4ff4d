import inspect
import os

import pytest

from jipp.models import Role
from tests.factories import InstitutionFactory, UserFactory, user_with_role

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make around it
# are still synchronous, so Django's async-safety guard would refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def throttle_clock(monkeypatch):
    """The APIs' rate limit counted 15 s into one window of its period (whatever the period a test
    sets), from zero: a real window may end between two requests of a test, and other tests of the
    process count in the same cache."""
    from django.core.cache import cache

    from jipp.throttling import AnonCountThrottle

    cache.clear()
    monkeypatch.setattr(AnonCountThrottle, "timer", lambda self: self.duration * 28_000_000 + 15)
    yield
    cache.clear()


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


def _institution():
    return InstitutionFactory(code="majene-dinkes-test", name="Dinas Kesehatan Uji Majene")


def _other_institution():
    from tests.factories import regency

    return InstitutionFactory(
        code="polman-dinkes-test", name="Dinas Kesehatan Uji Polman", region=regency("Polewali Mandar")
    )


# The people of the suite: fixture name -> (builder, the fixtures it is built from).
PEOPLE = {
    "institution": (_institution, ()),
    "other_institution": (_other_institution, ()),
    "operator": (
        lambda institution: user_with_role(Role.OPERATOR, username="op", institution=institution),
        ("institution",),
    ),
    "other_operator": (
        lambda other_institution: user_with_role(Role.OPERATOR, username="op2", institution=other_institution),
        ("other_institution",),
    ),
    "hub_admin": (
        lambda: user_with_role(
            Role.HUB_ADMIN, username="hub", institution=InstitutionFactory(code="sulbar-bapperida-test")
        ),
        (),
    ),
    "reviewer": (lambda: user_with_role(Role.REVIEWER, username="rev"), ()),
    "panelist": (lambda: user_with_role(Role.PANELIST, username="pan"), ()),
    "ministry_admin": (lambda: user_with_role(Role.MINISTRY_ADMIN, username="min"), ()),
    "plain_user": (lambda: UserFactory(username="norole"), ()),
}


def _person_fixture(name: str, scope: str):
    build, needs = PEOPLE[name]
    if scope == "module":
        return module_fixture(build, name=name, needs=needs)

    def fixture(request, db):
        return build(*(request.getfixturevalue(need) for need in needs))

    return pytest.fixture(fixture, name=name)


def module_fixture(build, *, name: str | None = None, needs: tuple[str, ...] | None = None):
    """`build` as a module-scoped fixture (of its name; its parameters are the fixtures it needs), built
    once inside the module's transaction (see module_people)."""
    if needs is None:
        parameters = inspect.signature(build).parameters.values()
        needs = tuple(p.name for p in parameters if p.kind == p.POSITIONAL_OR_KEYWORD and p.default is p.empty)

    def fixture(request, django_db_blocker):
        request.getfixturevalue("module_people_base")
        values = [request.getfixturevalue(need) for need in needs]
        with django_db_blocker.unblock():
            return build(*values)

    return pytest.fixture(fixture, scope="module", name=name or build.__name__)


for _name in PEOPLE:
    globals()[_name] = _person_fixture(_name, "function")


def module_people() -> dict:
    """The suite's people (institution, operator, hub_admin...) built once for a whole module, inside
    `module_data`'s transaction, with the module's uploads in one folder: for modules whose every test
    reads the same people and objects (the permission matrices). A module takes them with
    `globals().update(module_people())`, and its own module-scoped fixtures then build on them."""
    return {name: _person_fixture(name, "module") for name in PEOPLE} | {
        "_media_root": pytest.fixture(_module_media_root, name="_media_root"),
        "_module_people_all": pytest.fixture(_module_people_all, scope="module", autouse=True),
    }


@pytest.fixture(scope="module")
def module_people_base(module_data, tmp_path_factory):
    """What module-scoped people and objects are built in: the module's transaction, one media folder for
    the whole module, and Celery eager (the function-scoped switch is not on yet when they are built)."""
    from django.test import override_settings

    from jipp.celery import app

    eager = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = eager


def _module_people_all(request):
    """All of them before the first test: one first asked for inside a test (client_as("reviewer")) would
    be written in that test's savepoint, rolled back after it, and then missing for the next tests."""
    for name in PEOPLE:
        request.getfixturevalue(name)


def _module_media_root(module_people_base):
    """In a module of module_people, the files stay in the module's folder."""


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


@pytest.fixture(autouse=True)
def _catalog_version_forgotten():
    """The catalogue's version is kept in process memory for a second (catalog.freshness), but a test's
    writes are rolled back or flushed behind its back: every test reads the version from its database."""
    from catalog.freshness import forget_catalog_version

    forget_catalog_version()


@pytest.fixture(autouse=True, scope="session")
def _flush_by_delete():
    """A transactional test (browser, real worker) ends with a flush of every table. PostgreSQL's TRUNCATE
    of seventy tables takes about 0.2 s, each table's files made anew; DELETE of the few rows a test
    wrote takes a tenth of that. The foreign keys Django creates are deferred to the commit, so the
    order of the deletes does not matter."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(autouse=True, scope="session")
def _no_page_copies():
    """A process's copies of kept pages (catalog.freshness) would outlive the cache.clear() with which tests
    ask for a page rendered again; tests/catalog/test_pagecache.py turns them on and checks them."""
    from django.conf import settings

    settings.PAGE_COPY_BYTES = 0


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Deliberately slow hashing protects real passwords; in tests it only costs minutes."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
