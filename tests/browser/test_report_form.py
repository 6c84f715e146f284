"""Report a problem, on a phone: errors in the GOV.UK pattern, with no browser bubble first."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.public_data import small_directory

pytestmark = pytest.mark.django_db(transaction=True)


def test_sending_without_a_choice_shows_a_focused_linked_error_summary(live_server, page):
    directory = small_directory()
    page.goto(f"{live_server.url}{directory.calm.get_absolute_url()}report/")
    page.get_by_role("button", name="Send").click()
    # The server answered (no browser validation bubble held the form back).
    expect(page).to_have_title(re.compile(r"^Error: Report a problem with Forres Calm Parents"))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    summary.get_by_role("link", name="Tell us what is wrong with this listing").click()
    expect(page.locator("fieldset#id_kind")).to_be_focused()
    expect(page.get_by_role("group", name="What's wrong?")).to_have_accessible_description(
        "Error: Tell us what is wrong with this listing"
    )
    assert axe_violations(page) == []
