"""An invited helper on a phone: the email's link, "Create an account" with the address filled
in, a password, and they are a member, with no confirmation email and no second click."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Membership
from directory import emails
from tests.accounts.organiser_world import make_world
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_invited_helper_creates_an_account_and_is_a_member_at_once(live_server, page, settings):
    settings.SITE_URL = live_server.url
    world = make_world()
    emails.invitation(world.invitation)
    link = re.search(r"http\S+/manage/invitations/\S+/", mail.outbox[-1].body).group(0)
    sent_before = len(mail.outbox)

    page.goto(link)
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("new.helper@example.org")
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/h16_shots/invitation_sign_up.png", full_page=True)

    page.get_by_label("Password", exact=True).fill("bramble-harbour-lantern-42")
    page.get_by_label("Password (again)").fill("bramble-harbour-lantern-42")
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_text(f"Welcome to {world.organisation.name}.")).to_be_visible()
    expect(page.get_by_role("link", name="Cuppa and Chat Elgin", exact=True)).to_be_visible()
    page.screenshot(path="/tmp/h16_shots/invitation_joined.png", full_page=True)
    assert Membership.objects.filter(
        user__email="new.helper@example.org", organisation=world.organisation
    ).exists()
    assert len(mail.outbox) == sent_before  # no "confirm your address" email
