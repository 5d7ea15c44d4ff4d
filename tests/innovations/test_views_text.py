"""Typed text and query strings that used to answer 500 or lose what was typed: NUL and other control
characters in the record form (PostgreSQL refuses NUL in a query), digits that are not ASCII digits.

Unmarked on purpose: CI runs them on PostgreSQL, where the NUL bug showed."""

import pytest
from django.urls import reverse

from innovations.models import SDG, Innovation
from tests.innovations.factories_workflow import InnovationFactory, PublishedInnovationFactory

pytestmark = pytest.mark.django_db


def _post_data(**overrides):
    data = {
        "title": "Posyandu\x00 Digital\x1b",
        "summary": "Ringkasan\x00 dari\x0bWord\x02",
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
        "awards-0-note": "Catatan\x00 kami",
    }
    data.update(overrides)
    return data


@pytest.fixture
def similar_published():
    return PublishedInnovationFactory(title="Posyandu Digital Majene", summary="Ringkasan dari Word")


def test_create_with_control_characters_saves_the_cleaned_text(client, operator, similar_published):
    client.force_login(operator)
    response = client.post(reverse("innovations:create"), _post_data())
    record = Innovation.objects.exclude(pk=similar_published.pk).get()
    assert (response.status_code, record.title, record.summary, record.awards.get().note) == (
        302,
        "Posyandu Digital",
        "Ringkasan dari\nWord",
        "Catatan kami",
    )


def test_create_invalid_with_null_character_keeps_everything_typed(client, operator, similar_published):
    client.force_login(operator)
    response = client.post(
        reverse("innovations:create"), _post_data(trial_date="2024-05-01", implementation_date="2023-01-01")
    )
    content = response.content.decode()
    assert (
        response.status_code,
        'value="Posyandu Digital"' in content,
        "Latar belakang yang panjang" in content,
        'value="Catatan kami"' in content,
    ) == (422, True, True, True)


def test_edit_with_null_character_saves_the_cleaned_text(client, operator, similar_published):
    record = InnovationFactory(institution=operator.institution, title="Lama")
    client.force_login(operator)
    response = client.post(reverse("innovations:edit", kwargs={"slug": record.slug}), _post_data())
    record.refresh_from_db()
    assert (response.status_code, record.title) == (302, "Posyandu Digital")


def test_edit_invalid_with_null_character_keeps_everything_typed(client, operator, similar_published):
    record = InnovationFactory(institution=operator.institution, title="Lama")
    client.force_login(operator)
    response = client.post(
        reverse("innovations:edit", kwargs={"slug": record.slug}),
        _post_data(trial_date="2024-05-01", implementation_date="2023-01-01"),
    )
    assert (response.status_code, 'value="Posyandu Digital"' in response.content.decode()) == (200, True)


@pytest.mark.parametrize("exclude", ["\u00b2", "\u2460", "\x00", "99999999999999999999", "-3"])
def test_similar_with_an_odd_exclude_still_lists_similar_records(client, operator, similar_published, exclude):
    client.force_login(operator)
    response = client.get(reverse("innovations:similar"), {"title": "posyandu digital", "exclude": exclude})
    assert (response.status_code, "Posyandu Digital Majene" in response.content.decode()) == (200, True)


def test_similar_with_null_character_in_the_title_lists_similar_records(client, operator, similar_published):
    client.force_login(operator)
    response = client.get(reverse("innovations:similar"), {"title": "posyandu\x00 digital", "summary": "ringkasan\x00"})
    assert (response.status_code, "Posyandu Digital Majene" in response.content.decode()) == (200, True)


def test_similar_excludes_the_record_being_edited(client, operator, similar_published):
    client.force_login(operator)
    response = client.get(
        reverse("innovations:similar"), {"title": "posyandu digital", "exclude": str(similar_published.pk)}
    )
    assert (response.status_code, "Posyandu Digital Majene" in response.content.decode()) == (200, False)


@pytest.mark.parametrize("year", ["\u00b2", "\u00b2\u00b3", "2\x00", "99999999999999999999", "-1"])
def test_sustainability_with_an_odd_year_opens_the_empty_form(client, operator, year):
    record = PublishedInnovationFactory(institution=operator.institution)
    client.force_login(operator)
    response = client.get(reverse("innovations:sustainability", kwargs={"slug": record.slug}), {"year": year})
    assert (response.status_code, response.context["form"].initial) == (200, {})
