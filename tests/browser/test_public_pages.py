"""Every public page type: no WCAG 2.2 A/AA violation axe-core can find, a layout that holds
at 320 px wide, no cookie and nothing fetched from another host."""

import pytest
from playwright.sync_api import expect

from directory.shortlist import encode
from tests.browser.conftest import PHONE, SHOTS, axe_violations
from tests.browser.public_data import small_directory

pytestmark = pytest.mark.django_db(transaction=True)


def public_pages(directory):
    code = encode([directory.calm.pk, directory.natter.pk])
    return {
        "group list": "/",
        "group list, filtered to nothing": "/?area=elgin&topic=anxiety",
        "group page": directory.calm.get_absolute_url(),
        "group's map": directory.calm.get_absolute_url() + "map/",
        "what's on": "/whats-on/",
        "organisation list": "/organisations/",
        "organisation page": directory.organisation.get_absolute_url(),
        "area page": "/areas/forres/",
        "topic page": "/topics/anxiety/",
        "shortlist": f"/s/{code}/",
        "referral sheet": f"/s/{code}/print/",
        "group poster": directory.calm.get_absolute_url() + "poster/",
        "area poster": "/areas/forres/poster/",
        "on your website": "/on-your-website/",
        "help": "/help/",
    }


def open_every_filter(page):
    """Open the filter panel where there is one, so its form is checked too."""
    panel = page.locator("details.filter-panel")
    if panel.count():
        panel.locator(":scope > summary").click()
        # Every filter unfolded too (without JavaScript pages it is a no-op).
        page.evaluate("document.querySelectorAll('details.facet').forEach(d => d.open = true)")


def test_no_public_page_has_an_accessibility_violation(live_server, page):
    directory = small_directory()
    found = {}
    for name, path in public_pages(directory).items():
        page.goto(live_server.url + path)
        open_every_filter(page)
        found[name] = axe_violations(page)
    assert found == {name: [] for name in found}


def test_no_public_page_sets_a_cookie_or_fetches_from_another_host(live_server, page):
    directory = small_directory()
    for name, path in public_pages(directory).items():
        if name == "group's map":
            continue  # its pictures come from OpenStreetMap, as the page says (test_map.py)
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert page.context.cookies() == []
    assert page.third_party_requests == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_every_public_page_fits_a_320px_screen(live_server, browser, javascript):
    directory = small_directory()
    context = browser.new_context(
        **{**PHONE, "viewport": {"width": 320, "height": 640}}, java_script_enabled=javascript
    )
    page = context.new_page()
    too_wide = {}
    for name, path in public_pages(directory).items():
        page.goto(live_server.url + path)
        open_every_filter(page)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 320:
            too_wide[name] = width
    context.close()
    assert too_wide == {}


def newer_parts(directory):
    code = encode([directory.calm.pk, directory.cuppa.pk])
    return {
        "results with a shortlist": f"/?shortlist={code}",
        "group page with a shortlist": f"{directory.calm.get_absolute_url()}?shortlist={code}",
        "shortlist": f"/s/{code}/",
        "sheet": f"/s/{code}/print/",
        "map": "/map/",
        "report form": f"{directory.calm.get_absolute_url()}report/",
        "help": "/help/#need-help",
    }


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_newer_parts_fit_a_320px_screen(live_server, browser, javascript):
    directory = small_directory()
    directory.calm.last_confirmed = None  # a result card that says it may be out of date
    directory.calm.save()
    context = browser.new_context(
        **{**PHONE, "viewport": {"width": 320, "height": 640}}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    shots = SHOTS / ("320-js" if javascript else "320-no-js")
    shots.mkdir(parents=True, exist_ok=True)
    widths = {}

    def measure(name):
        # Once its stylesheet is in: after a form is sent, what it says shows before that.
        page.wait_for_load_state("load")
        widths[name] = page.evaluate("document.scrollingElement.scrollWidth")
        page.screenshot(path=shots / f"{name.replace(' ', '-')}.png", full_page=True)

    for name, path in newer_parts(directory).items():
        page.goto(live_server.url + path)
        measure(name)
    page.goto(live_server.url + newer_parts(directory)["report form"])
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary, .error-summary").first).to_be_visible()
    measure("report form with errors")
    if javascript:  # the offline page comes from the service worker
        page.goto(live_server.url + "/")
        page.evaluate("navigator.serviceWorker.ready")
        page.reload()
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        context.set_offline(True)
        page.goto(live_server.url + directory.natter.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text("No connection just now")
        measure("offline page")
        context.set_offline(False)
    context.close()
    assert {name: width for name, width in widths.items() if width > 320} == {}


def test_the_help_panel_fits_a_320px_screen_at_200_percent_text(live_server, browser):
    context = browser.new_context(**{**PHONE, "viewport": {"width": 320, "height": 640}})
    page = context.new_page()
    page.goto(live_server.url + "/help/")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    page.locator("#need-help").screenshot(path=SHOTS / "help-panel-320-200pc.png")
    context.close()
    assert width <= 320
