"""Every URL x every role. Later features add their rows to URL_MATRIX.

Each row: URL name, kwargs, and the expected status for each role in ROLE_FIXTURES order:
anonymous, operator, hub_admin, reviewer, panelist, ministry_admin. 302 for anonymous means
"sent to the sign-in page".
"""

import pytest
from django.urls import reverse

from tests.conftest import ROLE_FIXTURES

URL_MATRIX = [
    ("home", {}, [200, 200, 200, 200, 200, 200]),
    ("login", {}, [200, 302, 302, 302, 302, 302]),
    ("dashboard", {}, [302, 200, 200, 200, 200, 200]),
    ("password_change", {}, [302, 200, 200, 200, 200, 200]),
    ("password_reset", {}, [200, 200, 200, 200, 200, 200]),
    ("admin:index", {}, [302, 302, 302, 302, 302, 302]),
]

CASES = [
    pytest.param(url_name, kwargs, role, expected, id=f"{url_name}-{role}")
    for url_name, kwargs, statuses in URL_MATRIX
    for role, expected in zip(ROLE_FIXTURES, statuses, strict=True)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "kwargs", "role", "expected"), CASES)
def test_url_permission_matrix(client_as, url_name, kwargs, role, expected):
    response = client_as(role).get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == expected


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
