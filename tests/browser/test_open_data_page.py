import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_open_data_page_has_no_accessibility_violations(live_server, page):
    group_with_schedule(name="Cuppa and Chat Elgin")
    page.goto(live_server.url + "/open-data/")
    expect(page.get_by_role("heading", name="Open data", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    assert page.third_party_requests == []


def test_the_open_data_page_fits_a_small_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + "/open-data/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0
