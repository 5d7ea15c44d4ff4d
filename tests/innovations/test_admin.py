import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from innovations.models import SDG, Innovation, State, WorkflowEvent
from tests.factories import UserFactory
from tests.innovations.factories_workflow import InnovationFactory, WorkflowEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    return user


def test_admin_innovation_uses_simple_history():
    assert isinstance(admin.site._registry[Innovation], SimpleHistoryAdmin) is True


def test_admin_innovation_change_page_renders(client, superuser):
    innovation = InnovationFactory()
    client.force_login(superuser)
    assert client.get(reverse("admin:innovations_innovation_change", args=[innovation.pk])).status_code == 200


def test_admin_innovation_history_page_renders(client, superuser):
    innovation = InnovationFactory()
    client.force_login(superuser)
    assert client.get(reverse("admin:innovations_innovation_history", args=[innovation.pk])).status_code == 200


def test_admin_state_is_read_only(client, superuser):
    innovation = InnovationFactory()
    client.force_login(superuser)
    response = client.get(reverse("admin:innovations_innovation_change", args=[innovation.pk]))
    assert ('name="state"' in response.content.decode()) is False


def test_admin_sdg_cannot_be_changed(client, superuser):
    client.force_login(superuser)
    sdg = SDG.objects.get(number=1)
    response = client.post(reverse("admin:innovations_sdg_change", args=[sdg.pk]), {"number": 1, "name_id": "X"})
    sdg.refresh_from_db()
    assert (response.status_code, sdg.name_id != "X") == (403, True)


def test_admin_workflow_event_cannot_be_deleted(client, superuser):
    event = WorkflowEventFactory()
    client.force_login(superuser)
    client.post(reverse("admin:innovations_workflowevent_delete", args=[event.pk]), {"post": "yes"})
    assert WorkflowEvent.objects.filter(pk=event.pk).exists() is True


def test_admin_innovation_list_renders(client, superuser):
    InnovationFactory(state=State.SUBMITTED)
    client.force_login(superuser)
    assert client.get(reverse("admin:innovations_innovation_changelist")).status_code == 200
