"""A consumer that expands the feed's schedules as RFC 5545 rules (python-dateutil's rrule, read
from the record's own fields, no code of this site) gets the dates the site itself lists for the
next 26 weeks: a break ends one schedule and starts the next (valid_to, valid_from), so no
session is made up in it; a single cancelled date stays in the rule and is named in that
schedule's notes (the standard has no field to leave a date out); an extra date called off is
not published."""

import datetime
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil import rrule
from django.utils import timezone

from directory.demo.loader import load_demo
from directory.models import Group, Schedule
from directory.timetable import rebuild_sessions
from tests.factories import (
    CancellationFactory,
    ExtraSessionFactory,
    GroupFactory,
    PauseFactory,
    ScheduleFactory,
)
from tests.opendata.conftest import get_json

pytestmark = pytest.mark.django_db

WEEKS = 26
FREQUENCIES = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
WEEKDAYS = dict(zip(("MO", "TU", "WE", "TH", "FR", "SA", "SU"), rrule.weekdays, strict=True))
BYDAY_PART = re.compile(r"([+-]?\d+)?(MO|TU|WE|TH|FR|SA|SU)")
# A Monday in term time, with a break, the clocks going back and Christmas to come.
A_MONDAY_MORNING = datetime.datetime(2027, 9, 27, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def byday(text):
    days = []
    for part in text.split(","):
        number, day = BYDAY_PART.fullmatch(part.strip()).groups()
        days.append(WEEKDAYS[day](int(number)) if number else WEEKDAYS[day])
    return days


def day_of(text):
    return datetime.date.fromisoformat(text) if text else None


def expand(schedule, first_day, last_day):
    """The dates a schedule record yields from first_day to last_day, as a consumer reads it:
    the rule from dtstart until `until`, within valid_from and valid_to."""
    until = day_of(schedule.get("until"))
    rule = rrule.rrule(
        FREQUENCIES[schedule["freq"]],
        dtstart=datetime.datetime.combine(day_of(schedule["dtstart"]), datetime.time.min),
        interval=int(schedule.get("interval", 1)),
        byweekday=byday(schedule["byday"]),
        until=datetime.datetime.combine(until, datetime.time.max) if until else None,
    )
    valid_from = day_of(schedule.get("valid_from")) or datetime.date.min
    valid_to = day_of(schedule.get("valid_to")) or datetime.date.max
    start = datetime.datetime.combine(max(first_day, valid_from), datetime.time.min)
    end = datetime.datetime.combine(min(last_day, valid_to), datetime.time.max)
    return [moment.date() for moment in rule.between(start, end, inc=True)]


def long_date(day):
    return f"{day:%A} {day.day} {day:%B %Y}"


def feed_sessions(service, first_day, last_day):
    """{(date, opens, closes, location id): the notes of the schedule giving it}, and how many
    times the schedules give each."""
    locations = {link["id"]: link["location_id"] for link in service["service_at_locations"]}
    sessions, counts = {}, {}
    for schedule in service.get("schedules", []):
        place = locations[schedule["service_at_location_id"]]
        for day in expand(schedule, first_day, last_day):
            key = (day, schedule["opens_at"][:5], schedule["closes_at"][:5], place)
            sessions[key] = schedule.get("notes", "")
            counts[key] = counts.get(key, 0) + 1
    return sessions, counts


def stored_sessions(group, service, first_day, last_day):
    """{(date, starts, ends, location id): cancelled} of the sessions the site stores."""
    virtual = {
        link["location_id"]
        for link in service["service_at_locations"]
        if link["location"]["location_type"] == "virtual"
    }
    online = next(iter(virtual), "no virtual location")
    return {
        (
            session.date,
            f"{session.start_time:%H:%M}",
            f"{session.end_time:%H:%M}",
            str(session.venue.uuid) if session.venue else online,
        ): session.cancelled
        for session in group.sessions.filter(date__gte=first_day, date__lte=last_day)
        .select_related("venue")
        .order_by("starts_at")
    }


def differences(client, group, today):
    """What the feed's schedules and the site's sessions disagree on over the next 26 weeks."""
    service = json.loads(client.get(f"/api/openreferral/services/{group.uuid}").content)
    first_day, last_day = today, today + datetime.timedelta(weeks=WEEKS, days=-1)
    from_feed, counts = feed_sessions(service, first_day, last_day)
    stored = stored_sessions(group, service, first_day, last_day)
    problems = [f"not a session of the site: {key}" for key in sorted(from_feed.keys() - stored)]
    problems += [
        f"missing from the feed: {key}"
        for key, cancelled in sorted(stored.items())
        if not cancelled and key not in from_feed
    ]
    problems += [f"given {n} times: {key}" for key, n in sorted(counts.items()) if n > 1]
    problems += [
        f"cancelled, not in the schedule's notes: {key}"
        for key, cancelled in sorted(stored.items())
        if cancelled and key in from_feed and long_date(key[0]) not in from_feed[key]
    ]
    return problems


def test_every_demo_groups_schedules_expand_to_its_stored_sessions(client):
    load_demo()
    groups = list(Group.objects.published().filter(organisation__is_demo=True).order_by("name"))
    assert len(groups) > 40
    today = timezone.localdate()
    with_breaks = [group for group in groups if group.pauses.filter(ends_on__gte=today).exists()]
    assert len(with_breaks) >= 5
    problems = {group.name: differences(client, group, today) for group in groups}
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.fixture
def monday_morning():
    with time_machine.travel(A_MONDAY_MORNING, tick=False):
        yield A_MONDAY_MORNING.date()


def test_a_break_ends_one_schedule_and_starts_the_next(client, monday_morning):
    today = monday_morning
    group = GroupFactory()
    ScheduleFactory(
        group=group, weekday=Schedule.Weekday.TUESDAY, starts_on=today - datetime.timedelta(weeks=8)
    )
    PauseFactory(
        group=group,
        starts_on=datetime.date(2027, 10, 11),
        ends_on=datetime.date(2027, 10, 24),
        note="October holidays",
    )
    rebuild_sessions(group)
    assert differences(client, group, today) == []

    schedules = get_json(client, f"/services/{group.uuid}").data["schedules"]
    before, after = sorted(schedules, key=lambda s: s["valid_from"])
    assert before["valid_to"] == before["until"] == "2027-10-10"
    assert before["dtstart"] < today.isoformat()
    assert (after["valid_from"], after["dtstart"]) == ("2027-10-25", "2027-10-26")
    assert "until" not in after
    assert "October holidays" in before["notes"]
    assert before["id"] != after["id"]
    # The same ids on every request: a consumer updates the two schedules, never adds more.
    again = get_json(client, f"/services/{group.uuid}").data["schedules"]
    assert {s["id"] for s in again} == {before["id"], after["id"]}


def test_an_every_other_week_rhythm_carries_on_after_an_odd_length_break(client, monday_morning):
    today = monday_morning
    group = GroupFactory()
    ScheduleFactory(
        group=group,
        frequency=Schedule.Frequency.FORTNIGHTLY,
        weekday=Schedule.Weekday.WEDNESDAY,
        starts_on=datetime.date(2027, 9, 1),
    )
    # Four weeks off: the group meets again on 10 November, in its rhythm, not on the first
    # Wednesday after the break (3 November).
    PauseFactory(
        group=group, starts_on=datetime.date(2027, 10, 4), ends_on=datetime.date(2027, 10, 31)
    )
    rebuild_sessions(group)
    assert differences(client, group, today) == []
    after = max(
        get_json(client, f"/services/{group.uuid}").data["schedules"],
        key=lambda s: s["valid_from"],
    )
    assert after["dtstart"] == "2027-11-10"


def test_breaks_that_overlap_or_reach_past_the_end_leave_no_made_up_session(client, monday_morning):
    today = monday_morning
    group = GroupFactory()
    monthly = ScheduleFactory(
        group=group,
        frequency=Schedule.Frequency.MONTHLY,
        week_of_month=Schedule.WeekOfMonth.FIRST,
        weekday=Schedule.Weekday.THURSDAY,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2028, 2, 29),
    )
    PauseFactory(
        group=group, starts_on=datetime.date(2027, 11, 1), ends_on=datetime.date(2027, 11, 30)
    )
    PauseFactory(
        group=group, starts_on=datetime.date(2027, 11, 20), ends_on=datetime.date(2027, 12, 10)
    )
    PauseFactory(
        group=group, starts_on=datetime.date(2028, 2, 1), ends_on=datetime.date(2028, 3, 31)
    )
    rebuild_sessions(group)
    assert differences(client, group, today) == []
    schedules = get_json(client, f"/services/{group.uuid}").data["schedules"]
    assert [(s["valid_from"], s["valid_to"]) for s in schedules] == [
        (monthly.starts_on.isoformat(), "2027-10-31"),
        ("2027-12-11", "2028-01-31"),
    ]


def test_a_cancelled_date_far_ahead_is_named_in_its_schedules_notes(client, monday_morning):
    today = monday_morning
    group = GroupFactory()
    ScheduleFactory(group=group, weekday=Schedule.Weekday.FRIDAY, starts_on=today)
    far_ahead = datetime.date(2028, 2, 11)
    CancellationFactory(group=group, date=far_ahead, note="Hall booked for a wedding")
    rebuild_sessions(group)
    assert differences(client, group, today) == []
    (schedule,) = get_json(client, f"/services/{group.uuid}").data["schedules"]
    assert "No group on Friday 11 February 2028 (Hall booked for a wedding)." in schedule["notes"]


def test_a_date_gone_from_the_groups_own_calendar_is_not_published(client, monday_morning):
    group = GroupFactory()
    kept = ExtraSessionFactory(group=group, date=datetime.date(2027, 10, 6), feed_key="a@cal")
    ExtraSessionFactory(
        group=group, date=datetime.date(2027, 10, 13), feed_key="b@cal", feed_removed=True
    )
    rebuild_sessions(group)
    assert differences(client, group, monday_morning) == []
    schedules = get_json(client, f"/services/{group.uuid}").data["schedules"]
    assert [s["dtstart"] for s in schedules] == [kept.date.isoformat()]
