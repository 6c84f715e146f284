"""Turning a group's schedules into dated sessions, with iCalendar (RFC 5545) semantics."""

import datetime
import zoneinfo

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
