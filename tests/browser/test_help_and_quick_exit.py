"""The "Need help now?" panel and the "Exit this page" quick exit, in a real browser."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.public_data import small_directory

pytestmark = pytest.mark.django_db(transaction=True)

NEUTRAL_PATH = "/weather-forecast/"


@pytest.fixture
def neutral_url(live_server, settings):
    """Send the quick exit to a plain page instead of the real weather site: on another origin,
    as the real one is, so the site's service worker leaves it alone."""
    url = live_server.url.replace("localhost", "127.0.0.1") + NEUTRAL_PATH
    settings.QUICK_EXIT_URL = url
    return url


@pytest.fixture
def exit_page(page, neutral_url):
    page.route(
        neutral_url,
        lambda route: route.fulfill(
            content_type="text/html", body="<title>Weather</title><h1>Sunny spells</h1>"
        ),
    )
    return page


def test_need_help_now_brings_the_panel_into_view(live_server, page):
    small_directory()
    page.goto(live_server.url + "/")
    panel = page.locator("#need-help")
    expect(panel).not_to_be_in_viewport()
    page.get_by_role("link", name="Need help now?").click()
    expect(panel).to_be_in_viewport()
    heading = page.get_by_role("heading", name="Need help now?")
    bar_bottom = page.locator(".exit-bar").bounding_box()["height"]
    assert heading.bounding_box()["y"] >= bar_bottom  # not hidden under the sticky bar
    expect(page.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(page.get_by_role("link", name="0800 83 85 87")).to_be_visible()


def test_the_quick_exit_replaces_the_page(live_server, exit_page, neutral_url):
    page = exit_page
    page.goto(live_server.url + "/")
    # With the site's service worker in charge of the page, as it is on a return visit.
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    entries = page.evaluate("history.length")
    page.get_by_role("link", name="Exit this page").click()
    expect(page).to_have_url(neutral_url)
    expect(page.get_by_role("heading", name="Sunny spells")).to_be_visible()
    assert page.evaluate("history.length") == entries
    page.go_back()
    assert not page.url.startswith(live_server.url)


def test_shift_pressed_three_times_leaves_the_site(live_server, exit_page, neutral_url):
    page = exit_page
    small_directory()
    page.goto(live_server.url + "/whats-on/")
    page.locator("h1").click()  # the page has focus, not a field
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    expect(page.locator("[data-quick-exit-status]")).to_have_text(
        "Shift, press 1 more time to exit."
    )
    expect(page).to_have_url(live_server.url + "/whats-on/")  # twice is not enough
    page.keyboard.press("Shift")
    expect(page).to_have_url(neutral_url)
    page.go_back()
    assert not page.url.startswith(live_server.url + "/whats-on/")


def test_escape_clears_the_search_box_and_never_leaves(live_server, exit_page, neutral_url):
    page = exit_page
    page.goto(live_server.url + "/")
    search = page.get_by_label("Search by name, place or venue")
    search.fill("dads")
    page.keyboard.press("Escape")
    expect(search).to_have_value("")
    page.keyboard.press("Escape")
    page.locator("h1").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)  # give a wrong exit the time to happen
    expect(page).to_have_url(live_server.url + "/")


def test_capital_letters_typed_in_a_field_do_not_count_as_shift_presses(
    live_server, exit_page, neutral_url
):
    page = exit_page
    page.goto(live_server.url + "/")
    search = page.get_by_label("Search by name, place or venue")
    search.click()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.type("Forres Dads")
    page.wait_for_timeout(300)
    expect(page).to_have_url(live_server.url + "/")
    expect(search).to_have_value("Forres Dads")


def test_the_exit_says_beside_it_what_it_does_and_does_not_do(live_server, page):
    page.goto(live_server.url + "/")
    exit_link = page.get_by_role("link", name="Exit this page")
    expect(exit_link).to_have_accessible_description(re.compile("It can't clear your history"))
    box = exit_link.bounding_box()
    assert box["height"] < 60  # one line: the words never break mid-word
    page.get_by_role("link", name="how to browse privately").click()
    expect(page.get_by_role("heading", name="Leaving this site quickly")).to_be_visible()


def test_the_quick_exit_still_leaves_without_javascript(live_server, no_js_page, neutral_url):
    no_js_page.route(
        neutral_url, lambda route: route.fulfill(content_type="text/html", body="<h1>Weather</h1>")
    )
    no_js_page.goto(live_server.url + "/help/")
    no_js_page.get_by_role("link", name="Exit this page").click()
    expect(no_js_page).to_have_url(neutral_url)


def pages_kept(page):
    return page.evaluate(
        "caches.has('pages-1').then(async (has) => "
        "has ? (await (await caches.open('pages-1')).keys()).length : 0)"
    )


def until(check, seconds=5):
    """Ask again until `check()` holds: the worker saves and deletes after the page answers."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "still not so after waiting"
        time.sleep(0.1)


def test_the_quick_exit_removes_the_pages_kept_for_no_signal(live_server, exit_page, neutral_url):
    page = exit_page
    directory = small_directory()
    page.goto(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(live_server.url + directory.calm.get_absolute_url())
    until(lambda: pages_kept(page) > 0)
    page.get_by_role("link", name="Exit this page").click()
    expect(page).to_have_url(neutral_url)
    page.goto(live_server.url + "/help/")
    until(lambda: pages_kept(page) == 0)
