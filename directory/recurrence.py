"""Turning a group's schedules into dated sessions, with iCalendar (RFC 5545) semantics."""

import datetime
import zoneinfo
from typing import NamedTuple

from dateutil import rrule
from django.conf import settings

LOCAL_ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def first_meeting_day(schedule):
    """The day counting starts from: for weekly and fortnightly groups, the first meeting
    day on or after the start date, so "every other Tuesday from Wednesday 1st" means the
    6th, the 20th, ... rather than skipping to the 13th."""
    day = schedule.starts_on
    if schedule.frequency == "monthly":
        return day
    return day + datetime.timedelta(days=(schedule.weekday - day.weekday()) % 7)


def rule_for(schedule):
    """The dateutil rule for a schedule, counting from its first meeting day."""
    dtstart = datetime.datetime.combine(first_meeting_day(schedule), schedule.start_time)
    until = (
        datetime.datetime.combine(schedule.ends_on, schedule.start_time)
        if schedule.ends_on
        else None
    )
    weekday = WEEKDAYS[schedule.weekday]
    if schedule.frequency == "monthly":
        return rrule.rrule(
            rrule.MONTHLY,
            dtstart=dtstart,
            until=until,
            byweekday=weekday(schedule.week_of_month or 1),
        )
    interval = 2 if schedule.frequency == "fortnightly" else 1
    return rrule.rrule(
        rrule.WEEKLY, dtstart=dtstart, until=until, interval=interval, byweekday=weekday
    )


def dates_between(schedule, first_day, last_day):
    """Local dates on which `schedule` falls, from first_day to last_day inclusive."""
    start = datetime.datetime.combine(first_day, datetime.time.min)
    end = datetime.datetime.combine(last_day, datetime.time.max)
    return [moment.date() for moment in rule_for(schedule).between(start, end, inc=True)]


def next_date(schedule, day):
    """The first date on or after `day` on which `schedule` falls; None once it has ended."""
    moment = rule_for(schedule).after(datetime.datetime.combine(day, datetime.time.min), inc=True)
    return moment.date() if moment else None


class Run(NamedTuple):
    """Days a schedule meets in without a break: first_day to last_day (None: no end yet),
    ended by `breaks_after` (none when the schedule itself ends)."""

    first_day: datetime.date
    last_day: datetime.date | None
    breaks_after: tuple = ()


def runs_between_breaks(schedule, breaks):
    """The schedule's span, from its start to its end, cut by `breaks` (anything with
    starts_on and ends_on) into the runs between them, in date order. Breaks that overlap or
    follow on from each other make one gap."""
    gaps = []
    for pause in sorted(breaks, key=lambda pause: (pause.starts_on, pause.ends_on)):
        if gaps and pause.starts_on <= gaps[-1][1] + datetime.timedelta(days=1):
            gaps[-1][1] = max(gaps[-1][1], pause.ends_on)
            gaps[-1][2].append(pause)
        else:
            gaps.append([pause.starts_on, pause.ends_on, [pause]])
    runs = []
    day, end = schedule.starts_on, schedule.ends_on
    for gap_start, gap_end, pauses in gaps:
        if gap_end < day:
            continue
        if end is not None and gap_start > end:
            break
        if gap_start > day:
            runs.append(Run(day, gap_start - datetime.timedelta(days=1), tuple(pauses)))
        day = gap_end + datetime.timedelta(days=1)
    if end is None or day <= end:
        runs.append(Run(day, end))
    return runs


def local_datetime(date, time):
    """An aware datetime for a wall-clock time in Moray, right on either side of a clock change."""
    return datetime.datetime.combine(date, time, tzinfo=LOCAL_ZONE)


def format_time(value):
    """10:00am, 1:30pm: how times are written on posters."""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value.minute:02d}{suffix}"


def describe_schedule(schedule):
    day = DAY_NAMES[schedule.weekday]
    if schedule.frequency == "monthly":
        when = f"The {ORDINALS.get(schedule.week_of_month or 1)} {day} of every month"
    elif schedule.frequency == "fortnightly":
        when = f"Every other {day}"
    else:
        when = f"Every {day}"
    return f"{when}, {format_time(schedule.start_time)} to {format_time(schedule.end_time)}"
