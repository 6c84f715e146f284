"""Subscriptions: a feed of each session as its own event, which calendar apps poll, so a
cancelled date or a changed time reaches the parent; and "Add this date" as one event."""

import datetime
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory import shortlist
from directory.models import Schedule
from directory.timetable import rebuild_sessions
from tests.accounts.organiser_world import make_world
from tests.factories import GroupFactory, ScheduleFactory, VenueFactory
from tests.tools import module, unavailable

pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def weekly_group(**fields):
    group = GroupFactory(**fields)
    ScheduleFactory(group=group, weekday=in_days(3).weekday(), starts_on=in_days(-20))
    rebuild_sessions(group)
    return group


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def by_date(found):
    return {event.decoded("dtstart").date(): event for event in found}


def test_each_stored_session_is_its_own_event(client):
    group = weekly_group(name="Cuppa and Chat")
    found = events(client.get(f"/groups/{group.slug}/feed.ics"))
    stored = group.sessions.filter(date__gte=in_days(-28))
    assert sorted(by_date(found)) == sorted(stored.values_list("date", flat=True))
    assert all("rrule" not in event for event in found)
    assert len({event["uid"] for event in found}) == len(found)


def test_uids_come_from_the_groups_and_sessions_ids_never_the_host(client, settings):
    group = weekly_group()
    settings.SITE_URL = "https://peer.example.org"
    first = [e["uid"] for e in events(client.get(f"/groups/{group.slug}/feed.ics"))]
    settings.SITE_URL = "https://moray-peer.example.net"
    rebuild_sessions(group)  # new session rows: the same sessions
    again = [e["uid"] for e in events(client.get(f"/groups/{group.slug}/feed.ics"))]
    assert first == again
    assert all(str(group.uuid) in uid and "example" not in uid for uid in first)


def test_a_cancelled_date_stays_in_the_feed_marked_cancelled(client):
    world = make_world()
    group = world.group
    found = by_date(events(client.get(f"/groups/{group.slug}/feed.ics")))
    cancelled = found[world.cancellation.date]
    assert cancelled["status"] == "CANCELLED"
    assert {str(e["status"]) for d, e in found.items() if d != world.cancellation.date} == {
        "CONFIRMED"
    }


def test_an_unchanged_feed_answers_304_and_a_change_makes_a_new_etag(client):
    world = make_world()
    client.force_login(world.editor)
    url = f"/groups/{world.group.slug}/feed.ics"
    calendar_app = Client()  # polls without signing in
    first = calendar_app.get(url)
    etag = first["ETag"]
    assert calendar_app.get(url).content == first.content
    assert calendar_app.get(url, headers={"if-none-match": etag}).status_code == 304

    day = world.group.sessions.upcoming().exclude(date=world.cancellation.date).first().date
    client.post(reverse("date_cancel", args=[world.group.pk, day.isoformat()]), {"note": ""})
    changed = calendar_app.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert by_date(events(changed))[day]["status"] == "CANCELLED"


def test_a_changed_time_updates_the_same_event(client):
    group = weekly_group()
    before = by_date(events(client.get(f"/groups/{group.slug}/feed.ics")))
    group.schedules.update(start_time=datetime.time(13), end_time=datetime.time(14))
    rebuild_sessions(group)
    after = by_date(events(client.get(f"/groups/{group.slug}/feed.ics")))
    day = min(d for d in after if d >= in_days(0))
    assert after[day]["uid"] == before[day]["uid"]
    assert after[day].decoded("dtstart").time() == datetime.time(13)


def test_add_this_date_is_one_event(client):
    group = weekly_group()
    day = group.sessions.upcoming().first().date
    response = client.get(f"/groups/{group.slug}/dates/{day.isoformat()}.ics")
    (event,) = events(response)
    assert event.decoded("dtstart").date() == day
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("day", ["2026-02-30", "not-a-date", None])
def test_add_this_date_is_not_found_for_a_day_without_a_session(client, day):
    group = weekly_group()
    day = day or in_days(4).isoformat()
    assert client.get(f"/groups/{group.slug}/dates/{day}.ics").status_code == 404


def test_organisation_area_and_shortlist_feeds_hold_their_groups_sessions(client):
    group = weekly_group(name="In the feed")
    other = weekly_group(name="Somewhere else")
    venue = group.schedules.get().venue
    area = venue.area
    other.schedules.update(venue=VenueFactory(area__name="Forres", area__slug="forres"))
    rebuild_sessions(other)
    for url in (
        f"/organisations/{group.organisation.slug}/feed.ics",
        f"/areas/{area.slug}/feed.ics",
        f"/s/{shortlist.encode([group.pk])}/feed.ics",
    ):
        summaries = {str(event["summary"]) for event in events(client.get(url))}
        assert summaries == {"In the feed"}, url


def test_the_shortlist_page_offers_a_subscription(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    group = weekly_group()
    code = shortlist.encode([group.pk])
    text = client.get(f"/s/{code}/").text
    assert f'href="webcal://peer.example.org/s/{code}/feed.ics"' in text


@pytest.mark.parametrize(
    "path", ["/groups/{slug}/feed.ics", "/organisations/{org}/feed.ics", "/areas/nowhere/feed.ics"]
)
def test_feeds_of_unlisted_things_are_not_found(client, path):
    from directory.models import Group

    group = weekly_group(status=Group.Status.DRAFT)
    from accounts.models import Organisation

    pending = GroupFactory(organisation__status=Organisation.Status.PENDING).organisation
    url = path.format(slug=group.slug, org=pending.slug)
    assert client.get(url).status_code == 404


# --- A round trip through a real CalDAV server ------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def caldav_server(tmp_path):
    """Radicale on a loopback port, with a calendar to subscribe into."""
    module("radicale", "Radicale")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--auth-type",
            "none",
            "--rights-type",
            "authenticated",
            "--storage-filesystem-folder",
            str(tmp_path / "collections"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            unavailable("Radicale did not start")
        calendar = f"{base}/parent/family/"
        dav(calendar, "MKCALENDAR")
        yield calendar
    finally:
        server.terminate()
        server.wait(timeout=10)


def dav(url, method, body=None, content_type="text/calendar; charset=utf-8", depth=None):
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", "Basic cGFyZW50OnBhcmVudA==")  # parent:parent
    if body is not None:
        request.add_header("Content-Type", content_type)
    if depth is not None:
        request.add_header("Depth", depth)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def subscribe(calendar_url, feed):
    """What a syncing calendar app does with a feed: one calendar object per UID (RFC 4791
    4.1), each with the time zone it needs, stored under a name from its UID."""
    calendar = icalendar.Calendar.from_ical(feed)
    zones = calendar.walk("VTIMEZONE")
    for event in calendar.walk("VEVENT"):
        one = icalendar.Calendar()
        for name in ("prodid", "version"):
            one.add(name, calendar[name])
        for zone in zones:
            one.add_component(zone)
        one.add_component(event)
        name = uuid.uuid5(uuid.NAMESPACE_URL, str(event["uid"]))
        dav(f"{calendar_url}{name}.ics", "PUT", one.to_ical())


def stored_on_server(calendar_url, first, last):
    """Events the server finds in a time-range query, by start date."""
    query = f"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="{first:%Y%m%dT%H%M%SZ}" end="{last:%Y%m%dT%H%M%SZ}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""
    answer = dav(calendar_url, "REPORT", query.encode(), "application/xml", depth="1")
    found = {}
    for data in ET.fromstring(answer).iter("{urn:ietf:params:xml:ns:caldav}calendar-data"):
        for event in icalendar.Calendar.from_ical(data.text).walk("VEVENT"):
            found[event.decoded("dtstart").date()] = event
    return found


def test_a_cancellation_reaches_a_subscriber_through_a_caldav_server(client, caldav_server):
    world = make_world()
    group = world.group
    group.schedules.update(frequency=Schedule.Frequency.WEEKLY)
    rebuild_sessions(group)
    feed_url = f"/groups/{group.slug}/feed.ics"
    subscribe(caldav_server, client.get(feed_url).content)

    first = timezone.now()
    last = first + datetime.timedelta(days=60)
    coming = list(
        group.sessions.filter(starts_at__gte=first, starts_at__lte=last).order_by("starts_at")
    )
    on_server = stored_on_server(caldav_server, first, last)
    assert sorted(on_server) == [s.date for s in coming]
    day = next(s.date for s in coming if not s.cancelled)
    assert on_server[day]["status"] == "CONFIRMED"

    client.force_login(world.editor)
    client.post(reverse("date_cancel", args=[group.pk, day.isoformat()]), {"note": "Hall shut"})
    subscribe(caldav_server, client.get(feed_url).content)

    again = stored_on_server(caldav_server, first, last)
    assert again[day]["status"] == "CANCELLED"
    assert "Hall shut" in str(again[day]["description"])
    assert sorted(again) == sorted(on_server)
