"""The administrative selection's pages: the list with its bulk form, and one entry at a time."""

import pytest
from django.urls import reverse
from django.utils import translation

from competitions.models import Entry
from tests.competitions.factories import EntryFactory

pytestmark = pytest.mark.django_db


def _en(name, **kwargs):
    with translation.override("en"):
        return reverse(f"competitions:{name}", kwargs=kwargs)


def test_selection_bulk_passes_the_ticked_entries(client, ministry_admin, edition):
    first, second, _untouched = (EntryFactory(edition=edition) for _ in range(3))
    client.force_login(ministry_admin)
    response = client.post(
        reverse("competitions:selection", kwargs={"year": edition.year}),
        {"entries": [first.pk, second.pk], "outcome": "passed"},
    )
    assert (response.status_code, list(Entry.objects.order_by("number").values_list("status", flat=True))) == (
        302,
        ["passed", "passed", "submitted"],
    )


def test_selection_bulk_failing_without_reason_keeps_the_ticks(client, ministry_admin, edition):
    EntryFactory(edition=edition)
    second = EntryFactory(edition=edition)
    client.force_login(ministry_admin)
    response = client.post(
        _en("selection", year=edition.year), {"entries": [second.pk], "outcome": "failed", "note": "Catatan"}
    )
    assert (
        response.status_code,
        response.context["checked"],
        [str(error) for error in response.context["form"].errors["reasons"]],
        "Catatan" in response.content.decode(),
        set(Entry.objects.values_list("status", flat=True)),
    ) == (422, {str(second.pk)}, ["Tick at least one reason why the entry fails."], True, {"submitted"})


def test_entry_select_view_fails_one_entry_with_reasons(client, ministry_admin, edition):
    entry = EntryFactory(edition=edition)
    client.force_login(ministry_admin)
    client.post(
        reverse("competitions:entry_select", kwargs={"pk": entry.pk}),
        {"outcome": "failed", "reasons": ["duplicate", "missing_document"]},
    )
    entry.refresh_from_db()
    assert (entry.status, entry.admin_reasons) == (Entry.Status.FAILED, ["duplicate", "missing_document"])


def test_selection_filters_by_status(client, ministry_admin, edition):
    EntryFactory(edition=edition)
    failed = EntryFactory(edition=edition, status=Entry.Status.FAILED, admin_reasons=["too_young"])
    client.force_login(ministry_admin)
    response = client.get(reverse("competitions:selection", kwargs={"year": edition.year}), {"status": "failed"})
    assert list(response.context["entries"]) == [failed]


@pytest.mark.parametrize("size", [3, 30])
def test_selection_query_count_does_not_grow(client, ministry_admin, edition, django_assert_num_queries, size):
    for _ in range(size):
        EntryFactory(edition=edition)
    client.force_login(ministry_admin)
    url = reverse("competitions:selection", kwargs={"year": edition.year})
    client.get(url)
    # One of them reads the edition's stages for the menu's links to each scoring stage.
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["entries"]) == size


def test_dashboard_shows_the_secretariat_its_edition(client, ministry_admin, edition):
    EntryFactory(edition=edition)
    client.force_login(ministry_admin)
    content = client.get(reverse("dashboard")).content.decode()
    assert (
        f"KIPP {edition.year}" in content,
        reverse("competitions:selection", kwargs={"year": edition.year}) in content,
    ) == (
        True,
        True,
    )


def test_dashboard_invites_operators_to_an_open_edition(client, operator, edition):
    client.force_login(operator)
    content = client.get(reverse("dashboard")).content.decode()
    assert reverse("competitions:entry_create", kwargs={"year": edition.year}) in content


def test_dashboard_has_no_kipp_section_for_a_reviewer(client, reviewer, edition):
    client.force_login(reviewer)
    response = client.get(reverse("dashboard"))
    assert 'id="dashboard-kipp"' not in response.content.decode()
