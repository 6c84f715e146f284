"""Moray's school holidays as one shared calendar: moderators keep the dates, and every regular
time marked "not in the school holidays" follows them, on the group's page, in its stored
sessions, its calendar and its Open Referral schedules, without the organiser typing a break."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from directory import ics
from directory.models import Schedule, SchoolHoliday
from directory.timetable import rebuild_sessions
from tests.accounts.organiser_world import make_world
from tests.factories import GroupFactory, ScheduleFactory
from tests.opendata.test_schedule_expansion import differences

pytestmark = pytest.mark.django_db

# A Monday in term time, a fortnight before the October holidays.
MONDAY = datetime.datetime(2027, 9, 27, 9, 0, tzinfo=ZoneInfo("Europe/London"))
OCTOBER = (datetime.date(2027, 10, 11), datetime.date(2027, 10, 22))
TUESDAYS_IN_OCTOBER_HOLIDAYS = {datetime.date(2027, 10, 12), datetime.date(2027, 10, 19)}


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield MONDAY.date()


def tuesday_group(term_time_only=True, **fields):
    group = GroupFactory(**fields)
    ScheduleFactory(
        group=group,
        weekday=Schedule.Weekday.TUESDAY,
        starts_on=datetime.date(2027, 8, 17),
        term_time_only=term_time_only,
    )
    rebuild_sessions(group)
    return group


def october_holidays():
    return SchoolHoliday.objects.create(
        school_year="2027-28",
        name="October school holidays",
        starts_on=OCTOBER[0],
        ends_on=OCTOBER[1],
    )


def dates(group):
    return set(group.sessions.values_list("date", flat=True))


def test_a_term_time_group_has_no_sessions_in_the_school_holidays():
    october_holidays()
    term_time, all_year = tuesday_group(), tuesday_group(term_time_only=False)
    assert not dates(term_time) & TUESDAYS_IN_OCTOBER_HOLIDAYS
    assert datetime.date(2027, 10, 26) in dates(term_time)
    assert dates(all_year) >= TUESDAYS_IN_OCTOBER_HOLIDAYS


def test_adding_moving_or_removing_a_holiday_moves_the_groups_that_follow_them():
    group = tuesday_group()
    assert dates(group) >= TUESDAYS_IN_OCTOBER_HOLIDAYS

    holiday = october_holidays()
    assert not dates(group) & TUESDAYS_IN_OCTOBER_HOLIDAYS

    holiday.ends_on = datetime.date(2027, 10, 15)
    holiday.save()
    assert datetime.date(2027, 10, 19) in dates(group)
    assert datetime.date(2027, 10, 12) not in dates(group)

    holiday.delete()
    assert dates(group) >= TUESDAYS_IN_OCTOBER_HOLIDAYS


def test_the_group_page_says_term_time_and_names_the_holiday(client):
    october_holidays()
    group = tuesday_group()
    text = client.get(group.get_absolute_url()).text
    assert "Every Tuesday, 10:00am to 11:30am, in school term time" in text
    assert "No group from 11 Oct to 22 Oct 2027 — October school holidays." in text


def test_a_group_meeting_all_year_as_well_is_not_said_to_stop(client):
    october_holidays()
    group = tuesday_group()
    ScheduleFactory(group=group, weekday=Schedule.Weekday.FRIDAY, starts_on=MONDAY.date())
    rebuild_sessions(group)
    text = client.get(group.get_absolute_url()).text
    assert "October school holidays" not in text
    assert datetime.date(2027, 10, 15) in dates(group)  # Fridays go on


def test_open_referral_schedules_stop_for_the_holidays_as_the_sessions_do(client, monday):
    october_holidays()
    group = tuesday_group()
    assert differences(client, group, monday) == []


def test_the_calendar_leaves_the_holidays_out():
    october_holidays()
    group = tuesday_group()
    schedule = group.schedules.get()
    assert set(ics.excluded_dates(group, schedule)) >= TUESDAYS_IN_OCTOBER_HOLIDAYS


def test_a_holiday_cannot_end_before_it_starts():
    from django.core.exceptions import ValidationError

    holiday = SchoolHoliday(
        school_year="2027-28", name="Back to front", starts_on=OCTOBER[1], ends_on=OCTOBER[0]
    )
    with pytest.raises(ValidationError):
        holiday.full_clean()
    holiday = SchoolHoliday(
        school_year="2027/8", name="October", starts_on=OCTOBER[0], ends_on=OCTOBER[1]
    )
    with pytest.raises(ValidationError, match="2026-27"):
        holiday.full_clean()


def test_an_organiser_marks_a_regular_time_as_term_time_only(client):
    october_holidays()
    world = make_world()
    client.force_login(world.editor)
    schedule = world.schedule
    url = reverse("schedule_edit", args=[world.group.pk, schedule.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "term_time_only"
    }
    data |= {
        "version": schedule.version,
        "venue": schedule.venue_id or "",
        "starts_on": schedule.starts_on.isoformat(),
        "start_time": schedule.start_time.strftime("%H:%M"),
        "end_time": schedule.end_time.strftime("%H:%M"),
        "term_time_only": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    schedule.refresh_from_db()
    assert schedule.term_time_only
    in_holidays = {
        day
        for day in dates(world.group)
        if OCTOBER[0] <= day <= OCTOBER[1] and day.weekday() == schedule.weekday
    }
    assert in_holidays == set()


def test_the_preview_of_a_term_time_rule_leaves_the_holidays_out(client):
    october_holidays()
    world = make_world()
    client.force_login(world.editor)
    preview = {
        "frequency": "weekly",
        "weekday": Schedule.Weekday.TUESDAY,
        "start_time": "10:00",
        "end_time": "11:30",
        "starts_on": "2027-10-05",
        "term_time_only": "on",
    }
    shown = client.get(reverse("schedule_preview"), preview).context["preview"]
    assert shown[:2] == [datetime.date(2027, 10, 5), datetime.date(2027, 10, 26)]


def test_a_spreadsheet_carries_term_time_both_ways():
    import csv
    import io

    from django.utils import timezone

    from opendata import csv_io

    group = tuesday_group(name="Keith Bumps")
    out = io.StringIO()
    csv_io.write_csv(csv_io.export_groups(group.organisation), timezone.localdate(), out)
    text = out.getvalue()
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["schedules"] == (
        "Every Tuesday, 10:00-11:30, from 2027-08-17, not in the school holidays, "
        f"at {group.schedules.get().venue.name}, {group.schedules.get().venue.town}"
    )
    unchanged = csv_io.plan_import(group.organisation, text, timezone.localdate())
    assert unchanged.errors == [] and unchanged.counts["changed"] == 0

    all_year = text.replace(", not in the school holidays", "")
    changed = csv_io.plan_import(group.organisation, all_year, timezone.localdate())
    assert changed.counts["changed"] == 1
    csv_io.apply_plan(changed, timezone.localdate())
    assert not group.schedules.get().term_time_only


def test_moderators_are_pointed_to_where_the_holidays_are_kept(client):
    from tests.factories import ModeratorFactory

    client.force_login(ModeratorFactory())
    assert 'href="/admin/directory/schoolholiday/"' in client.get("/moderation/").text
