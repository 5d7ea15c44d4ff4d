"""Permission helpers and the sign-in redirect. Every URL x every role is tests/test_url_matrix.py."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_url_sign_in_redirect_keeps_next(client):
    response = client.get(reverse("dashboard"))
    assert response["Location"] == f"{reverse('login')}?next={reverse('dashboard')}"


@pytest.mark.django_db
def test_permissions_ensure_can_refuses_user_without_role(plain_user):
    from django.core.exceptions import PermissionDenied

    from jipp.permissions import ensure_can

    with pytest.raises(PermissionDenied):
        ensure_can(plain_user, "jipp.view_dashboard")


@pytest.mark.django_db
def test_permissions_hub_admin_manages_network_operator_does_not(hub_admin, operator):
    from jipp.permissions import can

    assert (can(hub_admin, "jipp.manage_network"), can(operator, "jipp.manage_network")) == (True, False)
