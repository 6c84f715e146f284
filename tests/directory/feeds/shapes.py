"""Calendar feeds shaped as real calendar apps export them, dated from today so the tests
pass on any day: Google Calendar, Outlook (Windows time-zone names), a repeating event with
one date moved (RECURRENCE-ID) and one left out (EXDATE), all-day entries, and UTC times."""

import datetime

from django.utils import timezone

LONDON_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/London
X-LIC-LOCATION:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""

WINDOWS_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T010000
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE"""


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def stamp(d, hour, minute=0):
    return f"{d:%Y%m%d}T{hour:02}{minute:02}00"


def calendar(*events, prodid="-//Test//EN", extra=""):
    body = "\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", extra, *events])
    lines = [line for line in body.split("\n") if line]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


def google(weekly_count=6, start_hour=10):
    first = day(2)
    return calendar(
        "CALSCALE:GREGORIAN\nMETHOD:PUBLISH\nX-WR-CALNAME:Cuppa and Chat\n"
        "X-WR-TIMEZONE:Europe/London",
        LONDON_VTIMEZONE,
        f"""BEGIN:VEVENT
DTSTART;TZID=Europe/London:{stamp(first, start_hour)}
DTEND;TZID=Europe/London:{stamp(first, start_hour + 1, 30)}
RRULE:FREQ=WEEKLY;COUNT={weekly_count}
DTSTAMP:20260101T000000Z
UID:0a1b2c3d4e5f@google.com
CREATED:20260101T000000Z
SUMMARY:Cuppa and Chat
LOCATION:Elgin Community Centre
STATUS:CONFIRMED
END:VEVENT""",
        prodid="-//Google Inc//Google Calendar 70.9054//EN",
    )


def outlook():
    first = day(3)
    return calendar(
        "METHOD:PUBLISH\nX-WR-CALNAME:Calendar",
        WINDOWS_VTIMEZONE,
        f"""BEGIN:VEVENT
DESCRIPTION:\\n
RRULE:FREQ=WEEKLY;COUNT=5;INTERVAL=2
UID:040000008200E00074C5B7101A82E00800000000
SUMMARY:Dads' Walk
DTSTART;TZID=GMT Standard Time:{stamp(first, 18)}
DTEND;TZID=GMT Standard Time:{stamp(first, 19, 15)}
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:20260101T000000Z
TRANSP:OPAQUE
STATUS:CONFIRMED
SEQUENCE:0
LOCATION:Cooper Park
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
END:VEVENT""",
        prodid="-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
    )


def with_overrides():
    """Weekly for 6 weeks; the 2nd week moved to 14:00, the 3rd left out."""
    first = day(1)
    second, third = first + datetime.timedelta(days=7), first + datetime.timedelta(days=14)
    return calendar(
        LONDON_VTIMEZONE,
        f"""BEGIN:VEVENT
UID:override-series@example.org
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/London:{stamp(first, 10)}
DTEND;TZID=Europe/London:{stamp(first, 11)}
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=Europe/London:{stamp(third, 10)}
SUMMARY:Bumps and Babies
END:VEVENT""",
        f"""BEGIN:VEVENT
UID:override-series@example.org
DTSTAMP:20260101T000000Z
RECURRENCE-ID;TZID=Europe/London:{stamp(second, 10)}
DTSTART;TZID=Europe/London:{stamp(second, 14)}
DTEND;TZID=Europe/London:{stamp(second, 15)}
SUMMARY:Bumps and Babies (afternoon this week)
END:VEVENT""",
    )


def all_day_and_timed():
    return calendar(
        f"""BEGIN:VEVENT
UID:half-term@example.org
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:{day(4):%Y%m%d}
DTEND;VALUE=DATE:{day(9):%Y%m%d}
SUMMARY:Half term - no group
END:VEVENT""",
        f"""BEGIN:VEVENT
UID:one-off@example.org
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/London:{stamp(day(10), 13)}
DTEND;TZID=Europe/London:{stamp(day(10), 14, 30)}
SUMMARY:Summer picnic
END:VEVENT""",
        LONDON_VTIMEZONE,
    )


def utc():
    first = day(5)
    return calendar(
        f"""BEGIN:VEVENT
UID:utc-series@example.org
DTSTAMP:20260101T000000Z
DTSTART:{stamp(first, 9, 30)}Z
DTEND:{stamp(first, 11)}Z
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Online chat
END:VEVENT"""
    )


SHAPES = {
    "google": google,
    "outlook": outlook,
    "overrides": with_overrides,
    "all-day": all_day_and_timed,
    "utc": utc,
}
