"""The portal's demo with an object of each kind for two institutions, built once per test module:
what tests/test_url_matrix.py and tests/test_fuzz.py address."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

ROLES = ("anonymous", "operator_a", "operator_b", "hub_admin", "reviewer", "panelist", "ministry_admin")
USERNAMES = {
    "operator_a": "operator",
    "operator_b": "operator2",
    "hub_admin": "hubadmin",
    "reviewer": "reviewer",
    "panelist": "panelist",
    "ministry_admin": "ministry",
}
# Tables compared before and after a request that must change nothing.
APPS = ("jipp", "innovations", "catalog", "competitions")


def add_objects() -> SimpleNamespace:
    """What the URL patterns address, for institution A (the demo's `operator`) and B (`operator2`)."""
    from django.core.files.base import ContentFile

    from competitions.models import Certificate, Edition, Entry, EntryEvidence, Objection
    from innovations.models import Innovation, State
    from innovations.services.evidence import evidence_add, evidence_make_preview
    from innovations.services.imports import import_batch_create, import_batch_run
    from innovations.services.replication import replication_attach_agreement, replication_request
    from jipp.models import Activity, Delivery, Hub, MaturityAssessment, Membership, MembershipContact, Notice, User
    from jipp.services.activities import ActivityData, activity_attachment_add, activity_create
    from jipp.services.deliveries import acknowledgement_token, attachment_token
    from jipp.services.maturity import assessment_start
    from jipp.services.notices import NoticeData, notice_create, notice_send
    from tests.innovations.factories_network import import_csv, pdf_upload
    from tests.innovations.factories_workflow import InnovationFactory, SubmittedInnovationFactory, image_file, pdf_file

    users = {role: User.objects.get(username=username) for role, username in USERNAMES.items()}
    hub_admin = users["hub_admin"]
    institutions = {"A": users["operator_a"].institution, "B": users["operator_b"].institution}
    operators = {"A": users["operator_a"], "B": users["operator_b"]}
    hub = Hub.objects.get()
    o = SimpleNamespace(users=users, hub=hub, institutions=institutions)

    def own(state: str, variant: str) -> Innovation:
        return Innovation.objects.filter(
            institution=institutions[variant], state=state, revision_of__isnull=True
        ).earliest("pk")

    o.draft = {variant: own(State.DRAFT, variant) for variant in "AB"}
    o.published = {variant: own(State.PUBLISHED, variant) for variant in "AB"}
    o.record = {**o.draft, "published": o.published["A"]}
    o.archived = {
        variant: InnovationFactory(
            institution=institutions[variant], state=State.ARCHIVED, slug=f"arsip-{variant.lower()}"
        )
        for variant in "AB"
    }
    o.submitted = {
        variant: SubmittedInnovationFactory(institution=institutions[variant], slug=f"terkirim-{variant.lower()}")
        for variant in "AB"
    }
    # A published record of neither institution, which each may ask to replicate.
    third = Innovation.objects.filter(state=State.PUBLISHED).exclude(institution__in=institutions.values()).first()
    o.foreign = {"A": third, "B": third}
    o.document, o.photo = {}, {}
    for variant in "AB":
        o.document[variant] = evidence_add(
            innovation=o.draft[variant], by=operators[variant], upload=pdf_file(), caption="Dokumen"
        )
        o.photo[variant] = evidence_add(
            innovation=o.draft[variant], by=operators[variant], upload=image_file(size=(64, 48)), caption="Foto"
        )
        evidence_make_preview(evidence_id=o.photo[variant].pk)
    o.replication = {}
    for variant in "AB":
        replication = replication_request(origin=third, by=operators[variant])
        o.replication[variant] = replication_attach_agreement(
            replication=replication, by=operators[variant], document=pdf_upload()
        )
    batch = import_batch_create(
        name="inovasi.csv", content=import_csv([{"judul": "Posyandu Digital", "jenis": "aneh"}]), by=hub_admin
    )
    import_batch_run(batch_id=batch.pk)
    o.batch = {"": batch}

    o.open_edition = Edition.objects.get(year=2026)
    o.edition = {"open": o.open_edition, "closed": Edition.objects.get(year=2025)}
    o.entry = {
        variant: Entry.objects.get(edition=o.open_edition, institution=institutions[variant]) for variant in "AB"
    }
    o.entry_evidence = {}
    for variant in "AB":
        evidence = EntryEvidence(
            entry=o.entry[variant],
            kind="document",
            caption="Bukti",
            original_name="bukti.pdf",
            content_type="application/pdf",
            size=len(pdf_upload().read()),
        )
        evidence.file.save("bukti.pdf", ContentFile(pdf_upload().read()), save=True)
        o.entry_evidence[variant] = evidence
    # The reviewer's own assignment (on A's entry); another reviewer's (on B's entry).
    o.assignment = {
        "A": o.entry["A"].assignments.get(reviewer=users["reviewer"]),
        "B": o.entry["B"].assignments.exclude(reviewer=users["reviewer"]).earliest("pk"),
    }
    o.objection = {"": Objection.objects.get()}
    o.certificate = {"": Certificate.objects.get()}

    invitation = NoticeData(
        subject="Undangan Pembinaan Inovasi",
        body="Mohon hadir.",
        audience=Notice.Audience.INSTITUTIONS,
        institutions=list(institutions.values()),
    )
    notice = notice_create(hub=hub, data=invitation, attachments=[image_file("denah.png", size=(8, 8))], by=hub_admin)
    notice_send(notice=notice, by=hub_admin)
    o.notice = {"sent": notice, "draft": Notice.objects.get(status=Notice.Status.DRAFT)}
    o.notice_attachment = notice.attachments.get()
    o.inbox = {
        variant: Delivery.objects.get(notice=notice, channel="inbox", institution=institutions[variant])
        for variant in "AB"
    }
    emails = {
        variant: Delivery.objects.filter(notice=notice, channel="email", institution=institutions[variant]).first()
        for variant in "AB"
    }
    o.ack_token = {variant: acknowledgement_token(emails[variant]) for variant in "AB"}
    o.attachment_token = {variant: attachment_token(emails[variant], o.notice_attachment) for variant in "AB"}
    o.membership = {variant: Membership.objects.get(hub=hub, institution=institutions[variant]) for variant in "AB"}
    o.contact = {}
    for variant in "AB":
        contact = MembershipContact.objects.filter(membership=o.membership[variant]).first()
        if contact is None:
            contact = MembershipContact.objects.create(
                membership=o.membership[variant], name="Kontak Uji", email=f"kontak{variant}@example.go.id"
            )
        o.contact[variant] = contact
    activities = Activity.objects.filter(hub=hub).order_by("starts_at")
    o.activity = {"past": activities.first(), "coming": activities.last()}
    # A clinic only A is invited to: its minutes and files are not B's to see.
    clinic = ActivityData(
        kind=Activity.Kind.REPLICATION_CLINIC,
        title="Klinik Replikasi Majene",
        description="",
        starts_at=o.activity["past"].starts_at,
        ends_at=o.activity["past"].ends_at,
        mode=Activity.Mode.ON_SITE,
        place="Majene",
        link="",
    )
    o.activity["A"] = activity_create(hub=hub, data=clinic, invited=[institutions["A"]], by=hub_admin)
    o.activity_attachment = {
        variant: activity_attachment_add(
            activity=o.activity[variant], upload=image_file("foto.png", size=(8, 8)), caption="Foto", by=hub_admin
        )
        for variant in ("past", "A")
    }
    submitted = MaturityAssessment.objects.filter(hub=hub).latest("year")
    answer = submitted.answers.earliest("pk")
    answer.evidence.save("bukti.pdf", ContentFile(pdf_upload().read()), save=False)
    answer.evidence_name = "bukti.pdf"
    answer.save()
    o.maturity = {"submitted": submitted, "draft": assessment_start(hub=hub, year=submitted.year + 1, by=hub_admin)}
    o.maturity_answer = answer
    from jipp.sitemaps import SITEMAPS

    o.sitemap_section = next(iter(SITEMAPS))
    return o


@contextmanager
def demo_scene(django_db_blocker, media_root: Path) -> Iterator[SimpleNamespace]:
    """The demo and add_objects, written inside the caller's transaction (a module-scoped fixture that
    depends on tests/conftest.py's `module_data`), with each role's session; files under `media_root`,
    tasks run in-process, PDFs not drawn."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client, TestCase, override_settings

    from jipp.celery import app

    media = override_settings(MEDIA_ROOT=media_root)
    media.enable()
    eager = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    pdf = pytest.MonkeyPatch()
    # Who may download a PDF is the question here; WeasyPrint's drawing is tests/catalog/test_pdf.py's.
    pdf.setattr("catalog.views.html_to_pdf", lambda html, base_url: b"%PDF-1.7\n")
    pdf.setattr("competitions.services.certificates.html_to_pdf", lambda html, base_url: b"%PDF-1.7\n")
    try:
        with django_db_blocker.unblock():
            cache.clear()  # the API's throttle counts anonymous requests in the cache
            # The module's transaction never commits: what the demo and add_objects leave for after the
            # commit (deliveries, previews, the search vocabulary) runs when the block ends.
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", stdout=StringIO())
                objects = add_objects()
            sessions = {"anonymous": None}
            for role, user in objects.users.items():
                client = Client()
                client.force_login(user)
                sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            objects.sessions = sessions
        yield objects
    finally:
        pdf.undo()
        app.conf.task_always_eager, app.conf.task_eager_propagates = eager
        media.disable()


def client_of(objects: SimpleNamespace, role: str):
    """A fresh client per request: a logout by one test cannot sign the role out for the next."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    if session := objects.sessions[role]:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


def fingerprint(*, by_table: bool = False) -> Any:
    """Row count, highest key and latest change of every table of the portal's apps, in one query;
    by_table: as a dict of the models' labels."""
    from django.db import connection

    query, labels = _fingerprint_query()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Planning some 150 subqueries was most of the query's 8 ms, and the suite asks it about
            # 2,000 times: prepared once per connection, PostgreSQL keeps the plan (it survives the
            # tests' rollbacks, not a new connection).
            cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = 'jipp_fingerprint'")
            if cursor.fetchone() is None:
                cursor.execute("PREPARE jipp_fingerprint AS " + query)
            cursor.execute("EXECUTE jipp_fingerprint")
        else:
            cursor.execute(query)
        row = cursor.fetchone()
    if not by_table:
        return row
    found, start = {}, 0
    for label, width in labels:
        found[label] = row[start : start + width]
        start += width
    return found


@functools.cache
def _fingerprint_query() -> tuple[str, list[tuple[str, int]]]:
    from django.apps import apps
    from django.db import connection

    quote = connection.ops.quote_name
    labels, columns = [], []
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            parts = [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX({pk}) FROM {table})"]  # noqa: S608
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                parts.append(f"(SELECT MAX({quote('updated_at')}) FROM {table})")  # noqa: S608
            labels.append((model._meta.label, len(parts)))
            columns += parts
    return "SELECT " + ", ".join(columns), labels
