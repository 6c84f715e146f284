"""The add-to-calendar download: one RFC 5545 file per group, with its recurrence rules and
their exceptions, read back here the way a calendar app would."""

import datetime
import re
import zoneinfo

import icalendar
import pytest
from dateutil import rrule
from django.utils import timezone

from directory.models import Group, Schedule
from directory.timetable import rebuild_sessions
from tests.factories import (
    CancellationFactory,
    ExtraSessionFactory,
    GroupFactory,
    PauseFactory,
    ScheduleFactory,
    group_with_schedule,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def download(client, group):
    response = client.get(f"/groups/{group.slug}/calendar.ics")
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def exdates(event):
    found = event.get("exdate", [])
    lists = found if isinstance(found, list) else [found]
    return [when.dt for dates in lists for when in dates.dts]


def expand(calendar, first, last):
    """Start times of every meeting from `first` to `last`: each event's RRULE counted from
    its DTSTART less its EXDATEs, plus the single events."""
    starts = []
    for event in calendar.walk("VEVENT"):
        dtstart = event.decoded("dtstart")
        if "rrule" in event:
            meetings = rrule.rruleset()
            meetings.rrule(rrule.rrulestr(event["rrule"].to_ical().decode(), dtstart=dtstart))
            for day in exdates(event):
                meetings.exdate(day)
            starts += meetings.between(first, last, inc=True)
        elif first <= dtstart <= last:
            starts.append(dtstart)
    return sorted(starts)


def dates_on_the_page(client, group):
    """The start times of the listed dates that go ahead, as the group page shows them."""
    text = client.get(group.get_absolute_url()).text
    listed = re.search(r'<ul class="dates">(.*?)</ul>', text, re.S).group(1)
    going_ahead = re.findall(r"<li>\s*<time datetime=\"([^\"]+)\"", listed)
    return [datetime.datetime.fromisoformat(value) for value in going_ahead]


def test_it_downloads_as_a_calendar_file(client):
    group = group_with_schedule(name="Cuppa and Chat")
    response = client.get(f"/groups/{group.slug}/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{group.slug}.ics"'
    assert response.cookies == {}


def test_it_parses_cleanly_with_a_london_timezone(client):
    calendar = download(client, group_with_schedule(name="Cuppa and Chat"))
    assert calendar["version"] == "2.0"
    assert all(not component.errors for component in calendar.walk())
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/London"
    (event,) = calendar.walk("VEVENT")
    assert event["summary"] == "Cuppa and Chat"
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert event.decoded("dtstart").time() == datetime.time(10)
    assert event.decoded("dtend").time() == datetime.time(11, 30)
    assert "uid" in event
    assert "dtstamp" in event


def test_the_event_links_to_the_group_page_and_gives_the_address(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    group = group_with_schedule(schedule_kwargs={"venue__name": "Elgin Library"})
    (event,) = download(client, group).walk("VEVENT")
    assert event["url"] == f"https://peer.example.org/groups/{group.slug}/"
    assert event["location"].startswith("Elgin Library, 1 High Street, Elgin")


@pytest.mark.parametrize(
    ("schedule_fields", "expected_rule"),
    [
        ({}, {"FREQ": ["WEEKLY"], "BYDAY": ["TU"]}),
        (
            {"frequency": Schedule.Frequency.FORTNIGHTLY},
            {"FREQ": ["WEEKLY"], "BYDAY": ["TU"], "INTERVAL": [2]},
        ),
        (
            {"frequency": Schedule.Frequency.MONTHLY, "week_of_month": 1},
            {"FREQ": ["MONTHLY"], "BYDAY": ["1TU"]},
        ),
        (
            {"frequency": Schedule.Frequency.MONTHLY, "week_of_month": -1},
            {"FREQ": ["MONTHLY"], "BYDAY": ["-1TU"]},
        ),
    ],
)
def test_each_kind_of_schedule_becomes_a_recurrence_rule(client, schedule_fields, expected_rule):
    group = GroupFactory()
    ScheduleFactory(group=group, weekday=1, starts_on=datetime.date(2026, 1, 1), **schedule_fields)
    (event,) = download(client, group).walk("VEVENT")
    assert dict(event["rrule"]) == expected_rule


def test_the_end_date_becomes_until_in_utc(client):
    group = GroupFactory()
    ScheduleFactory(
        group=group,
        weekday=1,
        starts_on=datetime.date(2026, 6, 2),
        ends_on=datetime.date(2026, 6, 30),
    )
    (event,) = download(client, group).walk("VEVENT")
    # 10am on the last day, in summer time.
    assert event["rrule"]["UNTIL"] == [datetime.datetime(2026, 6, 30, 9, tzinfo=datetime.UTC)]
    last = expand(
        download(client, group),
        datetime.datetime(2026, 1, 1, tzinfo=LONDON),
        datetime.datetime(2027, 1, 1, tzinfo=LONDON),
    )[-1]
    assert last == datetime.datetime(2026, 6, 30, 10, tzinfo=LONDON)


def test_a_start_date_off_the_meeting_day_starts_the_event_on_the_first_meeting(client):
    group = GroupFactory()
    ScheduleFactory(
        group=group,
        weekday=1,
        frequency=Schedule.Frequency.FORTNIGHTLY,
        starts_on=datetime.date(2026, 3, 4),  # a Wednesday
    )
    (event,) = download(client, group).walk("VEVENT")
    assert event.decoded("dtstart") == datetime.datetime(2026, 3, 10, 10, tzinfo=LONDON)


def test_cancellations_and_breaks_become_exdates(client):
    group = GroupFactory()
    ScheduleFactory(group=group, weekday=1, starts_on=datetime.date(2026, 3, 3))
    CancellationFactory(group=group, date=datetime.date(2026, 3, 10))
    CancellationFactory(group=group, date=datetime.date(2026, 3, 11))  # not a meeting day
    PauseFactory(
        group=group, starts_on=datetime.date(2026, 3, 30), ends_on=datetime.date(2026, 4, 12)
    )
    (event,) = download(client, group).walk("VEVENT")
    assert exdates(event) == [
        datetime.datetime(2026, 3, 10, 10, tzinfo=LONDON),
        datetime.datetime(2026, 3, 31, 10, tzinfo=LONDON),
        datetime.datetime(2026, 4, 7, 10, tzinfo=LONDON),
    ]
    assert event["exdate"][0].params["TZID"] == "Europe/London"


def test_an_extra_date_is_an_event_of_its_own(client):
    group = GroupFactory(name="Cuppa and Chat")
    ScheduleFactory(group=group, weekday=1, starts_on=datetime.date(2026, 3, 3))
    ExtraSessionFactory(
        group=group,
        date=datetime.date(2026, 3, 12),
        start_time=datetime.time(18),
        end_time=datetime.time(19),
    )
    recurring, extra = download(client, group).walk("VEVENT")
    assert "rrule" not in extra
    assert extra["summary"] == "Cuppa and Chat (extra date)"
    assert extra.decoded("dtstart") == datetime.datetime(2026, 3, 12, 18, tzinfo=LONDON)
    assert recurring["uid"] != extra["uid"]


@pytest.mark.parametrize(
    ("first", "utc_hours"),
    [(datetime.date(2026, 3, 17), [10, 10, 9, 9]), (datetime.date(2026, 10, 13), [9, 9, 10, 10])],
)
def test_a_calendar_app_keeps_ten_oclock_across_the_clock_change(client, first, utc_hours):
    group = GroupFactory()
    ScheduleFactory(group=group, weekday=1, starts_on=datetime.date(2026, 1, 6))
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=LONDON)
    meetings = expand(download(client, group), start, start + datetime.timedelta(days=27))
    assert [m.astimezone(LONDON).time() for m in meetings] == [datetime.time(10)] * 4
    assert [m.astimezone(datetime.UTC).hour for m in meetings] == utc_hours


def test_its_next_dates_are_the_ones_the_page_shows(client):
    group = GroupFactory()
    ScheduleFactory(group=group, weekday=in_days(2).weekday())
    ScheduleFactory(
        group=group,
        weekday=in_days(5).weekday(),
        frequency=Schedule.Frequency.FORTNIGHTLY,
        starts_on=in_days(5),
        start_time=datetime.time(18, 30),
        end_time=datetime.time(20),
    )
    CancellationFactory(group=group, date=in_days(9))
    PauseFactory(group=group, starts_on=in_days(14), ends_on=in_days(22))
    ExtraSessionFactory(group=group, date=in_days(10))
    rebuild_sessions(group)

    shown = dates_on_the_page(client, group)
    assert len(shown) >= 4
    assert datetime.datetime.combine(in_days(9), datetime.time(10), tzinfo=LONDON) not in shown
    now = timezone.now()
    assert expand(download(client, group), now, shown[-1]) == shown


@pytest.mark.parametrize("status", [Group.Status.DRAFT, Group.Status.PAUSED])
def test_there_is_no_calendar_for_a_group_that_is_not_public(client, status):
    group = group_with_schedule(status=status)
    assert client.get(f"/groups/{group.slug}/calendar.ics").status_code == 404


def test_a_schedule_that_ends_before_it_ever_meets_adds_no_event(client):
    group = GroupFactory()
    ScheduleFactory(
        group=group,
        weekday=1,
        starts_on=datetime.date(2026, 3, 4),  # a Wednesday
        ends_on=datetime.date(2026, 3, 7),
    )
    assert download(client, group).walk("VEVENT") == []


def test_the_timezone_is_written_as_yearly_rules_with_each_onset_in_the_old_offset(client):
    calendar = download(client, group_with_schedule())
    (zone,) = calendar.walk("VTIMEZONE")
    assert "rdate" not in zone.to_ical().decode().lower()
    summer, winter = zone.walk("DAYLIGHT") + zone.walk("STANDARD")
    assert dict(summer["rrule"]) == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert dict(winter["rrule"]) == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    # 1am GMT and 2am BST: both are 01:00 UTC, when the UK changes its clocks.
    assert summer.decoded("dtstart").time() == datetime.time(1)
    assert winter.decoded("dtstart").time() == datetime.time(2)
    assert summer.decoded("tzoffsetto") == datetime.timedelta(hours=1)
    assert winter.decoded("tzoffsetfrom") == datetime.timedelta(hours=1)
