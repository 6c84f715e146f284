"""With no signal: the urgent help, the shortlist and the group pages opened lately still open,
marked as saved copies; a page never opened shows the offline page with the help numbers."""

import pytest
from playwright.sync_api import expect

from directory.shortlist import encode
from tests.browser.conftest import axe_violations
from tests.browser.public_data import small_directory

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_the_worker(page):
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def test_saved_pages_open_with_no_connection_and_others_show_the_offline_page(live_server, page):
    directory = small_directory()
    code = encode([directory.calm.pk, directory.cuppa.pk])
    page.goto(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    wait_for_the_worker(page)
    page.goto(live_server.url + directory.calm.get_absolute_url())
    page.goto(f"{live_server.url}/s/{code}/")
    page.wait_for_timeout(300)  # the worker saves its copies after answering

    page.context.set_offline(True)
    try:
        page.goto(live_server.url + directory.calm.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text("Forres Calm Parents")
        expect(page.locator(".saved-copy")).to_contain_text("copy saved on this phone on")

        page.goto(f"{live_server.url}/s/{code}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Groups picked for you")
        expect(page.locator(".saved-copy")).to_be_visible()

        page.goto(live_server.url + "/help/")
        expect(page.get_by_role("link", name="116 123")).to_be_visible()

        page.goto(live_server.url + directory.natter.get_absolute_url())  # never opened
        expect(page.get_by_role("heading", level=1)).to_have_text("No connection just now")
        expect(page.get_by_role("link", name="116 123")).to_be_visible()
        page.get_by_role("link", name="Need help now?").click()
        expect(page.locator("#need-help")).to_be_in_viewport()
        assert axe_violations(page) == []
    finally:
        page.context.set_offline(False)
    assert page.context.cookies() == []
    assert page.third_party_requests == []


def test_a_page_seen_signed_in_never_stays_on_the_phone(live_server, page):
    from django.test import Client

    from tests.factories import UserFactory

    directory = small_directory()
    page.goto(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    wait_for_the_worker(page)
    organiser = Client()
    organiser.force_login(UserFactory(first_name="Morag"))
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": organiser.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + directory.calm.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Forres Calm Parents")
    page.wait_for_timeout(300)  # as long as the worker takes to save a copy it may keep
    page.context.clear_cookies()
    page.context.set_offline(True)
    try:
        page.goto(live_server.url + directory.calm.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text("No connection just now")
    finally:
        page.context.set_offline(False)
