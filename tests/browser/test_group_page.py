"""A parent opens a group from the list and gets what she needs to go."""

import re
from pathlib import Path

import icalendar
import pytest
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from tests.browser.public_data import in_days, small_directory

pytestmark = pytest.mark.django_db(transaction=True)


def test_she_opens_a_group_and_finds_when_where_and_who(live_server, page):
    small_directory()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Forres Calm Parents", exact=True).click()

    expect(page.get_by_role("heading", name="Forres Calm Parents", level=1)).to_be_visible()
    next_time = page.locator(".next-box")
    expect(next_time).to_contain_text(date_format(in_days(2), "l j F"))
    expect(next_time).to_contain_text("Forres Hall")
    expect(page.get_by_text(f"No group on {date_format(in_days(9), 'D j M')}")).to_be_visible()
    expect(page.get_by_role("link", name="Moray Wellbeing Hub", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Call 01309 123 456")).to_have_attribute(
        "href", "tel:01309123456"
    )
    expect(page.get_by_role("link", name="Email calm@example.org")).to_have_attribute(
        "href", "mailto:calm@example.org"
    )
    directions = page.get_by_role("link", name="Directions (opens Google Maps)")
    expect(directions).to_have_attribute(
        "href", "https://www.google.com/maps/dir/?api=1&destination=57.64900%2C-3.31800"
    )
    expect(page.get_by_text("The organiser last confirmed these details on")).to_be_visible()
    assert page.third_party_requests == []
    assert page.context.cookies() == []


def test_add_this_date_downloads_the_next_date_and_subscribing_is_offered(live_server, page):
    directory = small_directory()
    calm = directory.calm
    page.goto(live_server.url + calm.get_absolute_url())
    expect(page.get_by_role("link", name="Subscribe to all its dates")).to_have_attribute(
        "href", re.compile(rf"^webcal://.+/groups/{calm.slug}/feed\.ics$")
    )
    next_date = calm.sessions.upcoming().first()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add this date to my calendar").click()
    assert download.value.suggested_filename == f"{calm.slug}-{next_date.date:%Y-%m-%d}.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event["summary"] == "Forres Calm Parents"
    assert "rrule" not in event
    assert event.decoded("dtstart") == next_date.starts_at
