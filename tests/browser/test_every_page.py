"""Every page each demo role uses, at 1280 px and then narrowed to 360 px: axe finds no serious or critical violation
(colour contrast at 360 px on each role's first page only: see AXE_RUN_WITHOUT_CONTRAST),
nothing is fetched from another host (the README's offline promise), the Content-Security-Policy blocks
nothing, no script fails, and a phone never scrolls sideways.

The pages come from the URL configuration, not from a list. Every pattern outside the admin and the
JSON API is requested by each role's test client with its path parameters filled from the demo data
(`seed_demo`, plus what add_what_the_demo_lacks adds): the segment before a parameter says what it is
(kegiatan/<pk> an activity, kelola/<year> a KIPP edition...). Each distinct rendering of a pattern (the
set of templates it rendered) is then checked in Chromium for each role that meets it; signed-in roles
skip the public pages, but for those that show staff more. A new page is therefore covered without
editing this file. A pattern that answers no role with a page must be an action (GET
answers 405), a download or data (not HTML), or be named in NOT_PAGES with the reason; otherwise
test_every_url_pattern_is_a_page_or_says_why_not fails.

The demo is seeded once per module (and xdist worker) behind a module-scoped live server: pytest-django's
`live_server` fixture would flush the database after every test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO, StringIO
from itertools import islice, product
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import _load_reference_data as load_reference_data

# The tests read what the module's fixture committed; the marker has pytest-django create the test
# database even when this module runs alone.
pytestmark = pytest.mark.django_db

# Not pages, and not recognisable as such from a cheap GET: the reason is the documentation.
NOT_PAGES = {
    "api:not_found": "the JSON 404 of unknown API paths",
    # Once Swagger UI has drawn the operations (axe ran before it did, until the page was checked twice
    # in one load), axe finds faults of its own markup: a button nested in each operation's button, the
    # method badges' contrast. The same API is documented accessibly by api:redoc, checked here; that
    # Swagger UI loads nothing from another host and breaks no CSP is test_csp.py's and
    # test_public_pages.py's.
    "api:docs": "Swagger UI, a third-party application (see above)",
    "catalog:detail_pdf": "PDF download (WeasyPrint: slow to render, nothing to check here)",
    "catalog:statistics_csv": "CSV download of a chart",
    "competitions:certificate_download": "PDF download (WeasyPrint)",
    "competitions:export": "CSV/XLSX download of the decisions",
    "innovations:similar": "htmx fragment of the record form (similar titles)",
    "jipp:notice_progress": "htmx fragment polled by the notice page",
    # With one hub (the demo's) these menu entries redirect to its pages; with several they list them.
    "jipp:hub_list": "redirects to the only hub's profile",
    "jipp:hub_manage_index": "redirects to the only hub's members",
    "jipp:notice_index": "redirects to the only hub's notices",
    # Files the demo has none of; their views stream the file, never a page.
    "innovations:replication_document": "replication agreement download",
    "competitions:entry_evidence_file": "KIPP evidence file download",
    "competitions:review_evidence": "KIPP evidence file download (blinded)",
    "jipp:attachment_link": "notice attachment download by e-mail link (a signed token)",
    "jipp:maturity_evidence": "maturity evidence download",
}
# Whole parts of the URL configuration that are not the portal's pages.
NOT_PAGE_PREFIXES = {
    "admin/": "Django's admin keeps its own design",
    "api/v1/": "the JSON open-data API",
    "api/schema/": "the OpenAPI document",
}
# Public pages that show a signed-in user more (the staff header is on every staff page anyway).
SIGNED_IN_VIEWS_OF_PUBLIC_PAGES = {"home", "catalog:detail"}

ROLES = {  # role: demo user (None: not signed in)
    "anonymous": None,
    "operator": "operator",
    "hub_admin": "hubadmin",
    "reviewer": "reviewer",
    "panelist": "panelist",
    "ministry_admin": "ministry",
}
WIDTHS = (1280, 360)
# Combinations of parameter values tried per pattern: the first ones are chosen to work.
MAX_COMBINATIONS = 6
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
# A value for a parameter the demo has nothing for: actions still answer 405, the rest 404.
PLACEHOLDER = {"int": 0}


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str  # without the language prefix, e.g. "hub/<slug:slug>/kegiatan/<int:pk>/"

    @property
    def parameters(self) -> list[tuple[str, str, str]]:
        """(segment, name, converter) of each path parameter; the literal segment before it says what
        it is."""
        found = []
        for match in PARAMETER.finditer(self.route):
            literals = [part for part in PARAMETER.sub("", self.route[: match.start()]).split("/") if part]
            found.append((literals[-1] if literals else "", match.group(2), match.group(1) or "str"))
        return found


@dataclass(frozen=True)
class Answer:
    kind: str  # "page", "action" (405), "data" (not HTML) or "fragment" (HTML, not a whole document)
    url: str
    templates: frozenset[str] = frozenset()


@dataclass
class Site:
    """The live server of the seeded demo, each role's session and what each pattern answers it."""

    url: str
    sessions: dict[str, str]  # role: session cookie (none for "anonymous")
    urls: dict[str, list[str]]  # pattern name: candidate URLs, best first
    found: dict[str, dict[str, list[Answer]]]  # role: pattern name: answers


def url_patterns() -> list[Pattern]:
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import LocalePrefixPattern

    def walk(entries, prefix: str, namespace: str):
        for entry in entries:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                # i18n_patterns' prefix ("" for Indonesian) is not part of the route.
                route = "" if isinstance(entry.pattern, LocalePrefixPattern) else str(entry.pattern)
                yield from walk(entry.url_patterns, prefix + route, inner)
            else:
                yield Pattern(f"{namespace}{entry.name}", prefix + str(entry.pattern))

    return [
        pattern
        for pattern in walk(get_resolver().url_patterns, "", "")
        if pattern.name not in NOT_PAGES and not pattern.route.startswith(tuple(NOT_PAGE_PREFIXES))
    ]


def parameter_values() -> dict[tuple[str, str], list]:
    """Candidate values of each (segment, parameter). Each role's test client tries the combinations;
    every rendering they give is checked. The operator's own objects come first: the narrowest view,
    and the hub and the ministry see them too."""
    from competitions.models import SCORING_KINDS, Certificate, Edition, Entry, Objection, Review
    from innovations.models import Evidence, ImportBatch, Innovation, Replication
    from jipp.models import (
        Activity,
        ActivityAttachment,
        Delivery,
        Hub,
        MaturityAssessment,
        Membership,
        MembershipContact,
        Notice,
        NoticeAttachment,
        User,
    )
    from jipp.services.deliveries import acknowledgement_token
    from jipp.sitemaps import SITEMAPS

    operator = User.objects.get(username="operator")
    hub_admin = User.objects.get(username="hubadmin")
    ours = {operator.institution_id, hub_admin.institution_id}
    published = Innovation.objects.filter(state="published").order_by("pk")
    # One record of the operator's per state: a pending change first (the hub verifies and compares it),
    # then a returned one (the operator may change it).
    order = [("submitted", True), ("returned", False), ("draft", False), ("submitted", False), ("published", False)]
    records = {}
    for record in Innovation.objects.filter(institution=operator.institution).order_by("pk"):
        records.setdefault((record.state, record.revision_of_id is not None), record.slug)
    # The review page is addressed by its assignment (their numbers agree only in a fresh database).
    reviews = {}
    for review in Review.objects.select_related("assignment__reviewer").order_by(
        "-assignment__stage__edition__year", "pk"
    ):
        reviews.setdefault(review.assignment.reviewer.username, review.assignment_id)
    # The operator's entry (2026, in evaluation), then the 2025 winner (certificate, published outcome).
    entries = [
        Entry.objects.get(institution=operator.institution).pk,
        Certificate.objects.earliest("pk").entry_id,
    ]
    # One replication per status, the operator's or the hub's first.
    replications = {}
    for replication in sorted(
        Replication.objects.select_related("origin"),
        key=lambda r: (not ours & {r.institution_id, r.origin.institution_id}, r.pk),
    ):
        replications.setdefault(replication.status, replication.pk)
    # The notice with an attachment in the operator's inbox, then one in the hub's.
    inbox = [
        Delivery.objects.filter(channel="inbox", institution=operator.institution).latest("pk").pk,
        Delivery.objects.filter(channel="inbox", institution=hub_admin.institution).latest("pk").pk,
    ]
    years = list(Edition.objects.order_by("-year").values_list("year", flat=True))
    return {
        ("hub", "slug"): list(Hub.objects.values_list("slug", flat=True)),
        ("inovasi", "slug"): [
            published.filter(replications__isnull=False).first().slug,
            published.filter(replicated_from__isnull=False).first().slug,
        ],
        ("kelola", "slug"): [records[key] for key in order if key in records],
        ("keberlanjutan", "slug"): [records.get(("published", False)) or published.first().slug],
        ("baru", "slug"): [published.exclude(institution=operator.institution).first().slug],
        ("replikasi", "pk"): list(replications.values()),
        ("impor", "pk"): list(ImportBatch.objects.values_list("pk", flat=True)),
        ("kelola", "year"): years,
        ("kipp", "year"): sorted(years),  # the closed edition first: its results are published
        ("tahapan", "kind"): list(SCORING_KINDS),
        ("keputusan", "kind"): ["finalist_decision", "final_decision"],
        ("peserta", "pk"): entries,
        ("penugasan", "pk"): entries,
        ("penilaian", "pk"): [reviews["reviewer"], reviews["panelist"]],
        ("keberatan", "number"): [1],
        ("keberatan", "pk"): list(Objection.objects.values_list("pk", flat=True)),
        ("sertifikat", "code"): list(Certificate.objects.values_list("code", flat=True)[:1]),
        ("kotak-masuk", "pk"): inbox,
        ("bukti", "pk"): list(Evidence.objects.values_list("pk", flat=True)),
        ("lampiran", "attachment"): [
            *ActivityAttachment.objects.values_list("pk", flat=True),
            *NoticeAttachment.objects.values_list("pk", flat=True),
        ],
        ("konfirmasi", "token"): [acknowledgement_token(Delivery.objects.filter(channel="email").earliest("pk"))],
        ("anggota", "pk"): list(Membership.objects.order_by("pk").values_list("pk", flat=True)[:1]),
        ("kontak", "pk"): list(MembershipContact.objects.order_by("pk").values_list("pk", flat=True)[:1]),
        # A past activity (minutes, attendance) and a coming one.
        ("kegiatan", "pk"): list(Activity.objects.order_by("starts_at").values_list("pk", flat=True)),
        # The latest sent notice (its deliveries), then a draft (its form).
        ("pemberitahuan", "pk"): [
            Notice.objects.filter(status="sent").latest("sent_at").pk,
            Notice.objects.filter(status="draft").earliest("pk").pk,
        ],
        # The draft (a form for the hub) and the last submitted one.
        ("kematangan", "year"): list(MaturityAssessment.objects.order_by("-year").values_list("year", flat=True)[:2]),
        # A section of sitemap.xml (an index of them once the addresses no longer fit in one file).
        ("sitemap-", "section"): list(SITEMAPS)[:1],
        # An unknown link: Django's "invalid link" page (a valid one redirects to a URL of its own).
        ("reset", "uidb64"): ["MA"],
        ("reset", "token"): ["not-a-token"],
    }


def candidate_urls(pattern: Pattern, values: dict[tuple[str, str], list]) -> list[str]:
    from django.urls import reverse
    from django.utils import translation

    parameters = pattern.parameters
    choices = [
        values.get((segment, name)) or [PLACEHOLDER.get(converter, "x")] for segment, name, converter in parameters
    ]
    urls = []
    with translation.override("id"):
        for combination in islice(product(*choices), MAX_COMBINATIONS):
            kwargs = {name: value for (_segment, name, _converter), value in zip(parameters, combination, strict=True)}
            urls.append(reverse(pattern.name, kwargs=kwargs))
    return list(dict.fromkeys(urls))  # an activity's and a notice's attachment may share a number


def answers(client, urls: list[str]) -> list[Answer]:
    """The pages these URLs answer the client, or what the pattern is instead of a page (refusals and
    redirects give nothing)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("id"):
        login = reverse("login")
    pages = []
    refused = 0
    for url in urls:
        response = client.get(url)
        if response.status_code == 405:
            return [Answer("action", url)]
        if response.status_code == 302 and urlsplit(response.url).path == login:
            break  # whatever the object, this role must sign in first
        if response.status_code != 200:
            refused += 1
            if refused == 2:
                break  # refused twice in a row: the candidates that a role may open come first
            continue
        refused = 0
        if not response["Content-Type"].startswith("text/html"):
            return [Answer("data", url)]
        if b"<html" not in response.content[:500].lower():
            return [Answer("fragment", url)]
        pages.append(Answer("page", url, frozenset(template.name for template in response.templates)))
    return pages


def public_pages(found: dict[str, list[Answer]]) -> set[str]:
    """The patterns that answer a visitor who is not signed in with a page."""
    return {name for name, answers in found.items() if answers and answers[0].kind == "page"}


def pages_of(site: Site, role: str) -> list[tuple[str, str]]:
    """(name, url) of each rendering this role meets: a pattern's first page, and the next candidates
    that render other templates (another state of the record, a panel for this role...). A signed-in
    role skips the public pages, but for those that show staff more."""
    public = public_pages(site.found["anonymous"])
    pages = []
    for name, found in site.found[role].items():
        if role != "anonymous" and name in public and name not in SIGNED_IN_VIEWS_OF_PUBLIC_PAGES:
            continue
        seen = set()
        for page in found:
            if page.kind == "page" and page.templates not in seen:
                seen.add(page.templates)
                pages.append((name, page.url))
    return pages


def photo(name: str) -> SimpleUploadedFile:
    from PIL import Image

    content = BytesIO()
    Image.new("RGB", (64, 48), "teal").save(content, "PNG")
    return SimpleUploadedFile(name, content.getvalue(), content_type="image/png")


def add_what_the_demo_lacks():
    """Files and objects the demo has none of, so that their pages and panels show: a photo on the
    operator's returned record, an import batch (a file with a wrong row), a notice with an attachment
    sent to the operator's institution, a draft notice, an attachment to the past activity and a draft
    maturity self-assessment (the demo's are submitted, so read-only)."""
    from innovations.models import Innovation
    from innovations.services.evidence import evidence_add
    from innovations.services.imports import import_batch_create, import_batch_run
    from jipp.models import Activity, Hub, MaturityAssessment, Notice, User
    from jipp.services.activities import activity_attachment_add
    from jipp.services.maturity import assessment_start
    from jipp.services.notices import NoticeData, notice_create, notice_send
    from tests.innovations.factories_network import import_csv

    hub_admin = User.objects.get(username="hubadmin")
    operator = User.objects.get(username="operator")
    hub = Hub.objects.get()
    returned = Innovation.objects.filter(institution=operator.institution, state="returned").earliest("pk")
    evidence_add(innovation=returned, by=operator, upload=photo("posyandu.png"), caption="Kegiatan posyandu")
    batch = import_batch_create(
        name="inovasi.csv", content=import_csv([{"judul": "Posyandu Digital", "jenis": "aneh"}]), by=hub_admin
    )
    import_batch_run(batch_id=batch.pk)
    invitation = NoticeData(
        subject="Undangan Pembinaan Inovasi",
        body="Mohon hadir **tepat waktu**.",
        audience=Notice.Audience.INSTITUTIONS,
        institutions=[operator.institution],
    )
    notice = notice_create(hub=hub, data=invitation, attachments=[photo("denah.png")], by=hub_admin)
    notice_send(notice=notice, by=hub_admin)
    notice_create(hub=hub, data=NoticeData(subject="Rapat Koordinasi", body="Draf."), by=hub_admin)
    past = Activity.objects.filter(hub=hub).earliest("starts_at")
    activity_attachment_add(activity=past, upload=photo("foto.png"), caption="Foto kegiatan", by=hub_admin)
    assessment_start(hub=hub, year=MaturityAssessment.objects.latest("year").year + 1, by=hub_admin)


@pytest.fixture
def _media_root():
    """The module's files (what add_what_the_demo_lacks uploads) stay where the `site` fixture put them,
    instead of moving to tests/conftest.py's fresh folder per test."""


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client, override_settings
    from django.urls import reverse
    from pytest_django.live_server_helper import LiveServer

    from jipp.celery import app
    from jipp.demo import DEMO_PASSWORD

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    eager = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    server = None
    with django_db_blocker.unblock():
        try:
            load_reference_data()  # a flush by an earlier test on this worker may have removed it
            call_command("seed_demo", stdout=StringIO())
            add_what_the_demo_lacks()
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            clients = {role: Client() for role in ROLES}
            for role, username in ROLES.items():
                if username:
                    # The sign-in form with the README's password; the browser gets the session cookie.
                    response = clients[role].post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
                    assert (role, response.status_code) == (role, 302)
            values = parameter_values()
            urls = {pattern.name: candidate_urls(pattern, values) for pattern in url_patterns()}
            # Here, not in the tests: a test's transaction would keep the rows some GETs write (an inbox
            # item read) locked against the live server's own connections on PostgreSQL.
            found = {"anonymous": {name: answers(clients["anonymous"], tried) for name, tried in urls.items()}}
            # A signed-in role skips the public pages (pages_of), so they are not requested for it.
            skipped = public_pages(found["anonymous"]) - SIGNED_IN_VIEWS_OF_PUBLIC_PAGES
            for role, client in clients.items():
                found.setdefault(
                    role, {name: answers(client, tried) for name, tried in urls.items() if name not in skipped}
                )
            sessions = {
                role: client.cookies[settings.SESSION_COOKIE_NAME].value
                for role, client in clients.items()
                if ROLES[role]
            }
            yield Site(server.url, sessions, urls, found)
        finally:
            app.conf.task_always_eager, app.conf.task_eager_propagates = eager
            if server:
                server._live_server_modified_settings.disable()
                # Not server.stop(): it ends the sharing of an in-memory SQLite connection that request
                # threads still close when the browser hangs up their connections afterwards.
                server.thread.terminate()
            call_command("flush", interactive=False, verbosity=0)
            # While Playwright's event loop runs, asgiref keeps this thread's connections apart from those
            # opened before it started; left open, they keep PostgreSQL from dropping the test database.
            connections.close_all()
            media.disable()


def test_every_url_pattern_is_a_page_or_says_why_not(site):
    rank = ["none", "fragment", "data", "action", "page"]
    best = dict.fromkeys(site.urls, "none")
    for role in ROLES:
        for name, found in site.found[role].items():
            for answer in found:
                # A page for one role wins over an action or a refusal for another.
                best[name] = max(best[name], answer.kind, key=rank.index)
    # Each is unreachable with the demo's parameters (give them values in parameter_values) or not a
    # page (name it in NOT_PAGES with the reason).
    assert {name: site.urls[name] for name, kind in best.items() if kind in ("none", "fragment")} == {}


def test_not_pages_name_existing_url_patterns():
    from django.urls import get_resolver

    names = set()

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            else:
                names.add(f"{namespace}{entry.name}")

    walk(get_resolver())
    assert sorted(set(NOT_PAGES) - names) == []


AXE_SCRIPT = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")
AXE_RUN = "axe.run(document, {resultTypes: ['violations']})"
# Colour contrast is most of axe's time. The phone's stylesheet changes no colour but the menu toggle's
# (test_phone_styles_change_no_colour_but_the_menu_toggles guards that), so at 360 px it is checked on a
# role's first page, where the toggle shows, and every other rule on every page.
AXE_RUN_WITHOUT_CONTRAST = (
    "axe.run(document, {resultTypes: ['violations'], rules: {'color-contrast': {enabled: false}}})"
)
CSS = Path(__file__).resolve().parents[2] / "static" / "css"


def open_page(browser, site: Site, role: str):
    """A tab signed in as `role`; `page.problems` collects requests to another host, console errors (a
    blocked resource, a CSP violation) and uncaught script errors."""
    from django.conf import settings

    context = browser.new_context(viewport=viewport(WIDTHS[0]), locale="id-ID")
    context.set_default_timeout(15_000)
    if session := site.sessions.get(role):
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site.url}])
    # Before each page's own scripts: axe is then one evaluate away, whatever the page's CSP says.
    context.add_init_script(path=str(AXE_SCRIPT))
    page = context.new_page()
    page.problems = []
    own_host = urlsplit(site.url).netloc

    def watch(request):
        if request.url.startswith(("http://", "https://")) and urlsplit(request.url).netloc != own_host:
            page.problems.append(("request to another host", request.url))

    def listen(message):
        if message.type == "error" or "Content Security Policy" in message.text:
            page.problems.append(("console", message.text))

    page.on("request", watch)
    page.on("console", listen)
    page.on("pageerror", lambda error: page.problems.append(("script error", str(error))))
    return page


def viewport(width: int) -> dict[str, int]:
    return {"width": width, "height": 900}


def problems_at(page, width: int, *, contrast: bool = True) -> list:
    found = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"][:3]])
        for violation in page.evaluate(AXE_RUN if contrast else AXE_RUN_WITHOUT_CONTRAST)["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        found.append(("scrolls sideways", scroll_width))
    return found


def problems_of(page, url: str, *, phone_contrast: bool) -> dict[int, list]:
    """What is wrong with the page at each width (at the phone's, colour contrast only if
    `phone_contrast`). It is loaded once, at the first width, and the window is then narrowed, as the
    stylesheet's media queries follow the window: loading it again for the phone would double the
    suite's longest test."""
    page.problems.clear()
    page.set_viewport_size(viewport(WIDTHS[0]))
    response = page.goto(url)
    loading = [] if response.status == 200 else [("status", response.status)]
    # What a disclosure hides (a chart's table, the phone's filters) is read by axe only when open.
    page.eval_on_selector_all("details", "elements => elements.forEach(element => { element.open = true; })")
    found = {}
    for width in WIDTHS:
        page.set_viewport_size(viewport(width))
        found[width] = problems_at(page, width, contrast=width == WIDTHS[0] or phone_contrast)
    found[WIDTHS[0]] += loading + page.problems
    return found


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_role_is_accessible_offline_and_fits(browser, site, role):
    pages = pages_of(site, role)
    assert pages, f"{role} has no page"
    page = open_page(browser, site, role)
    try:
        problems = {
            (name, url, width): found
            for index, (name, url) in enumerate(pages)
            for width, found in problems_of(page, site.url + url, phone_contrast=index == 0).items()
        }
    finally:
        page.context.close()
    assert {key: found for key, found in problems.items() if found} == {}


def test_phone_styles_change_no_colour_but_the_menu_toggles():
    """The every-page test checks colour contrast at 360 px on one page per role only: that holds while
    the narrow-window rules of the stylesheets set no colour, background or opacity except the menu
    toggle's (which is in the header of every page)."""
    colour = re.compile(r"(?<![\w-])(color|background(-color|-image)?|opacity|filter)\s*:")
    coloured = []
    for stylesheet in sorted(CSS.glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", stylesheet.read_text(), flags=re.S)
        for query in re.finditer(r"@media[^{]*max-width[^{]*\{", text):
            depth, end = 1, query.end()
            while depth:
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                end += 1
            for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text[query.end() : end - 1]):
                if colour.search(body) and ".menu-toggle" not in selector:
                    coloured.append((stylesheet.name, selector.strip()))
    assert coloured == []
