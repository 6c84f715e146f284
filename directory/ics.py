"""Add-to-calendar files (RFC 5545) for a group: its recurrence, with cancellations and breaks."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

from directory.recurrence import LOCAL_ZONE, dates_between, local_datetime

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def recurrence_rule(schedule):
    day = BYDAY[schedule.weekday]
    rule = {"FREQ": "WEEKLY", "BYDAY": day}
    if schedule.frequency == "monthly":
        rule = {"FREQ": "MONTHLY", "BYDAY": f"{schedule.week_of_month or 1}{day}"}
    elif schedule.frequency == "fortnightly":
        rule["INTERVAL"] = 2
    if schedule.ends_on:
        last = local_datetime(schedule.ends_on, schedule.start_time)
        rule["UNTIL"] = last.astimezone(datetime.UTC)
    return rule


def first_date(schedule):
    """The first date the rule produces (the schedule's start date may fall on another day),
    or None if it ends before it ever meets."""
    look_ahead = schedule.starts_on + datetime.timedelta(days=62)
    return next(iter(dates_between(schedule, schedule.starts_on, look_ahead)), None)


def excluded_dates(group, schedule):
    """Dates the rule yields on which the group does not meet: cancellations and breaks."""
    skipped = {c.date for c in group.cancellations.all() if dates_between(schedule, c.date, c.date)}
    for pause in group.pauses.all():
        skipped.update(dates_between(schedule, pause.starts_on, pause.ends_on))
    return sorted(skipped)


def location_for(venue):
    return venue.full_address if venue else "Online or by phone"


def event(uid, summary, description, url, venue, day, start, end):
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", timezone.now())
    vevent.add("summary", summary)
    vevent.add("description", description)
    vevent.add("url", url)
    vevent.add("location", location_for(venue))
    vevent.add("dtstart", local_datetime(day, start))
    vevent.add("dtend", local_datetime(day, end))
    if venue and venue.latitude is not None and venue.longitude is not None:
        vevent.add("geo", (float(venue.latitude), float(venue.longitude)))
    return vevent


def group_calendar(group):
    url = f"{settings.SITE_URL}{group.get_absolute_url()}"
    host = settings.SITE_URL.split("://", 1)[-1]
    description = f"{group.summary}\n\nMore about the group: {url}"
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Moray Peer Support Directory//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", group.name)
    cal.add("x-wr-timezone", str(LOCAL_ZONE))

    for schedule in group.schedules.select_related("venue"):
        start_day = first_date(schedule)
        if start_day is None:
            continue
        vevent = event(
            f"{schedule.uuid}@{host}",
            group.name,
            description,
            url,
            schedule.venue,
            start_day,
            schedule.start_time,
            schedule.end_time,
        )
        vevent.add("rrule", recurrence_rule(schedule))
        for day in excluded_dates(group, schedule):
            vevent.add("exdate", local_datetime(day, schedule.start_time))
        cal.add_component(vevent)

    for extra in group.extra_sessions.select_related("venue"):
        summary = f"{group.name} (extra date)"
        cal.add_component(
            event(
                f"extra-{extra.pk}-{group.uuid}@{host}",
                summary,
                description,
                url,
                extra.venue,
                extra.date,
                extra.start_time,
                extra.end_time,
            )
        )
    cal.add_missing_timezones()
    return cal.to_ical()
