import pytest
from django.urls import reverse


@pytest.mark.smoke
@pytest.mark.django_db
def test_home_renders_in_indonesian_by_default(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in body
    assert "Inovasi pelayanan publik di Sulawesi Barat" in body


@pytest.mark.django_db
def test_home_renders_in_english_under_en(client):
    response = client.get("/en/")
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Public-service innovation in Sulawesi Barat" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "language", "text"),
    [
        ("/masuk/", "id", "Masuk"),
        ("/en/masuk/", "en", "Sign in"),
    ],
)
def test_sign_in_page_renders_in_both_languages(client, path, language, text):
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert f"<h1>{text}</h1>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "language", "title"),
    [("/tidak-ada/", "id", "Halaman tidak ditemukan"), ("/en/tidak-ada/", "en", "Page not found")],
)
def test_missing_page_is_friendly_404_in_both_languages(client, settings, path, language, title):
    settings.DEBUG = False
    response = client.get(path)
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english_keeps_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/masuk/"})
    assert response["Location"] == "/en/masuk/"


@pytest.mark.django_db
def test_language_switch_back_to_indonesian(client):
    response = client.post(reverse("set_language"), {"language": "id", "next": "/en/masuk/"})
    assert response["Location"] == "/masuk/"


@pytest.mark.django_db
def test_server_error_page_is_friendly():
    from django.test import RequestFactory

    from jipp.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()


@pytest.mark.django_db
def test_permission_denied_page_in_english(client, settings):
    from django.test import RequestFactory
    from django.utils import translation

    from jipp.views import permission_denied

    request = RequestFactory().get("/en/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("en"):
        response = permission_denied(request)
    assert (response.status_code, "You may not open this page" in response.content.decode()) == (403, True)


@pytest.mark.django_db
def test_navigation_shows_dashboard_only_to_staff(client, operator, plain_user):
    client.force_login(plain_user)
    assert reverse("dashboard") not in client.get("/").content.decode()
    client.force_login(operator)
    assert reverse("dashboard") in client.get("/").content.decode()


@pytest.mark.django_db
def test_dashboard_lists_the_users_roles(client, operator):
    client.force_login(operator)
    response = client.get(reverse("dashboard"))
    assert response.context["user_roles"] == ["Operator"]


@pytest.mark.django_db
def test_sign_in_lands_on_the_dashboard(client, operator):
    from tests.factories import TEST_PASSWORD

    response = client.post(reverse("login"), {"username": operator.username, "password": TEST_PASSWORD})
    assert response["Location"] == reverse("dashboard")


@pytest.mark.django_db
def test_sign_in_follows_next(client, operator):
    from tests.factories import TEST_PASSWORD

    response = client.post(
        reverse("login"), {"username": operator.username, "password": TEST_PASSWORD, "next": "/kelola/baru/"}
    )
    assert response["Location"] == "/kelola/baru/"


@pytest.mark.django_db
def test_sign_in_in_english_lands_on_the_english_dashboard(client, operator):
    from tests.factories import TEST_PASSWORD

    response = client.post("/en/masuk/", {"username": operator.username, "password": TEST_PASSWORD})
    assert response["Location"] == "/en/dasbor/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["reviewer", "panelist", "ministry_admin"])
def test_dashboard_ministry_institution_shows_no_none_region(client, role):
    from jipp.models import Institution, Role
    from tests.factories import InstitutionFactory, user_with_role

    ministry = InstitutionFactory(
        code="kemenpanrb-uji", name="Kementerian PANRB", kind=Institution.Kind.MINISTRY, region=None
    )
    client.force_login(user_with_role(Role(role), institution=ministry))
    body = client.get(reverse("dashboard")).content.decode()
    assert ("Kementerian PANRB" in body, "(None)" in body) == (True, False)


@pytest.mark.django_db
def test_dashboard_shows_the_region_of_a_regional_institution(client, operator):
    client.force_login(operator)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Dinas Kesehatan Uji Majene</strong> (Majene)" in body


@pytest.mark.django_db
def test_server_error_database_down_answers_json_to_json_clients(monkeypatch):
    from django.db import OperationalError, connection
    from django.test import Client

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    client = Client(raise_request_exception=False)
    as_json = client.get("/en/", HTTP_ACCEPT="application/json")
    as_page = client.get("/en/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert (as_json.status_code, as_json.json(), as_page.status_code, as_page["Content-Type"]) == (
        503,
        {"detail": "The service is temporarily unavailable. Please try again in a few minutes."},
        503,
        "text/html; charset=utf-8",
    )
