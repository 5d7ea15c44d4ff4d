"""Entering an innovation through the pages, and the entries lists."""

import pytest
from django.urls import reverse
from django.utils import translation

from competitions.models import AuditRecord, Entry
from competitions.services.decisions import decisions_mark
from competitions.services.entries import entry_submit
from competitions.services.results import results_publish
from competitions.services.selection import entry_select
from innovations.models import Innovation
from tests.competitions.factories import EntryFactory, published_record
from tests.competitions.factories_results import ranked_edition
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def _en(name, **kwargs):
    with translation.override("en"):
        return reverse(f"competitions:{name}", kwargs=kwargs)


def test_entry_create_lists_only_the_institutions_published_records(client, operator, edition, record):
    published_record(InstitutionFactory(), title="Milik instansi lain")
    client.force_login(operator)
    response = client.get(reverse("competitions:entry_create", kwargs={"year": edition.year}))
    assert list(response.context["form"].fields["innovation"].queryset) == [record]


def test_entry_create_submits_and_shows_the_entry(client, operator, edition, record):
    client.force_login(operator)
    category = edition.categories.get(code=2)
    response = client.post(
        reverse("competitions:entry_create", kwargs={"year": edition.year}),
        {"innovation": record.pk, "group": "umum", "category": category.pk},
    )
    entry = Entry.objects.get()
    assert (response.status_code, response["Location"], entry.category, entry.group) == (
        302,
        reverse("competitions:entry_detail", kwargs={"pk": entry.pk}),
        category,
        "umum",
    )


def test_entry_create_refusal_says_why_and_keeps_the_choices(client, operator, edition, record):
    client.force_login(operator)
    category = edition.categories.get(code=2)
    response = client.post(
        _en("entry_create", year=edition.year), {"innovation": record.pk, "group": "replikasi", "category": category.pk}
    )
    form = response.context["form"]
    assert (
        response.status_code,
        Entry.objects.count(),
        form["group"].value(),
        str(form["category"].value()),
        "The replication group needs the record of the replicated innovation" in response.content.decode(),
    ) == (422, 0, "replikasi", str(category.pk), True)


def test_entry_create_another_institutions_record_is_not_a_choice(client, other_operator, edition, record):
    client.force_login(other_operator)
    response = client.post(
        _en("entry_create", year=edition.year),
        {"innovation": record.pk, "group": "umum", "category": edition.categories.get(code=1).pk},
    )
    assert (response.status_code, response.context["form"].errors["innovation"], Entry.objects.count()) == (
        422,
        ["Choose one of the listed innovations."],
        0,
    )


def test_entry_detail_shows_the_proposal_as_submitted(client, operator, edition, record):
    entry = entry_submit(
        by=operator, edition=edition, innovation=record, group="umum", category=edition.categories.get(code=1)
    )
    Innovation.objects.filter(pk=record.pk).update(title="Judul yang diubah kemudian")
    client.force_login(operator)
    content = client.get(reverse("competitions:entry_detail", kwargs={"pk": entry.pk})).content.decode()
    assert ("Layanan Kesehatan Keliling" in content, "Judul yang diubah kemudian" in content) == (True, False)


def _history(client, entry):
    response = client.get(_en("entry_detail", pk=entry.pk))
    return [(record.action, lines) for record, lines in response.context["history"]]


def test_entry_detail_history_keeps_scoring_and_decisions_from_the_entrant_until_published(
    client, operator, ministry_admin
):
    ranked = ranked_edition()
    entry = ranked.entries[0]
    Entry.objects.filter(pk=entry.pk).update(institution=operator.institution)
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[entry.pk], outcome="finalist")
    client.force_login(operator)
    before = _history(client, entry)
    results_publish(stage=ranked.finalist, by=ministry_admin)
    assert (before, _history(client, entry)) == ([], [(AuditRecord.Action.DECISION, [])])


def test_entry_detail_history_shows_the_entrant_the_selection_but_not_who_scores(client, operator, ministry_admin):
    ranked = ranked_edition()
    entry = ranked.entries[0]
    Entry.objects.filter(pk=entry.pk).update(institution=operator.institution, status=Entry.Status.SUBMITTED)
    entry_select(entry=entry, by=ministry_admin, passed=True)
    AuditRecord.objects.create(
        edition=ranked.edition, stage=ranked.desk, entry=entry, action=AuditRecord.Action.REVIEW_SUBMITTED, data={}
    )
    client.force_login(operator)
    assert _history(client, entry) == [(AuditRecord.Action.ADMIN_SELECTION, [])]


def test_entry_detail_history_shows_the_secretariat_what_each_decision_was(client, ministry_admin):
    ranked = ranked_edition()
    entry = ranked.entries[0]
    decisions_mark(stage=ranked.finalist, by=ministry_admin, entry_ids=[entry.pk], outcome="finalist", note="Rapat")
    client.force_login(ministry_admin)
    assert _history(client, entry) == [
        (
            AuditRecord.Action.DECISION,
            [("before", "—"), ("after", "outcome: Finalist; score: 90.0000; rank: 1"), ("note", "Rapat")],
        )
    ]


def test_entry_withdraw_view_withdraws(client, operator, edition, record):
    entry = entry_submit(
        by=operator, edition=edition, innovation=record, group="umum", category=edition.categories.get(code=1)
    )
    client.force_login(operator)
    client.post(reverse("competitions:entry_withdraw", kwargs={"pk": entry.pk}))
    entry.refresh_from_db()
    assert entry.status == Entry.Status.WITHDRAWN


def test_entry_list_operator_sees_own_institutions_entries_only(client, operator, edition):
    own = EntryFactory(edition=edition, institution=operator.institution)
    EntryFactory(edition=edition)
    client.force_login(operator)
    response = client.get(reverse("competitions:entry_list"))
    assert (list(response.context["entries"]), list(response.context["open_editions"])) == ([own], [edition])


def test_entry_list_filters_by_status(client, ministry_admin, edition):
    EntryFactory(edition=edition)
    failed = EntryFactory(edition=edition, status=Entry.Status.FAILED)
    client.force_login(ministry_admin)
    response = client.get(reverse("competitions:entry_list"), {"edition": edition.year, "status": "failed"})
    assert list(response.context["entries"]) == [failed]


@pytest.mark.parametrize("size", [3, 30])
def test_entry_list_query_count_does_not_grow(client, hub_admin, edition, django_assert_num_queries, size):
    for _ in range(size):
        EntryFactory(edition=edition)
    client.force_login(hub_admin)
    client.get(reverse("competitions:entry_list"))
    with django_assert_num_queries(8):
        response = client.get(reverse("competitions:entry_list"))
    assert len(response.context["entries"]) == size
