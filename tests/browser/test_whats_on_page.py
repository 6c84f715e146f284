"""A parent looks at what's on this week and narrows it."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.public_data import small_directory

pytestmark = pytest.mark.django_db(transaction=True)


def session_times(page):
    values = page.locator(".sessions time").evaluate_all("els => els.map(e => e.dateTime)")
    return [datetime.datetime.fromisoformat(value) for value in values]


def test_she_sees_the_week_in_time_order_and_narrows_it(live_server, page):
    small_directory()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="What's on").click()
    expect(page.get_by_role("heading", name="What's on this week")).to_be_visible()
    expect(page.get_by_role("heading", name="3 sessions")).to_be_visible()
    page.wait_for_load_state()
    times = session_times(page)
    assert len(times) == 3
    assert times == sorted(times)

    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Evenings").check()
    page.get_by_role("button", name="Show what's on").click()
    expect(page.get_by_role("heading", name="1 session")).to_be_visible()
    expect(page.get_by_role("link", name="Elgin Natter")).to_be_visible()
    assert "when=evening" in page.url

    page.get_by_role("link", name="Later dates").click()
    expect(page.get_by_role("heading", name="What's on", exact=True)).to_be_visible()
    assert "when=evening" in page.url
    assert "start=" in page.url
    assert page.third_party_requests == []
