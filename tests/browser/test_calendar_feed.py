"""An organiser links the group's own calendar on a phone; when the calendar changes, the
public page follows once the half-hourly command has run."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from directory.timetable import rebuild_sessions
from tests.accounts.organiser_world import make_world, verified
from tests.browser.conftest import axe_violations
from tests.browser.test_organiser_pages import sign_in
from tests.directory.feeds import shapes
from tests.directory.feeds.server import FeedServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def feed_server(settings):
    settings.CALENDAR_FEED_ALLOW_LOOPBACK = True
    with FeedServer() as server:
        yield server


def test_a_linked_calendars_change_shows_on_the_public_page(live_server, page, feed_server):
    world = make_world()
    verified(world.admin)
    # Only the calendar's dates, so the page's first eight are all from it.
    world.group.schedules.all().delete()
    world.group.extra_sessions.all().delete()
    rebuild_sessions(world.group)
    address = feed_server.serve("/group.ics", shapes.google(weekly_count=3, start_hour=15))
    sign_in(page, live_server, world.admin)

    page.goto(f"{live_server.url}/manage/groups/{world.group.pk}/")
    page.get_by_role("link", name="Follow your calendar").click()
    expect(page.get_by_role("heading", name="Follow your calendar")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Your calendar's iCal address").fill(address)
    page.get_by_label("Where these dates happen").select_option(value=str(world.venue.pk))
    page.get_by_role("button", name="Preview dates").click()
    preview = page.get_by_role("heading", name="The next dates from your calendar")
    expect(preview).to_be_visible()
    first = shapes.day(2)
    expect(page.get_by_text(f"{first:%A} {first.day} {first:%B %Y}, 3:00pm–4:30pm")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/feed-preview.png", full_page=True)
    page.get_by_role("button", name="Follow this calendar").click()
    expect(page.get_by_text("Your calendar is linked")).to_be_visible()
    expect(page.get_by_text("Last updated")).to_be_visible()

    page.goto(live_server.url + world.group.get_absolute_url())
    expect(page.get_by_text("3:00pm–4:30pm").first).to_be_visible()

    # The organiser moves the group to 4pm and drops the third week in their own calendar.
    feed_server.serve("/group.ics", shapes.google(weekly_count=2, start_hour=16))
    call_command("follow_calendar_feeds")
    page.reload()
    expect(page.get_by_text("4:00pm–5:30pm").first).to_be_visible()
    third = shapes.day(16)
    expect(page.get_by_text(f"No group on {third:%a} {third.day} {third:%b}")).to_be_visible()
    page.screenshot(path="/tmp/feed-public.png", full_page=True)
    assert page.third_party_requests == []
