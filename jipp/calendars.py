"""Calendar files (RFC 5545) of a hub's activities: one per activity, and a feed of upcoming ones.

Each event carries the activity's stable UID and its SEQUENCE, so that a calendar program that
imported it updates (or, once cancelled, strikes out) the same event instead of adding a copy.
Times are written in UTC, which every calendar program converts to the reader's own zone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from .models import Activity

if TYPE_CHECKING:
    from icalendar import Event

PRODUCT_ID = "-//Hub JIPP Sulawesi Barat//Portal//ID"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    # Calendars count in whole seconds.
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def _event(activity: Activity, *, page_url: str, with_link: bool, stamp: datetime.datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"{activity.uid}@hub-jipp")
    event.add("dtstamp", stamp)
    event.add("dtstart", _utc(activity.starts_at))
    event.add("dtend", _utc(activity.ends_at))
    event.add("sequence", activity.sequence)
    event.add("summary", activity.title)
    event.add("status", "CANCELLED" if activity.cancelled else "CONFIRMED")
    event.add("categories", [str(activity.get_kind_display())])
    description = [activity.description.strip()] if activity.description.strip() else []
    # The meeting link only for those invited: a public feed must not hand it to anybody.
    if with_link and activity.link:
        description.append(activity.link)
    description.append(page_url)
    event.add("description", "\n\n".join(description))
    location = [activity.place] if activity.place else []
    if with_link and activity.link:
        location.append(activity.link)
    if location:
        event.add("location", " · ".join(location))
    event.add("url", page_url)
    event.add("last-modified", _utc(activity.updated_at))
    return event


def activities_calendar(*, activities: Iterable[tuple[Activity, str, bool]], name: str) -> bytes:
    """The calendar of `activities`, each given with its page's absolute URL and whether its link may be shown."""
    # Imported here: icalendar adds some 80 modules and 1 MB to every web worker at start, for the
    # calendar files alone.
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = _utc(timezone.now())
    for activity, page_url, with_link in activities:
        calendar.add_component(_event(activity, page_url=page_url, with_link=with_link, stamp=stamp))
    return calendar.to_ical()
