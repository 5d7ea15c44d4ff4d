import pytest
from django.urls import reverse
from django.utils import translation

from innovations.models import SDG, Award, Innovation, State
from innovations.services.workflow import innovation_return, innovation_submit
from tests.innovations.factories_workflow import (
    AwardFactory,
    InnovationFactory,
    PublishedInnovationFactory,
    SubmittedInnovationFactory,
)

pytestmark = pytest.mark.django_db


def _post_data(**overrides):
    data = {
        "title": "Posyandu Digital",
        "summary": "Ringkasan",
        "background": "Latar belakang yang panjang",
        "stage": "penerapan",
        "kind": "digital",
        "form": "pelayanan_publik",
        "government_affair": "kesehatan",
        "sdgs": [str(SDG.objects.get(number=3).pk)],
        "action": "save",
        "awards-TOTAL_FORMS": "1",
        "awards-INITIAL_FORMS": "0",
        "awards-0-year": "2014",
        "awards-0-competition": "kipp",
        "awards-0-rank": "top99",
        "awards-0-note": "Top 99",
    }
    data.update(overrides)
    return data


def test_create_saves_draft_with_awards(client, operator):
    client.force_login(operator)
    response = client.post(reverse("innovations:create"), _post_data())
    innovation = Innovation.objects.get()
    assert (response.status_code, innovation.state, list(innovation.awards.values_list("year", "note"))) == (
        302,
        State.DRAFT,
        [(2014, "Top 99")],
    )


def test_create_draft_may_be_incomplete(client, operator):
    client.force_login(operator)
    client.post(reverse("innovations:create"), _post_data(summary="", stage="", sdgs=[]))
    assert Innovation.objects.get().summary == ""


def test_create_invalid_keeps_everything_typed(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("innovations:create"),
        _post_data(trial_date="2024-05-01", implementation_date="2023-01-01", **{"awards-0-note": "Catatan kami"}),
    )
    content = response.content.decode()
    assert (
        response.status_code,
        Innovation.objects.count(),
        "Latar belakang yang panjang" in content,
        'value="Catatan kami"' in content,
        'value="2024-05-01"' in content,
    ) == (422, 0, True, True, True)


def test_create_implementation_before_trial_shows_error(client, operator):
    client.force_login(operator)
    with translation.override("en"):
        response = client.post(
            reverse("innovations:create"), _post_data(trial_date="2024-05-01", implementation_date="2023-01-01")
        )
    assert "cannot be earlier than the trial date" in response.content.decode()


def test_create_and_submit_without_essentials_keeps_the_draft(client, operator):
    client.force_login(operator)
    response = client.post(reverse("innovations:create"), _post_data(action="submit", summary="", sdgs=[]))
    innovation = Innovation.objects.get()
    assert (response["Location"], innovation.state, innovation.background) == (
        reverse("innovations:edit", kwargs={"slug": innovation.slug}) + "?check=1",
        State.DRAFT,
        "Latar belakang yang panjang",
    )


def test_edit_checked_for_submission_summarises_what_is_missing(client, operator):
    innovation = InnovationFactory(institution=operator.institution, summary="", sdgs=[])
    client.force_login(operator)
    content = client.get(reverse("innovations:edit", kwargs={"slug": innovation.slug}), {"check": "1"}).content.decode()
    summary = content[
        content.index('id="error-summary"') : content.index("</section>", content.index('id="error-summary"'))
    ]
    assert ('href="#id_summary"' in summary, 'href="#id_sdgs_0"' in summary, 'href="#id_stage"' in summary) == (
        True,
        True,
        False,
    )


def test_edit_of_a_returned_record_submit_without_essentials_keeps_what_was_typed(client, operator):
    innovation = InnovationFactory(institution=operator.institution, state=State.RETURNED)
    client.force_login(operator)
    client.post(
        reverse("innovations:edit", kwargs={"slug": innovation.slug}),
        _post_data(action="submit", stage="", background="Diperbarui"),
    )
    innovation.refresh_from_db()
    assert (innovation.state, innovation.background, innovation.stage) == (State.RETURNED, "Diperbarui", "")


def test_form_error_summary_links_to_each_field_and_takes_focus(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("innovations:create"), _post_data(trial_date="2024-05-01", implementation_date="2023-01-01")
    )
    content = response.content.decode()
    start = content.index('id="error-summary"')
    summary = content[content.rindex("<", 0, start) : content.index("</section>", start)]
    assert (
        'href="#id_implementation_date"' in summary,
        'tabindex="-1"' in summary,
        "data-error-summary" in summary,
    ) == (
        True,
        True,
        True,
    )


def test_form_without_errors_has_no_error_summary(client, operator):
    client.force_login(operator)
    assert 'id="error-summary"' not in client.get(reverse("innovations:create")).content.decode()


def test_form_warns_before_leaving_unsaved_changes(client, operator):
    client.force_login(operator)
    content = client.get(reverse("innovations:create")).content.decode()
    assert ("data-warn-unsaved" in content, "js/record_form.js" in content) == (True, True)


def test_form_offers_another_award_row(client, operator):
    client.force_login(operator)
    content = client.get(reverse("innovations:create")).content.decode()
    assert (
        '<template id="awards-empty-form">' in content,
        "awards-__prefix__-year" in content,
        "data-add-form" in content,
    ) == (
        True,
        True,
        True,
    )


def test_create_saves_two_award_rows(client, operator):
    client.force_login(operator)
    client.post(
        reverse("innovations:create"),
        _post_data(
            **{
                "awards-TOTAL_FORMS": "2",
                "awards-1-year": "2019",
                "awards-1-competition": "provincial",
                "awards-1-rank": "provincial",
            }
        ),
    )
    assert sorted(Innovation.objects.get().awards.values_list("year", flat=True)) == [2014, 2019]


def test_form_shows_help_text_for_each_section(client, operator):
    client.force_login(operator)
    content = client.get(reverse("innovations:create")).content.decode()
    assert (
        'id="id_novelty_helptext"' in content,
        'aria-describedby="id_novelty_counter id_novelty_helptext"' in content,
    ) == (
        True,
        True,
    )


def test_form_says_choose_instead_of_dashes(client, operator):
    client.force_login(operator)
    with translation.override("en"):
        content = client.get(reverse("innovations:create")).content.decode()
    assert ("---------" in content, "Choose…" in content) == (False, True)


def test_create_form_before_a_title_says_nothing_about_similar_records(client, operator):
    client.force_login(operator)
    with translation.override("en"):
        content = client.get(reverse("innovations:create")).content.decode()
    assert "No similar published innovation found." not in content


def test_similar_partial_without_a_title_is_empty(client, operator):
    client.force_login(operator)
    with translation.override("en"):
        response = client.get(reverse("innovations:similar"), {"title": "  "}, headers={"HX-Request": "true"})
    assert response.content.decode().strip() == ""


def test_similar_partial_after_a_title_says_none_was_found(client, operator):
    client.force_login(operator)
    with translation.override("en"):
        response = client.get(reverse("innovations:similar"), {"title": "Sesuatu"}, headers={"HX-Request": "true"})
    assert "No similar published innovation found." in response.content.decode()


def test_create_budget_typed_with_dots_is_saved_and_shown_formatted(client, operator):
    client.force_login(operator)
    client.post(reverse("innovations:create"), _post_data(budget="175.000.000"))
    innovation = Innovation.objects.get()
    edit = client.get(reverse("innovations:edit", kwargs={"slug": innovation.slug})).content.decode()
    detail = client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug})).content.decode()
    assert (innovation.budget, 'value="175.000.000"' in edit, "175.000.000" in detail) == (175_000_000, True, True)


def test_create_and_submit_sends_to_hub(client, operator):
    client.force_login(operator)
    client.post(reverse("innovations:create"), _post_data(action="submit"))
    assert Innovation.objects.get().state == State.SUBMITTED


def test_edit_post_state_published_is_ignored(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    client.post(
        reverse("innovations:edit", kwargs={"slug": innovation.slug}),
        _post_data(state="published", institution="999", revision_of="1"),
    )
    innovation.refresh_from_db()
    assert (innovation.state, innovation.institution_id, innovation.title) == (
        State.DRAFT,
        operator.institution_id,
        "Posyandu Digital",
    )


@pytest.mark.parametrize("url_name", ["publish", "archive", "restore"])
def test_operator_cannot_publish_or_archive_through_url(client, operator, url_name):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    client.force_login(operator)
    response = client.post(reverse(f"innovations:{url_name}", kwargs={"slug": innovation.slug}))
    innovation.refresh_from_db()
    assert (response.status_code, innovation.state) == (403, State.SUBMITTED)


def test_operator_cannot_return_through_url(client, operator):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    client.force_login(operator)
    response = client.post(reverse("innovations:return", kwargs={"slug": innovation.slug}), {"comment": "x"})
    innovation.refresh_from_db()
    assert (response.status_code, innovation.state) == (403, State.SUBMITTED)


def test_operator_cannot_publish_through_admin(client, operator):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    client.force_login(operator)
    response = client.post(reverse("admin:innovations_innovation_change", args=[innovation.pk]), {"state": "published"})
    innovation.refresh_from_db()
    assert (response.status_code, innovation.state) == (302, State.SUBMITTED)


def test_edit_of_submitted_record_is_forbidden(client, operator):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    client.force_login(operator)
    assert client.get(reverse("innovations:edit", kwargs={"slug": innovation.slug})).status_code == 403


def test_edit_of_published_record_points_to_propose_change(client, operator):
    innovation = PublishedInnovationFactory(institution=operator.institution)
    client.force_login(operator)
    response = client.get(reverse("innovations:edit", kwargs={"slug": innovation.slug}))
    assert response["Location"] == reverse("innovations:detail", kwargs={"slug": innovation.slug})


def test_revise_creates_revision_and_opens_its_form(client, operator):
    innovation = PublishedInnovationFactory(institution=operator.institution)
    client.force_login(operator)
    response = client.post(reverse("innovations:revise", kwargs={"slug": innovation.slug}))
    revision = Innovation.objects.get(revision_of=innovation)
    assert response["Location"] == reverse("innovations:edit", kwargs={"slug": revision.slug})


def test_returned_record_shows_comment_to_operator(client, operator, hub_admin):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    innovation_return(innovation=innovation, by=hub_admin, comment="Tambahkan foto kegiatan")
    client.force_login(operator)
    detail = client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug})).content.decode()
    edit = client.get(reverse("innovations:edit", kwargs={"slug": innovation.slug})).content.decode()
    assert ("Tambahkan foto kegiatan" in detail, "Tambahkan foto kegiatan" in edit) == (True, True)


def test_return_without_comment_rerenders_with_error(client, hub_admin):
    innovation = SubmittedInnovationFactory()
    client.force_login(hub_admin)
    response = client.post(reverse("innovations:return", kwargs={"slug": innovation.slug}), {"comment": ""})
    innovation.refresh_from_db()
    assert (response.status_code, innovation.state, 'aria-invalid="true"' in response.content.decode()) == (
        200,
        State.SUBMITTED,
        True,
    )


def test_hub_admin_publishes_from_record_page(client, hub_admin):
    innovation = SubmittedInnovationFactory()
    client.force_login(hub_admin)
    client.post(reverse("innovations:publish", kwargs={"slug": innovation.slug}))
    innovation.refresh_from_db()
    assert innovation.state == State.PUBLISHED


def test_publish_revision_redirects_to_original(client, hub_admin, operator):
    from innovations.services.workflow import innovation_revision_start

    original = PublishedInnovationFactory(institution=operator.institution)
    revision = innovation_revision_start(innovation=original, by=operator)
    innovation_submit(innovation=revision, by=operator)
    client.force_login(hub_admin)
    response = client.post(reverse("innovations:publish", kwargs={"slug": revision.slug}))
    assert response["Location"] == reverse("innovations:detail", kwargs={"slug": original.slug})


def test_list_filters_by_state(client, operator):
    InnovationFactory(institution=operator.institution, title="Draf satu")
    SubmittedInnovationFactory(institution=operator.institution, title="Terkirim dua")
    client.force_login(operator)
    content = client.get(reverse("innovations:list"), {"state": "submitted"}).content.decode()
    assert ("Terkirim dua" in content, "Draf satu" in content) == (True, False)


def test_queue_shows_counts_per_region(client, hub_admin):
    SubmittedInnovationFactory()
    client.force_login(hub_admin)
    content = client.get(reverse("innovations:queue")).content.decode()
    assert "<strong>1</strong> Majene" in content


def test_similar_partial_lists_published_records(client, operator):
    PublishedInnovationFactory(title="Posyandu Keliling Majene")
    client.force_login(operator)
    response = client.get(
        reverse("innovations:similar"), {"title": "posyandu keliling"}, headers={"HX-Request": "true"}
    )
    assert "Posyandu Keliling Majene" in response.content.decode()


def test_record_page_lists_similar_without_javascript(client, operator):
    PublishedInnovationFactory(title="Posyandu Keliling Majene")
    innovation = InnovationFactory(institution=operator.institution, title="Posyandu Keliling Baru")
    client.force_login(operator)
    response = client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug}))
    assert "Posyandu Keliling Majene" in response.content.decode()


def test_form_shows_character_counter_markup(client, operator):
    client.force_login(operator)
    content = client.get(reverse("innovations:create")).content.decode()
    assert ('data-maxlength="1500"' in content, 'id="id_summary_counter"' in content) == (True, True)


def _records(operator, hub_admin, count):
    for _number in range(count):
        innovation = InnovationFactory(institution=operator.institution)
        innovation_submit(innovation=innovation, by=operator)


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_constant(client, operator, hub_admin, count, django_assert_num_queries):
    _records(operator, hub_admin, count)
    client.force_login(operator)
    with django_assert_num_queries(5):
        client.get(reverse("innovations:list"))


@pytest.mark.parametrize("count", [3, 30])
def test_queue_query_count_constant(client, operator, hub_admin, count, django_assert_num_queries):
    _records(operator, hub_admin, count)
    client.force_login(hub_admin)
    with django_assert_num_queries(9):
        client.get(reverse("innovations:queue"))


@pytest.mark.parametrize("count", [3, 30])
def test_history_query_count_constant(client, operator, hub_admin, count, django_assert_num_queries):
    innovation = InnovationFactory(institution=operator.institution)
    for number in range(count):
        innovation.title = f"Versi {number}"
        innovation.save()
    client.force_login(hub_admin)
    with django_assert_num_queries(6):
        client.get(reverse("innovations:history", kwargs={"slug": innovation.slug}))


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    ("url_name", "needs_slug", "who"),
    [
        ("list", False, "operator"),
        ("create", False, "operator"),
        ("queue", False, "hub_admin"),
        ("detail", True, "operator"),
        ("edit", True, "operator"),
        ("detail", True, "hub_admin"),
        ("return", True, "hub_admin"),
        ("changes", True, "hub_admin"),
        ("history", True, "hub_admin"),
        ("evidence_add", True, "operator"),
    ],
)
def test_every_page_renders_in_both_languages(client, request, operator, url_name, needs_slug, who, language):
    innovation = InnovationFactory(institution=operator.institution, state=State.RETURNED)
    client.force_login(request.getfixturevalue(who))
    with translation.override(language):
        url = reverse(f"innovations:{url_name}", kwargs={"slug": innovation.slug} if needs_slug else {})
    response = client.get(url)
    assert (response.status_code, f'lang="{language}"' in response.content.decode()) == (200, True)


@pytest.mark.django_db
def test_dashboard_shows_operator_record_counts_per_state(client, operator):
    from tests.innovations.factories_workflow import InnovationFactory

    InnovationFactory.create_batch(2, institution=operator.institution)
    client.force_login(operator)
    response = client.get(reverse("dashboard"))
    panel = next(s for s in response.context["dashboard_sections"] if s["template_name"].startswith("innovations/"))
    assert dict((value, count) for value, _label, count in panel["states"])["draft"] == 2


@pytest.mark.django_db
def test_dashboard_shows_queue_to_hub_admin(client, hub_admin):
    from tests.innovations.factories_workflow import SubmittedInnovationFactory

    SubmittedInnovationFactory.create_batch(3)
    client.force_login(hub_admin)
    response = client.get(reverse("dashboard"))
    assert "3 data menunggu verifikasi" in response.content.decode()


@pytest.mark.django_db
def test_dashboard_has_no_innovation_panel_for_reviewer(client, reviewer):
    client.force_login(reviewer)
    sections = client.get(reverse("dashboard")).context["dashboard_sections"]
    assert [section for section in sections if section["template_name"].startswith("innovations/")] == []


def _dashboard_section(content, testid):
    """The HTML of the dashboard element marked data-testid=`testid`, or "" when it is absent."""
    start = content.find(f'data-testid="{testid}"')
    if start == -1:
        return ""
    return content[start : content.find("</section>", start)]


def test_dashboard_lists_returned_records_for_the_operator(client, operator, hub_admin, other_institution):
    returned = SubmittedInnovationFactory(institution=operator.institution, title="Perlu Diperbaiki")
    innovation_return(innovation=returned, by=hub_admin, comment="Tambahkan data.")
    InnovationFactory(institution=operator.institution, title="Draf Biasa")
    elsewhere = SubmittedInnovationFactory(institution=other_institution, title="Milik Lain")
    innovation_return(innovation=elsewhere, by=hub_admin, comment="Tambahkan data.")
    client.force_login(operator)
    section = _dashboard_section(client.get(reverse("dashboard")).content.decode(), "needs-action")
    assert (
        reverse("innovations:edit", kwargs={"slug": returned.slug}) in section,
        "Draf Biasa" in section,
        "Milik Lain" in section,
    ) == (True, False, False)


def test_dashboard_offers_new_innovation_to_the_operator(client, operator):
    client.force_login(operator)
    section = _dashboard_section(client.get(reverse("dashboard")).content.decode(), "needs-action")
    assert f'href="{reverse("innovations:create")}"' in section


def test_dashboard_lists_the_oldest_waiting_records_for_the_hub(client, hub_admin):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for days in range(7):
        SubmittedInnovationFactory(title=f"Menunggu {days} hari", submitted_at=now - timedelta(days=days))
    client.force_login(hub_admin)
    section = _dashboard_section(client.get(reverse("dashboard")).content.decode(), "needs-action")
    shown = [days for days in range(7) if f"Menunggu {days} hari" in section]
    assert (shown, f'href="{reverse("innovations:create")}"' in section) == ([2, 3, 4, 5, 6], False)


def test_dashboard_query_count_does_not_grow_with_records(client, operator, hub_admin):
    # Compared within one test: other apps' dashboard sections add their own, constant, queries.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(hub_admin)
    counts = []
    for count in (3, 27):
        _records(operator, hub_admin, count)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("dashboard"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _queue_titles(client, **params):
    response = client.get(reverse("innovations:queue"), params)
    return sorted(record.title for record in response.context["records"])


def test_queue_search_matches_every_word_in_title_or_institution(client, hub_admin, institution):
    SubmittedInnovationFactory(title="Posyandu Keliling", institution=institution)
    SubmittedInnovationFactory(title="Posyandu Digital")
    SubmittedInnovationFactory(title="Akta Lahir")
    client.force_login(hub_admin)
    assert (_queue_titles(client, q="posyandu"), _queue_titles(client, q="posyandu uji majene")) == (
        ["Posyandu Digital", "Posyandu Keliling"],
        ["Posyandu Keliling"],
    )


def test_queue_filters_by_region_institution_and_kind(client, hub_admin, institution, other_institution):
    SubmittedInnovationFactory(title="Baru Majene", institution=institution)
    SubmittedInnovationFactory(title="Baru Polman", institution=other_institution)
    original = PublishedInnovationFactory(institution=other_institution)
    SubmittedInnovationFactory(title="Perubahan Polman", institution=other_institution, revision_of=original)
    client.force_login(hub_admin)
    assert (
        _queue_titles(client, region="7602"),
        _queue_titles(client, institution=str(institution.pk)),
        _queue_titles(client, kind="change"),
        _queue_titles(client, kind="new"),
    ) == (
        ["Baru Polman", "Perubahan Polman"],
        ["Baru Majene"],
        ["Perubahan Polman"],
        ["Baru Majene", "Baru Polman"],
    )


def test_queue_shows_how_long_each_record_waits(client, hub_admin):
    from datetime import timedelta

    from django.utils import timezone

    SubmittedInnovationFactory(submitted_at=timezone.now() - timedelta(days=3, hours=1))
    client.force_login(hub_admin)
    with translation.override("en"):
        content = client.get(reverse("innovations:queue")).content.decode()
    assert ("Waiting since" in content, "3\xa0days" in content) == (True, True)


def test_queue_region_tiles_link_to_the_filtered_queue(client, hub_admin):
    SubmittedInnovationFactory()
    client.force_login(hub_admin)
    content = client.get(reverse("innovations:queue")).content.decode()
    assert '<a href="?region=7601"><strong>1</strong> Majene</a>' in content


def test_queue_paging_keeps_the_filters(client, hub_admin, institution):
    SubmittedInnovationFactory.create_batch(21, institution=institution)
    client.force_login(hub_admin)
    content = client.get(reverse("innovations:queue"), {"region": "7601"}).content.decode()
    assert "?region=7601&amp;page=2" in content


def test_list_for_the_hub_is_all_records_with_its_filters(client, hub_admin):
    client.force_login(hub_admin)
    with translation.override("en"):
        content = client.get(reverse("innovations:list")).content.decode()
    assert (
        "<h1>All records</h1>" in content,
        'name="region"' in content,
        'name="institution"' in content,
        'name="q"' in content,
    ) == (True, True, True, True)


def test_list_for_an_operator_is_my_innovations_without_institution_filter(client, operator):
    client.force_login(operator)
    with translation.override("en"):
        content = client.get(reverse("innovations:list")).content.decode()
    assert ("<h1>My innovations</h1>" in content, 'name="institution"' in content, 'name="q"' in content) == (
        True,
        False,
        True,
    )


def test_list_for_the_hub_filters_by_region_and_state(client, hub_admin, institution, other_institution):
    InnovationFactory(title="Draf Majene", institution=institution)
    SubmittedInnovationFactory(title="Terkirim Majene", institution=institution)
    InnovationFactory(title="Draf Polman", institution=other_institution)
    client.force_login(hub_admin)
    response = client.get(reverse("innovations:list"), {"region": "7601", "state": "draft"})
    assert [record.title for record in response.context["records"]] == ["Draf Majene"]


@pytest.mark.parametrize("count", [3, 30])
def test_list_for_the_hub_query_count_constant(client, operator, hub_admin, count, django_assert_num_queries):
    _records(operator, hub_admin, count)
    client.force_login(hub_admin)
    with django_assert_num_queries(9):
        client.get(reverse("innovations:list"), {"q": "layanan", "region": "7601", "state": "submitted"})


@pytest.mark.parametrize("count", [3, 30])
def test_queue_filtered_query_count_constant(client, operator, hub_admin, count, django_assert_num_queries):
    _records(operator, hub_admin, count)
    client.force_login(hub_admin)
    with django_assert_num_queries(10):
        client.get(reverse("innovations:queue"), {"q": "layanan", "region": "7601", "kind": "new"})


def _review_panel(content):
    start = content.find('data-testid="review-panel"')
    return "" if start == -1 else content[start : content.index("</aside>", start)]


def test_record_page_offers_publish_and_return_as_separate_actions_of_different_weight(client, hub_admin):
    innovation = SubmittedInnovationFactory()
    client.force_login(hub_admin)
    panel = _review_panel(client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug})).content.decode())
    publish = panel[panel.index(reverse("innovations:publish", kwargs={"slug": innovation.slug})) :]
    back = panel[panel.index(reverse("innovations:return", kwargs={"slug": innovation.slug})) :]
    assert (
        '<button type="submit" class="button">' in publish[: publish.index("</form>")],
        '<button type="submit" class="button button-secondary">' in back[: back.index("</form>")],
    ) == (True, True)


def test_record_page_shows_no_review_panel_to_the_operator(client, operator):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    client.force_login(operator)
    content = client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug})).content.decode()
    assert _review_panel(content) == ""


def test_record_page_shows_no_review_panel_on_a_published_record(client, hub_admin):
    innovation = PublishedInnovationFactory()
    client.force_login(hub_admin)
    content = client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug})).content.decode()
    assert _review_panel(content) == ""


def test_record_page_of_a_draft_offers_no_sustainability_report(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    client.force_login(operator)
    content = client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug})).content.decode()
    assert ('id="report-form"' in content, 'data-testid="sustainability-panel"' in content) == (False, False)


def test_record_page_of_a_published_record_offers_the_sustainability_report(client, operator):
    innovation = PublishedInnovationFactory(institution=operator.institution)
    client.force_login(operator)
    content = client.get(reverse("innovations:detail", kwargs={"slug": innovation.slug})).content.decode()
    assert 'id="report-form"' in content


def _blanking_change(operator):
    """A submitted change of a published record that lost the record's unit."""
    from innovations.services.workflow import innovation_revision_start

    original = PublishedInnovationFactory(institution=operator.institution, unit="Bidang Pelayanan Kesehatan")
    revision = innovation_revision_start(innovation=original, by=operator)
    Innovation.objects.filter(pk=revision.pk).update(unit="")
    innovation_submit(innovation=revision, by=operator)
    return original, revision


def test_record_page_of_a_change_that_empties_fields_names_them_and_asks_to_confirm(client, operator, hub_admin):
    _original, revision = _blanking_change(operator)
    client.force_login(hub_admin)
    with translation.override("en"):
        content = client.get(reverse("innovations:detail", kwargs={"slug": revision.slug})).content.decode()
    panel = _review_panel(content)
    assert (
        'data-testid="blanked-fields"' in panel,
        "<li>unit</li>" in panel,
        'name="decision-empty_fields"' in panel,
    ) == (
        True,
        True,
        True,
    )


def test_record_page_of_a_full_change_asks_no_confirmation(client, operator, hub_admin):
    from innovations.services.workflow import innovation_revision_start

    revision = innovation_revision_start(
        innovation=PublishedInnovationFactory(institution=operator.institution), by=operator
    )
    innovation_submit(innovation=revision, by=operator)
    client.force_login(hub_admin)
    panel = _review_panel(client.get(reverse("innovations:detail", kwargs={"slug": revision.slug})).content.decode())
    assert ("publish-heading" in panel, 'name="decision-empty_fields"' in panel) == (True, False)


def test_publish_of_a_change_that_empties_fields_is_refused_without_confirmation(client, operator, hub_admin):
    original, revision = _blanking_change(operator)
    client.force_login(hub_admin)
    response = client.post(reverse("innovations:publish", kwargs={"slug": revision.slug}), follow=True)
    original.refresh_from_db()
    assert (original.unit, Innovation.objects.filter(pk=revision.pk).exists(), response.status_code) == (
        "Bidang Pelayanan Kesehatan",
        True,
        200,
    )


def test_publish_of_a_change_that_empties_fields_goes_through_when_confirmed(client, operator, hub_admin):
    original, revision = _blanking_change(operator)
    client.force_login(hub_admin)
    client.post(reverse("innovations:publish", kwargs={"slug": revision.slug}), {"decision-empty_fields": "on"})
    original.refresh_from_db()
    assert (original.unit, Innovation.objects.filter(pk=revision.pk).exists()) == ("", False)


def test_send_button_of_an_incomplete_draft_leads_to_the_form_checked_for_submission(client, operator):
    innovation = InnovationFactory(institution=operator.institution, summary="")
    client.force_login(operator)
    response = client.post(reverse("innovations:submit", kwargs={"slug": innovation.slug}))
    innovation.refresh_from_db()
    assert (response["Location"], innovation.state) == (
        reverse("innovations:edit", kwargs={"slug": innovation.slug}) + "?check=1",
        State.DRAFT,
    )


def test_edit_shows_locked_awards_outside_the_rows_it_may_change(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    AwardFactory(innovation=innovation, year=2025, rank=Award.Rank.TOP_45, locked=True)
    AwardFactory(innovation=innovation, year=2015, rank=Award.Rank.TOP_99)
    client.force_login(operator)
    response = client.get(reverse("innovations:edit", kwargs={"slug": innovation.slug}))
    awards = response.context["awards"]
    assert ([form.initial["year"] for form in awards.initial_forms], [award.year for award in awards.locked]) == (
        [2015],
        [2025],
    )


def test_edit_refuses_a_row_repeating_a_locked_award_and_keeps_it(client, operator):
    innovation = InnovationFactory(institution=operator.institution)
    AwardFactory(innovation=innovation, year=2025, rank=Award.Rank.TOP_45, locked=True)
    client.force_login(operator)
    with translation.override("en"):
        url = reverse("innovations:edit", kwargs={"slug": innovation.slug})
    response = client.post(url, _post_data(**{"awards-0-year": "2025", "awards-0-rank": "top45"}))
    assert (
        response.status_code,
        response.context["awards"].forms[0].non_field_errors(),
        list(innovation.awards.values_list("year", "locked")),
    ) == (200, ["This award is already on the record from a published competition result."], [(2025, True)])
