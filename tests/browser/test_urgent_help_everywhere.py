""" "Need help now?" is one tap from every public page, the offline page included, and that one
tap brings every number into view, ready to call or text."""

import pytest
from playwright.sync_api import expect

from directory.helplines import EMERGENCY, HELPLINES
from directory.shortlist import encode
from tests.browser.conftest import SHOTS
from tests.browser.public_data import small_directory

pytestmark = pytest.mark.django_db(transaction=True)

TILES = "https://tile.openstreetmap.org/"


def page_types(directory):
    code = encode([directory.calm.pk, directory.cuppa.pk])
    return {
        "home": "/",
        "list": "/?area=forres",
        "group page": directory.calm.get_absolute_url(),
        "shortlist": f"/s/{code}/",
        "sheet": f"/s/{code}/print/",
        "map": "/map/",
        "help": "/help/",
        "what's on": "/whats-on/",
        "report form": f"{directory.calm.get_absolute_url()}report/",
    }


def one_tap_shows_every_number(page, name):
    page.get_by_role("link", name="Need help now?").tap()
    expect(page.locator("#need-help")).to_be_in_viewport()
    for line in (EMERGENCY, *HELPLINES):
        link = page.locator(f'#need-help a[href="{line.href}"]')
        expect(link).to_be_in_viewport()
        if line.text_word:
            # The plain words work when the phone opens its messages app empty.
            expect(link).to_have_text(f"Text {line.text_word} to {line.number}")
    bar = page.locator(".exit-bar").bounding_box()
    heading = page.locator("#need-help-title").bounding_box()
    assert heading["y"] >= bar["y"] + bar["height"] - 1, name  # never under the sticky bar
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"help-one-tap-{name.replace(' ', '-')}.png")


def test_one_tap_reaches_the_numbers_from_every_page_type(live_server, page):
    page.route(TILES + "**", lambda route: route.abort())
    directory = small_directory()
    for name, path in page_types(directory).items():
        page.goto(live_server.url + path)
        one_tap_shows_every_number(page, name)


def test_one_tap_reaches_the_numbers_on_the_offline_page(live_server, page):
    directory = small_directory()
    page.goto(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    try:
        page.goto(live_server.url + directory.natter.get_absolute_url())  # never opened
        expect(page.get_by_role("heading", level=1)).to_have_text("No connection just now")
        one_tap_shows_every_number(page, "offline page")
    finally:
        page.context.set_offline(False)


def test_a_search_that_may_mean_danger_shows_the_text_lines_with_the_calls(live_server, page):
    from directory.terms import load_search_words

    small_directory()
    load_search_words()
    page.goto(live_server.url + "/?q=I+can%27t+cope")
    results = page.locator("#results")
    expect(results.get_by_role("heading", level=2).first).to_have_text(
        "You don't have to carry this on your own"
    )
    expect(results.get_by_role("link", name="Text SHOUT to 85258")).to_be_visible()
    expect(results.get_by_role("link", name="Text PANDAS to 85258")).to_be_visible()
    page.screenshot(path=SHOTS / "help-crisis-search.png", full_page=True)
