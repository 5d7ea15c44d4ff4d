"""Activity pages and calendar files: what each reader sees, and ICS that calendar programs accept."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from jipp.models import Activity
from tests.jipp.factories_hub import ActivityFactory

pytestmark = pytest.mark.django_db


def detail(client, activity):
    with translation.override("en"):
        return client.get(reverse("jipp:activity_detail", kwargs={"slug": activity.hub.slug, "pk": activity.pk}))


def ics(client, activity):
    return client.get(reverse("jipp:activity_ics", kwargs={"slug": activity.hub.slug, "pk": activity.pk}))


def feed(client, hub):
    return client.get(reverse("jipp:activity_feed", kwargs={"slug": hub.slug}))


def events(response):
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_activity_detail_shows_the_link_to_an_invited_member(client, operator, activity):
    client.force_login(operator)
    assert activity.link in detail(client, activity).content.decode()


@pytest.mark.parametrize("reader", ["anonymous", "other_operator", "reviewer"])
def test_activity_detail_hides_the_link_from_others(client_as, reader, activity):
    page = detail(client_as(reader), activity).content.decode()
    assert (activity.link in page, "Sent to the invited institutions." in page) == (False, True)


def test_activity_detail_shows_minutes_to_the_invited_only(client_as, activity):
    Activity.objects.filter(pk=activity.pk).update(minutes="Disepakati tiga langkah.")
    seen = {
        reader: "Disepakati tiga langkah." in detail(client_as(reader), activity).content.decode()
        for reader in ("anonymous", "other_operator", "operator")
    }
    assert seen == {"anonymous": False, "other_operator": False, "operator": True}


def test_activity_ics_is_a_valid_calendar_with_the_activity(client, activity):
    response = ics(client, activity)
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (str(calendar["VERSION"]), str(calendar["PRODID"]).startswith("-//")) == ("2.0", True)
    assert (str(event["UID"]), str(event["SUMMARY"]), event["SEQUENCE"], str(event["STATUS"])) == (
        f"{activity.uid}@hub-jipp",
        activity.title,
        0,
        "CONFIRMED",
    )
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (
        activity.starts_at.replace(microsecond=0),
        activity.ends_at.replace(microsecond=0),
    )
    assert "DTSTAMP" in event


def test_activity_ics_lines_follow_rfc_5545(client, activity):
    Activity.objects.filter(pk=activity.pk).update(description="Baris satu; baris dua, tiga.\n" + "panjang " * 30)
    raw = ics(client, activity).content
    lines = raw.split(b"\r\n")
    assert (raw.endswith(b"\r\n"), max(len(line) for line in lines) <= 75, b"\n" not in raw.replace(b"\r\n", b"")) == (
        True,
        True,
        True,
    )


def test_activity_ics_has_the_link_only_for_the_invited(client_as, activity):
    anonymous = str(events(ics(client_as("anonymous"), activity))[0]["DESCRIPTION"])
    invited = str(events(ics(client_as("operator"), activity))[0]["DESCRIPTION"])
    assert (activity.link in anonymous, activity.link in invited) == (False, True)


def test_activity_ics_of_a_cancelled_activity_says_so_with_a_higher_sequence(client, hub_admin, activity):
    client.force_login(hub_admin)
    client.post(reverse("jipp:activity_cancel", kwargs={"slug": activity.hub.slug, "pk": activity.pk}))
    [event] = events(ics(client, activity))
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 1)


def test_activity_feed_lists_upcoming_activities_only_soonest_first(client, hub_network, activity, past_activity):
    later = ActivityFactory(hub=hub_network, starts_at=timezone.now() + datetime.timedelta(days=30))
    summaries = [str(event["SUMMARY"]) for event in events(feed(client, hub_network))]
    assert summaries == [activity.title, later.title]


def test_activity_feed_queries_do_not_grow_with_activities(client, hub_network, activity):
    with CaptureQueriesContext(connection) as before:
        feed(client, hub_network)
    for _number in range(6):
        ActivityFactory(hub=hub_network)
    with CaptureQueriesContext(connection) as after:
        feed(client, hub_network)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_activity_manage_list_queries_do_not_grow_with_activities(client, hub_admin, hub_network, activity):
    client.force_login(hub_admin)
    url = reverse("jipp:activity_manage_list", kwargs={"slug": hub_network.slug})
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _number in range(6):
        ActivityFactory(hub=hub_network)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_activity_create_page_refuses_online_without_link_and_keeps_the_title(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    with translation.override("en"):
        response = client.post(
            reverse("jipp:activity_create", kwargs={"slug": hub_network.slug}),
            {
                "kind": "webinar",
                "title": "Webinar replikasi",
                "starts_at": "2030-03-18T09:00",
                "ends_at": "2030-03-18T12:00",
                "mode": "online",
            },
        )
    assert "Give the link of an online activity." in response.content.decode()
    assert response.context["form"]["title"].value() == "Webinar replikasi"


def test_activity_create_page_reads_the_time_in_the_portal_time_zone(client, hub_admin, hub_network):
    client.force_login(hub_admin)
    client.post(
        reverse("jipp:activity_create", kwargs={"slug": hub_network.slug}),
        {
            "kind": "webinar",
            "title": "Webinar replikasi",
            "starts_at": "2030-03-18T09:00",
            "ends_at": "2030-03-18T12:00",
            "mode": "online",
            "link": "https://zoom.example.org/j/9",
        },
    )
    activity = Activity.objects.get(title="Webinar replikasi")
    # WITA is UTC+8.
    assert activity.starts_at == datetime.datetime(2030, 3, 18, 1, 0, tzinfo=datetime.UTC)


def test_activity_report_page_saves_attendance_of_invited_institutions(client, hub_admin, activity, institution):
    client.force_login(hub_admin)
    client.post(
        reverse("jipp:activity_report", kwargs={"slug": activity.hub.slug, "pk": activity.pk}),
        {"minutes": "Notulen", f"attended_{institution.pk}": "on", f"names_{institution.pk}": "Andi"},
    )
    line = activity.attendance.get()
    assert (line.institution, line.attended, line.names) == (institution, True, "Andi")
