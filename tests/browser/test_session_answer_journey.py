""" "Cancel this one" on a phone: from the day-before email's link to parents seeing "No group
on …", without signing in."""

import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from directory.models import Cancellation
from tests.browser.conftest import axe_violations
from tests.directory.coming_dates import NOW, TOMORROW, make_coming_dates

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "/tmp/h16b_shots"


def test_cancelling_tomorrow_from_the_email_takes_three_taps(live_server, page, settings):
    settings.SITE_URL = live_server.url
    with time_machine.travel(NOW, tick=True):
        dates = make_coming_dates()
        call_command("ask_about_coming_sessions")
        [email] = [m for m in mail.outbox if m.to == [dates.day_before.user.email]]
        cancel_link = re.search(
            r"Cancel this one \(add a note for parents\):\n(http\S+)", email.body
        ).group(1)

        taps = 1  # the link in the email
        page.goto(cancel_link)
        expect(
            page.get_by_role("heading", name="Cancel Monday Cuppa on Monday 8 March?")
        ).to_be_visible()
        expect(page.get_by_text("Monday 8 March, 10:00am–11:30am")).to_be_visible()
        assert axe_violations(page) == []
        page.screenshot(path=f"{SHOTS}/cancel_from_email.png", full_page=True)
        assert not Cancellation.objects.exists()  # opening the link changed nothing

        note = page.get_by_label("A note for parents")
        note.click()
        taps += 1
        note.press_sequentially("Our leader is poorly, back next week")
        page.get_by_role("button", name="Cancel this date").click()
        taps += 1
        expect(page.get_by_text("Done: no group on Monday 8 March")).to_be_visible()
        assert axe_violations(page) == []
        page.screenshot(path=f"{SHOTS}/cancel_from_email_done.png", full_page=True)

        page.goto(live_server.url + dates.monday.get_absolute_url())
        expect(page.get_by_text("No group on Mon 8 Mar")).to_be_visible()
        expect(page.get_by_text("Our leader is poorly, back next week")).to_be_visible()
        page.screenshot(path=f"{SHOTS}/group_page_after_cancel.png", full_page=True)

    assert Cancellation.objects.get().date == TOMORROW
    assert taps == 3
