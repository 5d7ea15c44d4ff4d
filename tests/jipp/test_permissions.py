"""jipp/permissions.py: the authentication backend that answers Django's model permissions."""

import pytest
from django.contrib.auth.models import Permission

from jipp.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def granted_change_institution(user):
    user.user_permissions.add(Permission.objects.get(codename="change_institution"))
    return type(user).objects.get(pk=user.pk)  # a fresh object: permissions are cached per object


def test_model_permission_held_by_staff_is_granted():
    user = granted_change_institution(user_with_role(Role.HUB_ADMIN, username="staf", is_staff=True))
    assert user.has_perm("jipp.change_institution") is True


def test_model_permission_of_a_portal_user_who_is_not_staff_is_not_granted():
    user = granted_change_institution(user_with_role(Role.HUB_ADMIN, username="portal"))
    assert user.has_perm("jipp.change_institution") is False


def test_model_permission_check_of_a_portal_user_reads_nothing(django_assert_num_queries):
    user = user_with_role(Role.OPERATOR, username="op-biasa")
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(0):
        assert user.has_perm("jipp.change_institution") is False
