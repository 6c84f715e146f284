""" "Cancel this one" on a phone: from the day-before email's link to parents seeing "No group
on …", without signing in."""

import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import Cancellation
from tests.accounts.organiser_world import verified
from tests.browser.conftest import SHOTS, axe_violations
from tests.browser.test_organiser_pages import sign_in
from tests.directory.coming_dates import NOW, TOMORROW, make_coming_dates, question_about

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_every_state_of_the_still_on_pages_has_no_accessibility_violations(live_server, page):
    with time_machine.travel(NOW, tick=True) as clock:
        dates = make_coming_dates()
        question = question_about(dates.day_before.user, dates.session(dates.monday, TOMORROW))

        def answer_page(answer, heading):
            page.goto(
                live_server.url + reverse("session_answer", args=[question.link_token(answer)])
            )
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
            assert axe_violations(page) == []

        answer_page("on", "Is Monday Cuppa on?")
        page.get_by_role("button", name="Yes, it's on").click()
        expect(page.get_by_text("This link has been used")).to_be_visible()
        assert axe_violations(page) == []

        page.goto(live_server.url + reverse("session_answer", args=["made-up"]))
        expect(page.get_by_role("heading", name="This link doesn't work")).to_be_visible()
        assert axe_violations(page) == []

        question = question_about(dates.weekly.user, dates.session(dates.monday, TOMORROW))
        clock.move_to(NOW.replace(day=8, hour=12))
        answer_page("cancel", "Monday Cuppa")
        expect(page.get_by_text("This link has expired")).to_be_visible()

        verified(dates.never.user)
        sign_in(page, live_server, dates.never.user)
        page.get_by_role("link", name=re.compile("Emails asking “is it still on\\?”")).click()
        expect(page.get_by_role("heading", name=re.compile("Is it still on"))).to_be_visible()
        assert axe_violations(page) == []
        page.screenshot(path=f"{SHOTS}/session_emails.png", full_page=True)
        page.get_by_label("Once a week, about the coming week's dates").check()
        page.get_by_role("button", name="Save").click()
        expect(
            page.get_by_text("Saved: once a week, about the coming week's dates.")
        ).to_be_visible()
        assert axe_violations(page) == []
