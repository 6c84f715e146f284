"""What the phone kept, read with no signal: the offline page lists the saved pages, and a
saved copy read later gives each date as the day itself ("Tomorrow" was true when the copy was
saved, not when the parent reads it on the bus two days on)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.recurrence import DAY_NAMES, MONTH_NAMES
from directory.timetable import rebuild_sessions
from tests.factories import ExtraSessionFactory, GroupFactory, VenueFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_saved_copy_says_the_day_not_tomorrow(live_server, page):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    group = GroupFactory(name="Lossie Tiny Steps")
    ExtraSessionFactory(
        group=group,
        date=tomorrow,
        start_time=datetime.time(10),
        end_time=datetime.time(11),
        venue=VenueFactory(organisation=group.organisation),
    )
    rebuild_sessions(group)
    page.goto(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(live_server.url + group.get_absolute_url())
    next_date = page.locator(".big time").first
    expect(next_date).to_have_text("Tomorrow, 10:00am–11:00am")
    page.wait_for_timeout(300)  # the worker saves its copy after answering

    page.context.set_offline(True)
    try:
        page.goto(live_server.url + group.get_absolute_url())
        expect(page.locator(".saved-copy")).to_be_visible()
        day = f"{DAY_NAMES[tomorrow.weekday()]} {tomorrow.day} {MONTH_NAMES[tomorrow.month - 1]}"
        expect(next_date).to_have_text(f"{day}, 10:00am–11:00am")
        expect(page.get_by_text("Tomorrow,")).to_have_count(0)
    finally:
        page.context.set_offline(False)


def test_the_offline_page_lists_the_pages_saved_on_the_phone(live_server, page):
    kept = GroupFactory(name="Forres Calm Parents")
    never_opened = GroupFactory(name="Keith Cuppa")
    page.goto(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(live_server.url + kept.get_absolute_url())
    page.wait_for_timeout(300)  # the worker saves its copy after answering

    page.context.set_offline(True)
    try:
        page.goto(live_server.url + never_opened.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text("No connection just now")
        saved = page.get_by_role("region", name="Saved on this phone")
        expect(saved.get_by_role("link")).to_have_count(1)
        saved.get_by_role("link", name="Forres Calm Parents").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Forres Calm Parents")
        expect(page.locator(".saved-copy")).to_be_visible()
    finally:
        page.context.set_offline(False)
