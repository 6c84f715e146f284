"""Linking a group to the organiser's own calendar: a preview first, then its dates follow."""

import pytest
from django.urls import reverse

from directory.models import CalendarFeed
from tests.accounts.organiser_world import make_world
from tests.directory.feeds import shapes
from tests.directory.feeds.server import FeedServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    world = make_world()
    client.force_login(world.editor)
    return world


@pytest.fixture
def feed_server(settings):
    settings.CALENDAR_FEED_ALLOW_LOOPBACK = True
    with FeedServer() as server:
        yield server


def url(world, name="calendar_feed"):
    return reverse(name, args=[world.group.pk])


def test_a_preview_shows_the_next_dates_and_saves_nothing(client, world, feed_server):
    address = feed_server.serve("/cal.ics", shapes.google())
    response = client.post(url(world), {"url": address, "venue": "", "action": "preview"})
    assert response.status_code == 200
    first = shapes.day(2)
    assert f"{first:%A} {first.day} {first:%B %Y}, 10:00am–11:30am (Cuppa and Chat)" in (
        response.text
    )
    assert "Nothing is saved yet" in response.text
    assert not CalendarFeed.objects.exists()
    assert not world.group.extra_sessions.exclude(feed_key="").exists()


def test_following_the_calendar_shows_its_dates_at_once(client, world, feed_server):
    address = feed_server.serve("/cal.ics", shapes.google())
    response = client.post(url(world), {"url": address, "venue": world.venue.pk, "action": "save"})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(group=world.group)
    assert feed.venue == world.venue
    assert world.group.extra_sessions.exclude(feed_key="").count() == 6
    page = client.get(reverse("group_manage", args=[world.group.pk])).text
    assert "The dates follow your calendar" in page
    assert "Last updated" in page


@pytest.mark.parametrize(
    "address, message",
    [
        ("http://calendar.example.org/cal.ics", "must start with https://"),
        ("https://10.0.0.1/cal.ics", "not on the public internet"),
        ("https://169.254.169.254/latest/", "not on the public internet"),
        ("ftp://calendar.example.org/cal.ics", "must start with https://"),
    ],
)
def test_it_refuses_an_address_it_may_not_read(client, world, address, message):
    response = client.post(url(world), {"url": address, "venue": "", "action": "preview"})
    assert response.status_code == 200
    assert message in response.text
    assert not CalendarFeed.objects.exists()


def test_it_says_plainly_when_the_address_is_not_a_calendar(client, world, feed_server):
    address = feed_server.serve("/page", "<html>Sign in</html>", Content_Type="text/html")
    response = client.post(url(world), {"url": address, "venue": "", "action": "save"})
    assert "We couldn&#x27;t read that calendar: that address does not give" in response.text
    assert not CalendarFeed.objects.exists()


def test_the_venue_must_be_the_organisations_own(client, world, feed_server):
    other = make_world()
    address = feed_server.serve("/cal.ics", shapes.google())
    response = client.post(url(world), {"url": address, "venue": other.venue.pk, "action": "save"})
    assert response.status_code == 200
    assert not CalendarFeed.objects.exists()


def test_the_manage_page_shows_why_the_feed_could_not_be_read(client, world, feed_server):
    address = feed_server.serve("/cal.ics", shapes.google())
    client.post(url(world), {"url": address, "venue": "", "action": "save"})
    feed_server.serve("/cal.ics", b"broken")
    from directory import feeds

    feeds.follow(CalendarFeed.objects.get())
    page = client.get(reverse("group_manage", args=[world.group.pk])).text
    assert "could not read the feed since" in page
    assert "does not give a calendar (iCal) file" in page


def test_stopping_takes_the_calendars_dates_off(client, world, feed_server):
    address = feed_server.serve("/cal.ics", shapes.google())
    client.post(url(world), {"url": address, "venue": "", "action": "save"})
    assert client.post(url(world, "calendar_feed_stop")).status_code == 302
    assert not CalendarFeed.objects.exists()
    assert not world.group.extra_sessions.exclude(feed_key="").exists()


def test_a_colleague_can_link_the_calendar_too(client, world, feed_server):
    client.force_login(world.admin)
    address = feed_server.serve("/cal.ics", shapes.google())
    assert client.post(url(world), {"url": address, "action": "save"}).status_code == 302


def test_a_stranger_cannot_see_or_link_the_calendar(client, world, feed_server):
    client.force_login(world.stranger)
    address = feed_server.serve("/cal.ics", shapes.google())
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {"url": address, "action": "save"}).status_code == 404
    assert client.post(url(world, "calendar_feed_stop")).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert feed_server.requests == []
