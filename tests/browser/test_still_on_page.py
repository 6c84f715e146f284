""" "Is it still on?" on a phone: the reminder email's link, through sign-in, to one button."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from directory.models import Group
from tests.accounts.organiser_world import make_world, verified
from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reminder_link_leads_through_sign_in_to_one_button(live_server, page, settings):
    settings.SITE_URL = live_server.url
    world = make_world()
    verified(world.editor)
    Group.objects.filter(pk=world.group.pk).update(
        last_confirmed=timezone.localdate() - datetime.timedelta(days=85)
    )
    call_command("send_review_reminders")
    link = re.search(r"http\S+/still-on/", mail.outbox[0].body).group(0)

    page.goto(link)
    page.get_by_label("Email").fill(world.editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Is Cuppa and Chat Elgin still on?")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/h16_shots/still_on.png", full_page=True)

    page.get_by_role("button", name="Yes, it's all still on").click()
    expect(page.get_by_text(re.compile("^Checked today. Parents"))).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/h16_shots/still_on_done.png", full_page=True)
    world.group.refresh_from_db()
    assert world.group.stale_reminders_sent == 0
