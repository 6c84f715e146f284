"""Organisers on a phone: sign in, cancel next week's session in three taps, and the organiser
pages pass axe-core's WCAG 2.2 A/AA checks."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.timetable import rebuild_sessions
from tests.accounts.organiser_world import make_world, verified
from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def next_weeks_session(group):
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    # The regular session: the world's extra date falls in next week from a Friday on.
    return group.sessions.filter(
        schedule__isnull=False, date__gte=monday, date__lte=monday + datetime.timedelta(days=6)
    )


def long_date(day):
    return f"{day:%A} {day.day} {day:%B}"


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/manage/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your listings").wait_for()


def test_an_organiser_cancels_next_weeks_session_in_three_taps(live_server, page):
    world = make_world()
    verified(world.admin)
    world.group.cancellations.all().delete()  # next week's date starts out on
    rebuild_sessions(world.group)
    session = next_weeks_session(world.group).get()

    sign_in(page, live_server, world.admin)
    assert page.url == live_server.url + "/manage/"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Cancel another date of Cuppa and Chat Elgin").click()  # 1
    page.get_by_role("link", name=f"Cancel this date for {long_date(session.date)}").click()  # 2
    page.get_by_label("A note for parents (optional)").fill("Our leader is on holiday")
    page.get_by_role("button", name="Cancel this date").click()  # 3
    expect(page.get_by_text(f"Done: no group on {long_date(session.date)}")).to_be_visible()

    page.goto(live_server.url + world.group.get_absolute_url())
    cancelled = page.locator(
        "li.cancelled", has_text=re.compile(rf"No group on \w+ {session.date.day}")
    )
    expect(cancelled).to_be_visible()
    assert "Our leader is on holiday" in cancelled.inner_text()
    assert page.third_party_requests == []


def test_the_organiser_forms_have_no_accessibility_violations(live_server, page):
    world = make_world()
    verified(world.admin)
    sign_in(page, live_server, world.admin)

    page.goto(f"{live_server.url}/manage/groups/{world.group.pk}/")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/manage/groups/{world.group.pk}/edit/")
    expect(
        page.get_by_role("heading", name="Edit the details of Cuppa and Chat Elgin")
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Group name").fill("")
    page.get_by_role("button", name="Save").click()
    summary = page.get_by_role("alert").filter(has_text="Please check the form")
    expect(summary).to_be_visible()
    assert axe_violations(page) == []
    summary.get_by_role("link", name=re.compile("Group name")).click()
    assert page.evaluate("document.activeElement.id") == "id_name"

    page.goto(f"{live_server.url}/manage/groups/{world.group.pk}/times/new/")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/manage/organisations/{world.organisation.slug}/members/")
    expect(page.get_by_role("heading", name=re.compile("Members of"))).to_be_visible()
    assert axe_violations(page) == []
    assert page.third_party_requests == []


def test_the_sign_in_page_has_no_accessibility_violations(live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    assert axe_violations(page) == []
    page.goto(live_server.url + "/accounts/signup/")
    assert axe_violations(page) == []


def test_the_schedule_form_previews_dates_as_you_type(live_server, page):
    world = make_world()
    verified(world.admin)
    sign_in(page, live_server, world.admin)
    page.goto(f"{live_server.url}/manage/groups/{world.group.pk}/times/new/")
    page.get_by_label("Every other week").check()
    page.get_by_label("Day", exact=True).select_option(label="Thursday")
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Finishes at").fill("11:30")
    preview = page.locator("#schedule-preview li")
    expect(preview).to_have_count(8)
    assert all(text.startswith("Thursday") for text in preview.all_inner_texts())


def test_the_preview_button_works_without_javascript(live_server, no_js_page):
    world = make_world()
    verified(world.admin)
    page = no_js_page
    sign_in(page, live_server, world.admin)
    page.goto(f"{live_server.url}/manage/groups/{world.group.pk}/times/new/")
    page.get_by_label("Once a month").check()
    page.get_by_label("Day", exact=True).select_option(label="Tuesday")
    page.get_by_label("Which week of the month").select_option(label="First")
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Finishes at").fill("11:30")
    page.get_by_role("button", name="Preview dates").click()
    # The answer is a new page: wait for it rather than read the form it replaces.
    dates = page.locator("#schedule-preview li")
    expect(dates).to_have_count(8)
    assert all(text.startswith("Tuesday") for text in dates.all_inner_texts())
    assert world.group.schedules.count() == 1  # nothing saved yet
