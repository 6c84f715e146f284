"""Every page an organiser or a moderator opens in the back office, at 390 × 844, has no
WCAG 2.2 A/AA violations axe-core can find, and no page scrolls sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.accounts.organiser_world import make_world
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def organiser_pages(world):
    group, org = world.group.pk, world.organisation.slug
    day = world.session_dates[0].isoformat()
    return [
        reverse("dashboard"),
        reverse("group_create"),
        reverse("group_manage", args=[group]),
        reverse("group_edit", args=[group]),
        reverse("group_history", args=[group]),
        reverse("group_still_on", args=[group]),
        reverse("group_evidence", args=[group]),
        reverse("schedule_create", args=[group]),
        reverse("schedule_edit", args=[group, world.schedule.pk]),
        reverse("schedule_venue", args=[group, world.schedule.pk]),
        reverse("pause_create", args=[group]),
        reverse("extra_create", args=[group]),
        reverse("date_cancel", args=[group, day]),
        reverse("calendar_feed", args=[group]),
        reverse("venue_list", args=[org]),
        reverse("venue_create", args=[org]),
        reverse("venue_edit", args=[world.venue.pk]),
        reverse("venue_history", args=[world.venue.pk]),
        reverse("member_list", args=[org]),
        reverse("organisation_evidence", args=[org]),
        reverse("session_emails", args=[org]),
    ]


def moderator_pages(world):
    return [
        reverse("moderation_overview"),
        f"/moderation/organisations/{world.organisation.slug}/",
        f"/moderation/groups/{world.group.pk}/",
        "/moderation/demand/",
        "/moderation/csv/import/",
    ]


def check(page, url):
    page.goto(url)
    expect(page.locator("main h1")).to_be_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    return [*(f"{v}" for v in axe_violations(page)), *([f"{width}px wide"] if width > 390 else [])]


def test_every_organiser_page_is_accessible_on_a_phone(live_server, page):
    world = make_world()
    sign_in(page, live_server, world.admin)
    found = {url: check(page, live_server.url + url) for url in organiser_pages(world)}
    assert {url: problems for url, problems in found.items() if problems} == {}


def test_every_moderator_page_is_accessible_on_a_phone(live_server, page):
    world = make_world()
    sign_in(page, live_server, world.moderator)
    found = {url: check(page, live_server.url + url) for url in moderator_pages(world)}
    assert {url: problems for url, problems in found.items() if problems} == {}
