import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.factories import TEST_PASSWORD

RESET_REFUSED = "Too many password reset requests. Please wait an hour and try again."


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Failed sign-ins (axes, in the database) and password-reset counts (in the cache) start at zero."""
    from axes.utils import reset

    reset()
    cache.clear()
    yield
    cache.clear()


@pytest.mark.smoke
@pytest.mark.django_db
def test_sign_in_with_right_password_reaches_dashboard(client, operator):
    response = client.post(reverse("login"), {"username": "op", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1] == (reverse("dashboard"), 302)
    assert response.context["user"] == operator


@pytest.mark.django_db
def test_sign_in_with_wrong_password_shows_message_in_indonesian(client, operator):
    response = client.post(reverse("login"), {"username": "op", "password": "wrong"})
    assert response.status_code == 200
    assert "dan sandi yang benar" in response.content.decode()
    assert response.context["form"]["username"].value() == "op"


@pytest.mark.django_db
def test_sign_in_eleventh_attempt_refused_even_with_right_password(client, operator):
    for _attempt in range(10):
        client.post(reverse("login"), {"username": "op", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    response = client.post(reverse("login"), {"username": "op", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_lockout_is_per_address(client, operator):
    for _attempt in range(10):
        client.post(reverse("login"), {"username": "op", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    response = client.post(reverse("login"), {"username": "op", "password": TEST_PASSWORD}, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 302


@pytest.mark.django_db
def test_sign_in_lockout_of_one_user_leaves_others_at_that_address(client, operator, other_operator):
    for _attempt in range(10):
        client.post(reverse("login"), {"username": "op", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    other = client.post(reverse("login"), {"username": "op2", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.1.1")
    client.logout()
    locked = client.post(reverse("login"), {"username": "op", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert (other.status_code, locked.status_code) == (302, 429)


@pytest.mark.django_db
def test_sign_in_many_users_wrong_from_one_address_pauses_that_address(client, operator, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 5
    for attempt in range(5):
        client.post(reverse("login"), {"username": f"guess{attempt}", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    paused = client.post(reverse("login"), {"username": "op", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.1.1")
    elsewhere = client.post(reverse("login"), {"username": "op", "password": TEST_PASSWORD}, REMOTE_ADDR="10.2.2.2")
    assert (paused.status_code, elsewhere.status_code) == (429, 302)


@pytest.mark.django_db
def test_sign_in_forwarded_address_ignored_unless_proxy_trusted(client, operator):
    for attempt in range(10):
        client.post(
            reverse("login"),
            {"username": "op", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
    response = client.post(
        reverse("login"),
        {"username": "op", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_sign_in_behind_trusted_proxy_locks_by_forwarded_address(client, operator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _attempt in range(10):
        client.post(
            reverse("login"),
            {"username": "op", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.1",
        )
    elsewhere = client.post(
        reverse("login"),
        {"username": "op", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 198.51.100.2",
    )
    client.logout()
    same = client.post(
        reverse("login"),
        {"username": "op", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert (elsewhere.status_code, same.status_code) == (302, 429)


@pytest.mark.django_db
def test_sign_out_ends_session(client, operator):
    client.force_login(operator)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.smoke
@pytest.mark.django_db
def test_password_reset_sends_email_with_working_link(client, operator):
    response = client.post(reverse("password_reset"), {"email": operator.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [operator.email]
    assert message.subject == "Atur ulang kata sandi akun Hub JIPP Sulawesi Barat Anda"
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    confirm = client.get(link, follow=True)
    assert confirm.context["validlink"] is True
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "a-new-long-pass-2026", "new_password2": "a-new-long-pass-2026"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    operator.refresh_from_db()
    assert operator.check_password("a-new-long-pass-2026")


@pytest.mark.django_db
def test_password_reset_in_english_sends_english_email(client, operator):
    client.post("/en/akun/reset/", {"email": operator.email})
    assert mail.outbox[0].subject == "Reset your password for Hub JIPP Sulawesi Barat"


@pytest.mark.django_db
def test_password_reset_unknown_address_sends_nothing_and_says_the_same(client, operator):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.go.id"})
    assert (response["Location"], len(mail.outbox)) == (reverse("password_reset_done"), 0)


@pytest.mark.django_db
def test_password_change_keeps_user_signed_in(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "another-long-pass-77",
            "new_password2": "another-long-pass-77",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    operator.refresh_from_db()
    assert operator.check_password("another-long-pass-77")


@pytest.mark.django_db
def test_password_reset_many_requests_for_one_account_send_few_emails(client, operator, settings):
    settings.PASSWORD_RESET_PER_ACCOUNT = 3
    responses = [
        client.post("/en/akun/reset/", {"email": operator.email}, REMOTE_ADDR=f"10.4.4.{attempt}")
        for attempt in range(6)
    ]
    refused = responses[-1]
    assert (
        [response.status_code for response in responses],
        len(mail.outbox),
        refused.context["form"]["email"].value(),
        refused.context["form"].non_field_errors(),
    ) == ([302, 302, 302, 429, 429, 429], 3, operator.email, [RESET_REFUSED])


@pytest.mark.django_db
def test_password_reset_unknown_account_is_limited_alike(client, operator, settings):
    settings.PASSWORD_RESET_PER_ACCOUNT = 2
    known = [client.post(reverse("password_reset"), {"email": operator.email}).status_code for _ in range(3)]
    unknown = [client.post(reverse("password_reset"), {"email": "nobody@example.go.id"}).status_code for _ in range(3)]
    assert known == unknown == [302, 302, 429]


@pytest.mark.django_db
def test_password_reset_many_accounts_from_one_address_are_limited(client, operator, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 4
    statuses = [
        client.post(
            reverse("password_reset"), {"email": f"user{attempt}@example.go.id"}, REMOTE_ADDR="10.5.5.5"
        ).status_code
        for attempt in range(5)
    ]
    elsewhere = client.post(reverse("password_reset"), {"email": operator.email}, REMOTE_ADDR="10.6.6.6")
    assert (statuses, elsewhere.status_code, len(mail.outbox)) == ([302, 302, 302, 302, 429], 302, 1)


@pytest.mark.django_db
def test_sign_in_lockout_page_states_configured_pause(client, operator, settings):
    from datetime import timedelta

    from django.utils import translation

    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    for _attempt in range(10):
        client.post(reverse("login"), {"username": "op", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    with translation.override("en"):
        english_login = reverse("login")
    response = client.post(english_login, {"username": "op", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert (response.status_code, "Wait 30 minutes" in response.content.decode()) == (429, True)
