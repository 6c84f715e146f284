"""Organiser journeys on a phone that finish: an extra date at the usual venue, a report from
a parent dealt with, a member removed only after asking, a clash on a regular time merged, and
the friendly 403; every page state passes axe-core's WCAG 2.2 A/AA checks."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from directory import timetable
from directory.models import Report
from tests.accounts.organiser_world import make_world, verified
from tests.browser.conftest import axe_violations
from tests.browser.test_organiser_pages import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "/tmp/i16-shots"


def shot(page, name):
    import os

    if os.environ.get("SCREENSHOTS"):
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def free_day(group, after=20):
    day = timezone.localdate() + datetime.timedelta(days=after)
    while timetable.expected_sessions(group, day, day):
        day += datetime.timedelta(days=1)
    return day


def test_an_extra_date_starts_at_the_usual_venue_and_the_confirmation_names_it(live_server, page):
    world = make_world()
    verified(world.admin)
    sign_in(page, live_server, world.admin)
    page.goto(f"{live_server.url}/manage/groups/{world.group.pk}/extra-dates/new/")
    venue = page.get_by_label("Venue")
    expect(venue).to_have_value(str(world.venue.pk))
    assert axe_violations(page) == []
    day = free_day(world.group)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts at").fill("19:00")
    page.get_by_label("Finishes at").fill("21:00")
    page.get_by_role("button", name="Add the date").click()
    expect(page.get_by_text(f"at {world.venue.name}, {world.venue.town}").first).to_be_visible()
    shot(page, "extra-date-added")
    assert axe_violations(page) == []

    # An impossible date gets a plain error, and the page still passes.
    page.goto(f"{live_server.url}/manage/groups/{world.group.pk}/extra-dates/new/")
    far = timezone.localdate() + datetime.timedelta(days=270)
    page.get_by_label("Date").fill(far.isoformat())
    page.get_by_label("Starts at").fill("19:00")
    page.get_by_label("Finishes at").fill("21:00")
    page.get_by_role("button", name="Add the date").click()
    expect(page.get_by_text("dates further ahead aren't shown").first).to_be_visible()
    assert axe_violations(page) == []


def test_an_organiser_deals_with_a_report_from_a_parent(live_server, page):
    world = make_world()
    verified(world.editor)
    Report.objects.create(
        group=world.group, kind=Report.Kind.WRONG_TIME, details="It's Thursdays now"
    )
    sign_in(page, live_server, world.editor)
    expect(page.get_by_role("heading", name="Reports from parents")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Manage the listing")).click()  # 1
    page.get_by_label("What you did (optional)").fill("Changed to Thursdays")  # 2
    page.get_by_role("button", name=re.compile("Mark dealt with")).click()  # 3
    expect(page.get_by_text("that report is marked dealt with")).to_be_visible()
    expect(page.get_by_text("Dealt with recently")).to_be_visible()
    shot(page, "report-dealt-with")
    assert axe_violations(page) == []
    assert not Report.objects.open().exists()


def test_removing_a_member_asks_first_and_tells_them(live_server, page):
    world = make_world()
    verified(world.admin)
    sign_in(page, live_server, world.admin)
    page.goto(f"{live_server.url}/manage/organisations/{world.organisation.slug}/members/")
    members = page.get_by_role("link", name=re.compile("Remove from the organisation"))
    expect(members).to_have_count(1)
    members.click()
    expect(page.get_by_role("heading", name=re.compile("^Remove .* from"))).to_be_visible()
    shot(page, "member-remove-question")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Yes, remove them").click()
    expect(page.get_by_text("emailed them to let them know")).to_be_visible()
    assert [m.to for m in mail.outbox] == [[world.editor.email]]


def test_a_clash_on_a_regular_time_shows_the_merge_screen(live_server, page):
    world = make_world()
    verified(world.editor)
    sign_in(page, live_server, world.editor)
    page.goto(f"{live_server.url}/manage/groups/{world.group.pk}/times/{world.schedule.pk}/edit/")
    expect(page.get_by_role("heading", name="Change a regular time")).to_be_visible()
    # Meanwhile someone else moves the time.
    world.schedule.refresh_from_db()
    world.schedule.start_time = datetime.time(10, 30)
    world.schedule.version += 1
    world.schedule.save()
    page.get_by_label("Venue").select_option(str(world.spare_venue.pk))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Someone else changed this regular time")).to_be_visible()
    expect(page.get_by_label("Starts at")).to_have_value("10:30")
    expect(page.get_by_label("Venue")).to_have_value(str(world.spare_venue.pk))
    shot(page, "schedule-conflict")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: Every")).to_be_visible()
    world.schedule.refresh_from_db()
    assert (world.schedule.start_time, world.schedule.venue_id) == (
        datetime.time(10, 30),
        world.spare_venue.pk,
    )


def test_an_editor_sees_a_friendly_page_where_only_admins_may_go(live_server, page):
    world = make_world()
    verified(world.editor)
    sign_in(page, live_server, world.editor)
    page.goto(f"{live_server.url}/manage/organisations/{world.organisation.slug}/members/")
    expect(page.get_by_role("heading", name="You can't open this page")).to_be_visible()
    expect(page.get_by_role("link", name="Back to your listings")).to_be_visible()
    shot(page, "forbidden")
    assert axe_violations(page) == []


def test_an_organiser_changes_the_venue_from_a_date(live_server, page):
    world = make_world()
    verified(world.admin)
    dates = list(
        world.group.sessions.upcoming()
        .filter(schedule=world.schedule)
        .values_list("date", flat=True)[:3]
    )
    sign_in(page, live_server, world.admin)
    page.get_by_role("link", name="Cuppa and Chat Elgin", exact=True).click()  # 1
    page.get_by_role("link", name=re.compile("Change venue from a date")).click()  # 2
    expect(page.get_by_role("heading", name="Change venue from a date")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("From which date?").select_option(dates[2].isoformat())  # 3
    page.get_by_label("Where will it meet?").select_option(str(world.spare_venue.pk))  # 4
    page.get_by_role("button", name="Change the venue").click()  # 5
    expect(page.get_by_text(f"Done: from {dates[2]:%A %-d %B}")).to_be_visible()
    shot(page, "venue-changed")
    assert axe_violations(page) == []
    venues = dict(world.group.sessions.upcoming().values_list("date", "venue_id"))
    assert venues[dates[1]] == world.venue.pk
    assert venues[dates[2]] == world.spare_venue.pk
