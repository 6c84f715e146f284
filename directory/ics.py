"""Add-to-calendar files (RFC 5545) for a group: its recurrence, with cancellations and breaks."""

import calendar
import datetime
import functools

import icalendar
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from directory.models import Group, Session
from directory.recurrence import LOCAL_ZONE, dates_between, local_datetime

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# The years whose clock changes the zone's VTIMEZONE rules must reproduce exactly: from well
# before any group's first date to the end of the years the tz database spells out.
ZONE_RULE_YEARS = range(2000, 2038)


def clock_changes(zone, year):
    """Each change of the zone's UTC offset in `year`, as (UTC instant, offset before, after)."""
    moment = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
    hour = datetime.timedelta(hours=1)
    offset = moment.astimezone(zone).utcoffset()
    changes = []
    while moment.year == year:
        moment += hour
        now = moment.astimezone(zone).utcoffset()
        if now != offset:
            changes.append((moment, offset, now))
            offset = now
    return changes


def yearly_rule(onset):
    """The RRULE for a change that falls on this local date's weekday-of-the-month each year."""
    last_day = calendar.monthrange(onset.year, onset.month)[1]
    nth = -1 if onset.day + 7 > last_day else (onset.day - 1) // 7 + 1
    return {"FREQ": "YEARLY", "BYMONTH": onset.month, "BYDAY": f"{nth}{BYDAY[onset.weekday()]}"}


@functools.cache
def timezone_component(zone=LOCAL_ZONE):
    """The zone as a VTIMEZONE of yearly RRULEs, each onset in the offset it changes from
    (RFC 5545 3.6.5), checked against the tz database for every year in ZONE_RULE_YEARS.

    Calendar apps that read only the first value of a comma-separated RDATE (ical.js,
    vobject) would otherwise keep the first summer's offset all year round."""
    first = ZONE_RULE_YEARS[0]
    rules = {}
    for year in ZONE_RULE_YEARS:
        for instant, before, after in clock_changes(zone, year):
            onset = (instant + before).replace(tzinfo=None)
            key = (before, after)
            rule = (yearly_rule(onset), onset.time())
            rules.setdefault(key, (rule, onset, instant.astimezone(zone).tzname()))
            if rules[key][0] != rule:
                raise ImproperlyConfigured(f"{zone} changes its clocks by no yearly rule")
    vtimezone = icalendar.Timezone()
    vtimezone.add("tzid", str(zone))
    if not rules:
        offset = datetime.datetime(first, 1, 1, tzinfo=zone).utcoffset()
        standard = icalendar.TimezoneStandard()
        standard.add("dtstart", datetime.datetime(first, 1, 1))
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        vtimezone.add_component(standard)
    for (before, after), ((rule, _time), onset, name) in sorted(
        rules.items(), key=lambda item: item[1][1]
    ):
        part = icalendar.TimezoneDaylight() if after > before else icalendar.TimezoneStandard()
        part.add("tzname", name)
        part.add("dtstart", onset)
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("rrule", rule)
        vtimezone.add_component(part)
    return vtimezone


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
    if venue and venue.map_point:
        vevent.add("geo", venue.map_point)
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
    cal.add_component(timezone_component())

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
    return cal.to_ical()


# --- Subscriptions: one event per session, which calendar apps poll for changes ------------

# Sessions this far back stay in a feed, so a parent's calendar keeps the dates just gone.
FEED_DAYS_BACK = 28


def session_uid(session):
    """A session's stable UID, from its group's and its own ids: the same on every poll and
    under any domain, so a calendar app updates the event in place rather than adding one."""
    own = f"extra-{session.extra_id}" if session.extra_id else f"schedule-{session.schedule.uuid}"
    return f"{session.group.uuid}-{own}-{session.date:%Y%m%d}@moray-peer-support"


def last_revised(groups):
    """When each group's published dates and details last changed, by group id."""
    revised = Group.objects.filter(pk__in=[g.pk for g in groups]).with_last_modified()
    return dict(revised.values_list("pk", "last_modified"))


def session_event(session, revised):
    group = session.group
    url = f"{settings.SITE_URL}{group.get_absolute_url()}"
    summary = group.name if not session.cancelled else f"Cancelled: {group.name}"
    description = f"{group.summary}\n\nMore about the group: {url}"
    if session.note:
        description = f"{session.note}\n\n{description}"
    vevent = icalendar.Event()
    vevent.add("uid", session_uid(session))
    # The last revision of what the event says, so an unchanged feed is byte-for-byte the
    # same on every poll (and its ETag with it).
    vevent.add("dtstamp", revised.astimezone(datetime.UTC))
    vevent.add("last-modified", revised.astimezone(datetime.UTC))
    vevent.add("summary", summary)
    vevent.add("description", description)
    vevent.add("url", url)
    vevent.add("location", location_for(session.venue))
    vevent.add("dtstart", session.starts_at.astimezone(LOCAL_ZONE))
    vevent.add("dtend", session.ends_at.astimezone(LOCAL_ZONE))
    vevent.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    venue = session.venue
    if venue and venue.map_point:
        vevent.add("geo", venue.map_point)
    return vevent


def feed_sessions(groups, first_day=None, last_day=None):
    """The groups' stored sessions from a few weeks back, cancelled ones included."""
    first_day = first_day or timezone.localdate() - datetime.timedelta(days=FEED_DAYS_BACK)
    sessions = Session.objects.filter(group__in=[g.pk for g in groups], date__gte=first_day)
    if last_day is not None:
        sessions = sessions.filter(date__lte=last_day)
    return sessions.select_related("group", "venue", "schedule").order_by(
        "starts_at", "group_id", "pk"
    )


def sessions_calendar(name, groups, sessions=None):
    """A calendar of each of the groups' sessions, cancelled ones marked CANCELLED."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Moray Peer Support Directory//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(LOCAL_ZONE))
    # Calendar apps poll a subscription about this often (RFC 7986 REFRESH-INTERVAL).
    cal.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    cal.add_component(timezone_component())
    revised = last_revised(groups)
    for session in feed_sessions(groups) if sessions is None else sessions:
        cal.add_component(session_event(session, revised[session.group_id]))
    return cal.to_ical()


def feed_address(path):
    """The feed's full address, for apps that ask for one (Google Calendar's "From URL")."""
    return settings.SITE_URL + path


def webcal_url(path):
    """A subscription link: calendar apps open webcal:// and poll the feed over https."""
    return "webcal://" + feed_address(path).split("://", 1)[-1]
