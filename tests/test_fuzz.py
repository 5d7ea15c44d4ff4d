"""Hostile input to every form, filter and API parameter, and hostile files to every upload.

Forms: each form page is read for its fields and the values it fills in, then Hypothesis posts, as the
role that may use it, either random and hostile values under those names (very long strings, control
characters and NUL, HTML and script, SQL, wrong types, negative and huge numbers, impossible dates,
digits of other scripts) or the page's own values with one or two typed fields made hostile (so that
the form accepts them and the hostile text is stored and shown). Filters: the same values as query
parameters of every list, search and API page. Each request must answer without a server error, never
carry a hostile tag unescaped in HTML (nor on the page an accepted form leads to), and a refused form
or a GET must change no row of the portal's tables.

Uploads: what tests elsewhere already prove is not repeated here (tests/innovations/test_views_evidence.py:
a program named .pdf, a file over the limit, a decompression-bomb photo, a PDF named .html;
tests/innovations/test_forms_evidence.py: an empty file among several; tests/innovations/
test_services_replication.py: a PNG named .pdf as an agreement; tests/jipp/test_services_activities.py:
a hub file of another type or too large; tests/innovations/test_services_imports.py: a sheet declaring a
million rows, a DOCTYPE); the rest is below.

The demo scene of tests/scene.py is built once for the module; each example runs in a savepoint that
is rolled back, so that examples do not see each other's writes.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.scene import client_of, demo_scene, fingerprint
from tests.test_url_matrix import URLS

FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,  # the same examples on every run and machine: a failure is reproducible
    # No shrinking: a failure is reported as found, in seconds rather than minutes of requests.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Hostile tags: none may reach a page as markup. The words inside say where they came from.
MARKUP = ("<script>fuzz()</script>", "<img src=x onerror=fuzz()>", "<svg onload=fuzz()>")
HOSTILE = [
    *MARKUP,
    '"><img src=x onerror=fuzz()>',
    "'><svg onload=fuzz()>",
    "javascript:fuzz()",
    "http://[::1",
    "https://[",
    "' OR '1'='1",
    "1; DROP TABLE jipp_user; --",
    "\x00",
    "nul\x00byte",
    "\x07\x1b[31m\x7f\x9b",
    "baris\x0bbaru\x0chalaman",
    "laporan\u202efdp.exe",
    "١٢٣٤",  # Arabic-Indic digits
    "２０２５",  # full-width digits
    "߀߁",  # NKo digits
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999999999999",
    "1e400",
    "NaN",
    "Infinity",
    "2025-02-30",
    "2025-13-01",
    "31/02/2025",
    "0000-00-00",
    "9999-99-99T99:99",
    "{{ request }}{% debug %}",
    "%(name)s%s%n",
    "../../etc/passwd",
    "😀" * 50,
    "x" * 20_000,
    "[]",
    '{"a": 1}',
    "true",
    " ",
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.tuples(st.text(max_size=10), st.sampled_from(MARKUP)).map("".join),
)
# Typed text that a form may well accept (short enough, no control character it would remove).
TYPED = st.one_of(
    st.sampled_from([*MARKUP, "' OR '1'='1", "1; DROP TABLE jipp_user; --", "{{ request }}", "laporan\u202efdp.exe"]),
    st.tuples(st.sampled_from(["Layanan ", "Inovasi ", ""]), st.sampled_from(MARKUP)).map("".join),
)
LEFT_ALONE = {"csrfmiddlewaretoken", "language", "next"}  # the page's sign-out and language forms


@pytest.fixture
def _media_root():
    """The module's files stay where `scene` put them."""


@pytest.fixture(scope="module")
def scene(module_data, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with demo_scene(django_db_blocker, media) as objects:
        objects.media = media
        yield objects


# Addresses the matrix's rows do not give: a rubric still open to changes (its stage has not opened).
FORM_KWARGS = {
    ("competitions:stage_rubric", "presentation"): lambda scene: {
        "year": scene.open_edition.year,
        "kind": "presentation",
    },
}
# Forms without a page of their own (the language switch of every page), or shown only in some states
# (the objection form, while the window for objections is open; the demo's is closed): posted all the same.
FORM_FIELDS = {
    "set_language": ["language", "next"],
    "competitions:objection_create": ["name", "email", "phone", "text"],
}


def url_of(scene, name: str, variant: str) -> str:
    build = FORM_KWARGS.get((name, variant)) or (lambda scene: URLS[name].kwargs(scene, variant))
    kwargs = build(scene)
    with translation.override("id"):
        return reverse(name, kwargs=kwargs)


class FormReader(HTMLParser):
    """A page's form fields: their names, which take several choices, which take typed text, and the
    values the page fills in (what a person submitting it unchanged would send). Files (the upload
    tests') and the page's shell forms (sign-out, language) are left out."""

    TEXT_TYPES = {"text", "email", "url", "search", "tel", "number", "date", "datetime-local", "time", None}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.names: list[str] = []
        self.several: set[str] = set()
        self.texts: set[str] = set()
        self.values: dict[str, Any] = {}
        self._select: tuple[str, bool] | None = None
        self._textarea: str | None = None
        self.feed(html)

    def _add(self, name: str, value: Any = None, *, several: bool = False) -> None:
        if name not in self.names:
            self.names.append(name)
        if several:
            self.several.add(name)
            if value is not None:
                self.values.setdefault(name, []).append(value)
        elif value is not None:
            self.values[name] = value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name")
        if tag == "option" and self._select is not None and "selected" in found:
            select, several = self._select
            self._add(select, found.get("value") or "", several=several)
        if not name or name in LEFT_ALONE:
            return
        kind = found.get("type")
        if tag == "input" and kind != "file":
            if kind in ("checkbox", "radio"):
                self._add(name, found.get("value", "on") if "checked" in found else None, several=kind == "checkbox")
            else:
                self._add(name, found.get("value", ""))
                if kind in self.TEXT_TYPES:
                    self.texts.add(name)
        elif tag == "select":
            several = "multiple" in found
            self._add(name, None, several=several)
            self._select = (name, several)
        elif tag == "textarea":
            self._add(name, "")
            self.texts.add(name)
            self._textarea = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def sqlite_safe(value: Any) -> Any:
    """SQLite cannot compare a whole number beyond 64 bits, and Django's multiple-choice field sends
    the numbers it is given into a query (`pk__in`) unchecked: an OverflowError there, on the
    development database only (PostgreSQL answers "no such choice"). Such numbers go to the other
    fields only."""
    if isinstance(value, list):
        return [sqlite_safe(item) for item in value]
    text = value.strip().lstrip("+-")
    return "-1" if text.isascii() and text.isdigit() and int(text) >= 2**63 else value


def unescaped_markup(response) -> list[str]:
    """Hostile tags a browser would run in the response. JSON and CSV are data: a tag in them is text
    (the API's error messages quote a refused value)."""
    if response.get("Content-Type", "").startswith(("application/json", "text/csv")):
        return []
    text = response.content.decode("utf-8", "replace")
    return [tag for tag in MARKUP if tag in text] + (["javascript: link"] if 'href="javascript:' in text else [])


def form_values(form: FormReader) -> st.SearchStrategy[dict[str, Any]]:
    """Either hostile values for some fields, or the page's own values with one or two typed fields
    made hostile: a form the page fills in is often valid, so the hostile text is stored and shown."""
    from django.db import connection

    def value(name: str) -> st.SearchStrategy[Any]:
        found = st.one_of(VALUES, st.lists(VALUES, min_size=1, max_size=3))
        return found.map(sqlite_safe) if name in form.several and connection.vendor == "sqlite" else found

    anything = st.fixed_dictionaries({}, optional={name: value(name) for name in form.names})
    if not form.texts:
        return anything
    edits = st.dictionaries(st.sampled_from(sorted(form.texts)), TYPED, min_size=1, max_size=2)
    return st.one_of(anything, edits.map(lambda changed: {**form.values, **changed}))


# --- Forms --------------------------------------------------------------------------------------------

# (URL name, role that may use the form, variant of tests/test_url_matrix.py's URLS)
FORMS = [
    ("login", "anonymous", ""),
    ("set_language", "anonymous", ""),
    ("password_reset", "anonymous", ""),
    ("password_change", "operator_a", ""),
    ("innovations:create", "operator_a", ""),
    ("innovations:edit", "operator_a", "A"),
    ("innovations:sustainability", "operator_a", "A"),
    ("innovations:replication_create", "operator_a", "B"),
    ("innovations:return", "hub_admin", "A"),
    ("innovations:import_list", "hub_admin", ""),
    ("competitions:edition_create", "ministry_admin", ""),
    ("competitions:edition_edit", "ministry_admin", ""),
    ("competitions:edition_stages", "ministry_admin", ""),
    ("competitions:stage_rubric", "ministry_admin", "presentation"),
    ("competitions:entry_create", "operator_a", ""),
    ("competitions:entry_select", "ministry_admin", "A"),
    ("competitions:entry_assignments", "ministry_admin", "A"),
    ("competitions:review", "reviewer", "A"),
    ("competitions:decision_stage", "ministry_admin", ""),
    ("competitions:objection_create", "anonymous", ""),
    ("competitions:objection_answer", "ministry_admin", ""),
    ("jipp:membership_add", "hub_admin", ""),
    ("jipp:membership_detail", "hub_admin", "A"),
    ("jipp:contact_add", "hub_admin", "A"),
    ("jipp:contact_edit", "hub_admin", "A"),
    ("jipp:activity_create", "hub_admin", ""),
    ("jipp:activity_edit", "hub_admin", "coming"),
    ("jipp:activity_report", "hub_admin", "past"),
    ("jipp:notice_create", "hub_admin", ""),
    ("jipp:notice_edit", "hub_admin", "draft"),
    ("jipp:notice_settings", "hub_admin", ""),
    ("jipp:maturity_assessment", "hub_admin", "draft"),
]
# What the fuzzing found answering 500 (fixed since): an unclosed "[" in a link (urlsplit's "Invalid
# IPv6 URL") in the record's video link and the language switch's return address.
BROKE = {
    "innovations:edit": [{"video_url": "https://["}],
    "set_language": [{"language": "en", "next": "http://[::1"}],
}
# Writes a refused form may make: a failed sign-in is audited (and counted by axes, outside these apps).
EXPECTED_WRITES = {"login": {"jipp.AuditEvent"}}


def test_fuzzed_forms_are_every_form_page_of_the_matrix():
    """A form page added to the matrix with a POST row is fuzzed too, or named here as an action."""
    actions = {name for name, row in URLS.items() if row.post and "405" in " ".join(row.get.values())}
    not_forms = {
        "logout",
        "set_language",
        "jipp:inbox_detail",  # its only form is the acknowledgement button (an action)
        "innovations:evidence_add",  # a file upload: the upload tests below
    }
    posted_pages = {name for name, row in URLS.items() if row.post} - actions - not_forms
    assert sorted(posted_pages - {name for name, _role, _variant in FORMS}) == []


@pytest.mark.parametrize(("name", "role", "variant"), FORMS, ids=[name for name, _r, _v in FORMS])
def test_form_survives_hostile_input(scene, db, name, role, variant):
    url = url_of(scene, name, variant)
    if name in FORM_FIELDS:
        form = FormReader("".join(f'<input name="{field}">' for field in FORM_FIELDS[name]))
    else:
        page = client_of(scene, role).get(url)
        form = FormReader(page.content.decode())
        assert (page.status_code, bool(form.names)) == (200, True)

    def post(values: dict[str, Any]) -> None:
        client = client_of(scene, role)
        with transaction.atomic():
            before = fingerprint(by_table=True)
            response = client.post(url, values)
            problems = unescaped_markup(response)
            changed = set()
            if response.status_code == 302:
                # Accepted: what was stored shows on the page the form leads to.
                problems += unescaped_markup(client.get(response["Location"]))
            else:
                after = fingerprint(by_table=True)
                changed = {table for table in after if after[table] != before[table]}
                changed -= EXPECTED_WRITES.get(name, set())
            transaction.set_rollback(True)
        assert (values, response.status_code < 500, problems, changed) == (values, True, [], set())

    # The examples that once broke the form first, as Hypothesis's @example would (the strategy is only
    # known once the page is read, so the test is built here).
    for values in BROKE.get(name, []):
        post(values)
    FUZZ(given(form_values(form))(post))()


@pytest.mark.parametrize(
    ("name", "role", "variant", "prefix"),
    [
        ("innovations:create", "operator_a", "", "awards"),
        ("competitions:stage_rubric", "ministry_admin", "presentation", "criteria"),
    ],
    ids=["record-awards", "rubric-criteria"],
)
def test_formset_claiming_thousands_of_rows_builds_at_most_its_limit(scene, db, name, role, variant, prefix):
    """Found by the fuzzing: a POST claiming 1,000 rows had Django build and render them all (seconds of
    a worker, 1.5 MB of page) until absolute_max capped the formsets at their 30 rows."""
    response = client_of(scene, role).post(
        url_of(scene, name, variant), {f"{prefix}-TOTAL_FORMS": "1000", f"{prefix}-INITIAL_FORMS": "0"}
    )
    rows = set(re.findall(rf'name="{prefix}-(\d+)-', response.content.decode()))
    assert (response.status_code, len(rows) <= 31) == (422, True)


# --- Filters and query parameters ---------------------------------------------------------------------

# (URL name, role, variant): lists, searches and the API.
FILTERED = [
    ("catalog:list", "anonymous", ""),
    ("catalog:statistics", "anonymous", ""),
    ("catalog:statistics_csv", "anonymous", ""),
    ("catalog:feed", "anonymous", ""),
    ("api:innovation-list", "anonymous", ""),
    ("api:institution-list", "anonymous", ""),
    ("api:region-list", "anonymous", ""),
    ("competitions_api:editions", "anonymous", ""),
    ("competitions:certificate_verify", "anonymous", ""),
    ("audit_log", "hub_admin", ""),
    ("innovations:list", "operator_a", ""),
    ("innovations:similar", "operator_a", ""),
    ("innovations:replication_list", "operator_a", ""),
    ("competitions:entry_list", "ministry_admin", ""),
    ("competitions:selection", "ministry_admin", ""),
    ("competitions:stage_scores", "ministry_admin", ""),
    ("competitions:edition_audit", "ministry_admin", ""),
    ("jipp:membership_list", "hub_admin", ""),
    ("jipp:notice_detail", "hub_admin", "sent"),
    ("jipp:notice_create", "hub_admin", ""),
]
# Every query parameter a view of the portal reads (catalog/filters.py, catalog/api.py, the views).
PARAMETERS = [
    *("q", "search", "region", "year", "stage", "kind", "form", "category", "sdg", "award", "replicated"),
    *("sustainability", "sort", "ordering", "page", "page_size", "format", "separator", "action", "address"),
    *("since", "until", "state", "status", "code", "flagged", "semua", "template", "check", "title"),
]


@pytest.mark.parametrize(("name", "role", "variant"), FILTERED, ids=[name for name, _r, _v in FILTERED])
def test_filter_survives_hostile_parameters(scene, db, name, role, variant):
    url = url_of(scene, name, variant)

    @FUZZ
    @given(st.dictionaries(st.sampled_from(PARAMETERS), VALUES, min_size=1, max_size=6), st.booleans())
    @example({"q": "x" * 20_000, "page": "99999999999999999999"}, False)
    @example({"page_size": "١٠", "year": "２０２５", "region": "\x00"}, True)
    # Found by the fuzzing on PostgreSQL: the audit log's address filter compared its inet column with any
    # text (DataError, 500).
    @example({"address": "<script>fuzz()</script>"}, False)
    def query(parameters, htmx):
        client = client_of(scene, role)
        with transaction.atomic():
            before = fingerprint()
            response = client.get(url, parameters, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
            changed = fingerprint() != before
            transaction.set_rollback(True)
        assert (response.status_code < 500, unescaped_markup(response), changed) == (True, [], False)

    query()


# --- Uploads ------------------------------------------------------------------------------------------


def stored_files(scene) -> set[str]:
    return {str(path.relative_to(scene.media)) for path in Path(scene.media).rglob("*") if path.is_file()}


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n", "application/pdf")


def png(name: str) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


@cache
def zip_bomb(part: str, megabytes: int) -> bytes:
    """An Office document whose one part inflates from a few hundred kilobytes to `megabytes`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, b" " * (megabytes * 1024 * 1024))
    return buffer.getvalue()


REFUSED_TYPE = "Its content was checked, not its name"


def evidence_upload(scene, upload: SimpleUploadedFile):
    """The upload on A's draft by its operator, in English; the response and the evidence it added."""
    from innovations.models import Evidence

    draft = scene.draft["A"]
    before = set(Evidence.objects.filter(innovation=draft).values_list("pk", flat=True))
    with translation.override("en"):
        url = reverse("innovations:evidence_add", kwargs={"slug": draft.slug})
    response = client_of(scene, "operator_a").post(url, {"file": upload, "caption": "Bukti"})
    return response, list(Evidence.objects.filter(innovation=draft).exclude(pk__in=before))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("halaman.html", b"<!doctype html><script>fuzz()</script>", "text/html"), REFUSED_TYPE),
        (
            SimpleUploadedFile(
                "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>fuzz()</script></svg>', "image/svg+xml"
            ),
            REFUSED_TYPE,
        ),
        (SimpleUploadedFile("kosong.pdf", b"", "application/pdf"), "The submitted file is empty."),
    ],
    ids=["html", "svg-with-script", "empty"],
)
def test_evidence_upload_refused_with_message_and_nothing_stored(scene, db, upload, message):
    files = stored_files(scene)
    response, added = evidence_upload(scene, upload)
    assert (response.status_code, message in response.content.decode(), added, stored_files(scene) - files) == (
        422,
        True,
        [],
        set(),
    )


@pytest.mark.parametrize(
    ("upload", "content_type", "download"),
    [
        (pdf("laporan.png"), "application/pdf", "laporan.pdf"),
        (png("foto.pdf"), "image/png", "foto.png"),
        (pdf("../../etc/laporan.pdf"), "application/pdf", "laporan.pdf"),
        (pdf("..\\..\\laporan.pdf"), "application/pdf", "laporan.pdf"),
    ],
    ids=["pdf-named-png", "png-named-pdf", "slashes", "backslashes"],
)
def test_evidence_upload_is_typed_and_named_by_its_content(scene, db, upload, content_type, download):
    response, added = evidence_upload(scene, upload)
    (evidence,) = added
    served = client_of(scene, "operator_a").get(reverse("innovations:evidence_file", kwargs={"pk": evidence.pk}))
    assert (
        response.status_code,
        evidence.content_type,
        Path(evidence.file.name).suffix,
        "/" in evidence.original_name or "\\" in evidence.original_name,
        f'filename="{download}"' in served["Content-Disposition"],
    ) == (302, content_type, Path(download).suffix, False, True)


def test_evidence_upload_of_docx_zip_bomb_is_never_inflated(scene, db):
    import tracemalloc

    bomb = SimpleUploadedFile("laporan.docx", zip_bomb("word/document.xml", 200), "application/octet-stream")
    tracemalloc.start()
    try:
        response, added = evidence_upload(scene, bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Stored as the uploaded bytes (the portal never opens a document's parts), without inflating it.
    assert (response.status_code, [e.size for e in added], peak < 20 * 1024 * 1024) == (302, [bomb.size], True)


def import_upload(scene, upload: SimpleUploadedFile):
    from innovations.models import ImportBatch, Innovation

    records = Innovation.objects.count()
    batches = set(ImportBatch.objects.values_list("pk", flat=True))
    with translation.override("en"):
        url = reverse("innovations:import_list")
        response = client_of(scene, "hub_admin").post(url, {"file": upload}, follow=True)
    return response, list(ImportBatch.objects.exclude(pk__in=batches)), Innovation.objects.count() - records


def test_import_of_xlsx_zip_bomb_fails_unread_with_message(scene, db):
    bomb = SimpleUploadedFile("inovasi.xlsx", zip_bomb("xl/worksheets/sheet1.xml", 80), "application/octet-stream")
    response, (batch,), created = import_upload(scene, bomb)
    assert (batch.status, created, "cannot be read as CSV (UTF-8) or XLSX" in response.content.decode()) == (
        "failed",
        0,
        True,
    )


def test_import_over_the_limit_refused_with_message(scene, db, monkeypatch):
    monkeypatch.setattr("innovations.forms.imports.MAX_FILE_BYTES", 64)
    upload = SimpleUploadedFile("inovasi.csv", b"judul\n" + b"Posyandu Digital\n" * 8, "text/csv")
    response, batches, created = import_upload(scene, upload)
    assert (batches, created, "The file is larger than 5 MB." in response.content.decode()) == ([], 0, True)


def test_import_of_empty_file_refused_with_message(scene, db):
    response, batches, created = import_upload(scene, SimpleUploadedFile("inovasi.csv", b"", "text/csv"))
    assert (batches, created, "The submitted file is empty." in response.content.decode()) == ([], 0, True)


# Files of the hub (notice attachments, activity attachments, maturity evidence) are downloaded under the
# uploader's name: its extension must be the content's, and direction marks must not disguise it.
HUB_FILE_NAMES = [
    (lambda: pdf("undangan.html"), "undangan.pdf"),
    (lambda: png("denah\u202egnp.exe"), "denahgnp.png"),
    (lambda: pdf("../../notulen.pdf"), "notulen.pdf"),
]
HUB_FILE_IDS = ["pdf-named-html", "right-to-left-mark", "slashes"]


def download_name(response) -> str:
    disposition = response["Content-Disposition"]
    found = re.search(r"filename\*=utf-8''([^;]+)", disposition) or re.search(r'filename="([^"]+)"', disposition)
    from urllib.parse import unquote

    return unquote(found.group(1))


@pytest.mark.parametrize(("upload", "expected"), HUB_FILE_NAMES, ids=HUB_FILE_IDS)
def test_notice_attachment_downloads_under_a_name_of_its_type(scene, db, upload, expected):
    from jipp.models import NoticeAttachment

    hub_admin = client_of(scene, "hub_admin")
    draft = scene.notice["draft"]
    response = hub_admin.post(
        url_of(scene, "jipp:notice_edit", "draft"),
        {
            "kind": draft.kind,
            "subject": draft.subject,
            "body": draft.body or "Isi.",
            "audience": draft.audience,
            "attachments": upload(),
        },
    )
    attachment = NoticeAttachment.objects.filter(notice=draft).latest("pk")
    served = hub_admin.get(
        reverse("jipp:notice_attachment", kwargs={"slug": scene.hub.slug, "pk": draft.pk, "attachment": attachment.pk})
    )
    assert (response.status_code, download_name(served)) == (302, expected)


@pytest.mark.parametrize(("upload", "expected"), HUB_FILE_NAMES, ids=HUB_FILE_IDS)
def test_activity_attachment_downloads_under_a_name_of_its_type(scene, db, upload, expected):
    from jipp.models import ActivityAttachment

    hub_admin = client_of(scene, "hub_admin")
    activity = scene.activity["past"]
    response = hub_admin.post(url_of(scene, "jipp:activity_attachment_add", "past"), {"file": upload()})
    attachment = ActivityAttachment.objects.filter(activity=activity).latest("pk")
    served = hub_admin.get(
        reverse(
            "jipp:activity_attachment",
            kwargs={"slug": scene.hub.slug, "pk": activity.pk, "attachment": attachment.pk},
        )
    )
    assert (response.status_code, download_name(served)) == (302, expected)


def test_maturity_evidence_downloads_under_a_name_of_its_type(scene, db):
    answer = scene.maturity_answer
    answer.evidence_name = "bukti\u202elmth.exe"  # shown as "buktiexe.html"
    answer.save(update_fields=["evidence_name"])
    served = client_of(scene, "hub_admin").get(
        reverse(
            "jipp:maturity_evidence",
            kwargs={"slug": scene.hub.slug, "year": scene.maturity["submitted"].year, "answer": answer.pk},
        )
    )
    assert download_name(served) == "buktilmth.pdf"
