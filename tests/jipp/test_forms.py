import pytest

from jipp.forms import PasswordResetForm

pytestmark = pytest.mark.django_db


def test_password_reset_form_removes_control_characters_from_the_address():
    form = PasswordResetForm(data={"email": "op@example.go.id\x00\x1b"})
    assert (form.is_valid(), form.cleaned_data.get("email")) == (True, "op@example.go.id")
