"""Following a group's own calendar: its dates match the feed, read as real calendar apps
export it, and a broken feed never breaks the group."""

import datetime

import icalendar
import pytest
import recurring_ical_events
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from directory import feeds
from directory.models import CalendarFeed
from tests.directory.feeds import shapes
from tests.factories import GroupFactory, MembershipFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    group = GroupFactory(name="Cuppa and Chat")
    MembershipFactory(organisation=group.organisation, user__email="organiser@example.org")
    return group


def link(group, url, **fields):
    venue = VenueFactory(organisation=group.organisation, name="Elgin Community Centre")
    return CalendarFeed.objects.create(group=group, url=url, venue=venue, **fields)


def stored(group, include_cancelled=False):
    sessions = group.sessions.upcoming(include_cancelled=include_cancelled, now=today_start())
    return [
        (s.date, s.start_time.strftime("%H:%M"), s.end_time.strftime("%H:%M"), s.cancelled)
        for s in sessions
    ]


def today_start():
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))


def expanded_by_the_library(text):
    """What recurring-ical-events itself expands from the feed: the timed events, in
    Moray's local time, over the same horizon."""
    first, last = feeds.horizon()
    events = recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(
        first, last + datetime.timedelta(days=1)
    )
    found = []
    for event in events:
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        if not isinstance(start, datetime.datetime):
            continue
        start, end = timezone.localtime(start), timezone.localtime(end)
        found.append((start.date(), f"{start:%H:%M}", f"{end:%H:%M}", False))
    return sorted(found)


@pytest.mark.parametrize("shape", shapes.SHAPES, ids=shapes.SHAPES.keys())
def test_the_groups_dates_match_what_recurring_ical_events_expands(shape, group, feed_server):
    text = shapes.SHAPES[shape]()
    feed = link(group, feed_server.serve("/cal.ics", text))
    assert feeds.follow(feed)
    assert stored(group) == expanded_by_the_library(text)
    assert stored(group)  # each shape has timed dates ahead


def test_an_outlook_feed_with_windows_time_zone_names_keeps_local_times(group, feed_server):
    feed = link(group, feed_server.serve("/outlook.ics", shapes.outlook()))
    feeds.follow(feed)
    first = stored(group)[0]
    assert first[:3] == (shapes.day(3), "18:00", "19:15")
    assert len(stored(group)) == 5


def test_a_moved_date_is_moved_and_an_excluded_one_left_out(group, feed_server):
    feed = link(group, feed_server.serve("/series.ics", shapes.with_overrides()))
    feeds.follow(feed)
    dates = {d: start for d, start, _end, _c in stored(group)}
    assert dates[shapes.day(8)] == "14:00"
    assert shapes.day(15) not in dates
    assert len(dates) == 5


def test_all_day_entries_are_not_taken_for_meetings(group, feed_server):
    feed = link(group, feed_server.serve("/mixed.ics", shapes.all_day_and_timed()))
    feeds.follow(feed)
    assert stored(group) == [(shapes.day(10), "13:00", "14:30", False)]


def test_utc_times_show_in_moray_time(group, feed_server):
    feed = link(group, feed_server.serve("/utc.ics", shapes.utc()))
    feeds.follow(feed)
    for day, start, _end, _c in stored(group):
        moment = datetime.datetime.combine(day, datetime.time(9, 30), datetime.UTC)
        assert start == f"{timezone.localtime(moment):%H:%M}"


def test_new_dates_are_added_changed_times_updated_and_removed_ones_cancelled(group, feed_server):
    url = feed_server.serve("/cal.ics", shapes.google(weekly_count=4))
    feed = link(group, url)
    feeds.follow(feed)
    assert [s[1] for s in stored(group)] == ["10:00"] * 4
    feed_server.serve("/cal.ics", shapes.google(weekly_count=3, start_hour=11))
    feeds.follow(feed)
    # The series moved to 11:00 and lost its 4th week: no "No group" beside a new time.
    assert stored(group, include_cancelled=True) == [
        *[(shapes.day(2 + 7 * n), "11:00", "12:30", False) for n in range(3)],
        (shapes.day(23), "10:00", "11:30", True),
    ]


def test_a_date_taken_off_the_calendar_shows_no_group_on_that_day(client, group, feed_server):
    feed = link(group, feed_server.serve("/cal.ics", shapes.google(weekly_count=3)))
    feeds.follow(feed)
    feed_server.serve("/cal.ics", shapes.google(weekly_count=2))
    feeds.follow(feed)
    last = shapes.day(2 + 14)
    assert (last, "10:00", "11:30", True) in stored(group, include_cancelled=True)
    text = client.get(group.get_absolute_url()).text
    assert f"No group on {last:%a} {last.day} {last:%b}" in text


def test_a_one_off_event_whose_time_changes_is_updated_in_place(group, feed_server):
    feed = link(group, feed_server.serve("/one.ics", shapes.all_day_and_timed()))
    feeds.follow(feed)
    moved = shapes.all_day_and_timed().replace("T130000", "T150000").replace("T143000", "T163000")
    feed_server.serve("/one.ics", moved)
    feeds.follow(feed)
    assert stored(group, include_cancelled=True) == [(shapes.day(10), "15:00", "16:30", False)]


def test_a_date_an_organiser_changed_by_hand_is_never_touched_again(group, feed_server):
    feed = link(group, feed_server.serve("/cal.ics", shapes.google(weekly_count=3)))
    feeds.follow(feed)
    extra = group.extra_sessions.order_by("date").first()
    extra.start_time = datetime.time(9, 0)
    extra.save()
    feed_server.serve("/cal.ics", shapes.google(weekly_count=1, start_hour=10))
    feeds.follow(feed)
    extra.refresh_from_db()
    assert (extra.start_time, extra.feed_removed) == (datetime.time(9, 0), False)


def test_a_date_cancelled_here_stays_cancelled(group, feed_server):
    from directory import timetable

    feed = link(group, feed_server.serve("/cal.ics", shapes.google(weekly_count=3)))
    feeds.follow(feed)
    timetable.cancel_date(group, shapes.day(9), note="Hall closed")
    feeds.follow(feed)
    assert (shapes.day(9), "10:00", "11:30", True) in stored(group, include_cancelled=True)


def test_it_asks_only_for_a_changed_feed(group, feed_server):
    feed = link(group, feed_server.serve("/cal.ics", shapes.google(), ETag='"v1"'))
    feeds.follow(feed)
    feeds.follow(feed)
    assert feed_server.requests[1][1].get("If-None-Match") == '"v1"'
    assert len(stored(group)) == 6


def test_it_follows_a_redirect_within_the_rules(group, feed_server):
    feed_server.serve("/cal.ics", shapes.google())
    feed = link(group, feed_server.serve("/old.ics", b"", status=301, Location="/cal.ics"))
    assert feeds.follow(feed)
    assert len(stored(group)) == 6


BROKEN = {
    "unreachable": ("the calendar could not be reached", None),
    "not iCalendar": ("does not give a calendar", b"<html><body>Sign in</body></html>"),
    "no events": ("no timed events", shapes.calendar().encode()),
    "too large": ("too large", b"BEGIN:VCALENDAR\r\n" + b"X" * 3000),
    "an error page": ("answered 500", b"Oops"),
}


@pytest.mark.parametrize("kind", BROKEN, ids=BROKEN.keys())
def test_a_broken_feed_keeps_the_last_good_dates_and_says_why(kind, group, feed_server, settings):
    settings.CALENDAR_FEED_MAX_BYTES = 2000
    feed = link(group, feed_server.serve("/cal.ics", shapes.google()))
    feeds.follow(feed)
    good = stored(group)
    reason, body = BROKEN[kind]
    if kind == "unreachable":
        feed.url = "http://127.0.0.1:9/cal.ics"
        feed.save()
    else:
        feed_server.serve("/cal.ics", body, status=500 if kind == "an error page" else 200)
    assert not feeds.follow(feed)
    feed.refresh_from_db()
    assert stored(group) == good
    assert reason in feed.problem
    assert feed.failing_since is not None


def test_the_manage_page_says_when_it_was_read_and_since_when_it_could_not_be(group):
    now = timezone.make_aware(datetime.datetime(2026, 3, 10, 11, 30))
    feed = CalendarFeed(
        group=group,
        url="https://calendar.example.org/x.ics",
        last_read_at=now - datetime.timedelta(hours=2),
        failing_since=now - datetime.timedelta(hours=2) + datetime.timedelta(minutes=30),
        problem="the calendar could not be reached",
    )
    assert feeds.status(feed, now=now) == (
        "Last updated 2\xa0hours ago · could not read the feed since 10:00: "
        "the calendar could not be reached"
    )


def test_the_organiser_gets_one_email_after_a_day_of_failures(
    group, feed_server, django_capture_on_commit_callbacks
):
    feed = link(group, feed_server.serve("/cal.ics", b"not a calendar"))
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        feeds.follow(feed, now=start)
        feeds.follow(feed, now=start + datetime.timedelta(hours=12))
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        feeds.follow(feed, now=start + datetime.timedelta(hours=24))
        feeds.follow(feed, now=start + datetime.timedelta(hours=30))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["organiser@example.org"]
    assert "Cuppa and Chat" in mail.outbox[0].subject
    assert "does not give a calendar" in mail.outbox[0].body


def test_a_good_read_clears_the_problem_so_a_new_one_is_emailed_again(group, feed_server):
    feed = link(group, feed_server.serve("/cal.ics", b"not a calendar"))
    start = timezone.now()
    feeds.follow(feed, now=start)
    feeds.follow(feed, now=start + datetime.timedelta(days=1))
    feed_server.serve("/cal.ics", shapes.google())
    assert feeds.follow(feed, now=start + datetime.timedelta(days=1, hours=1))
    feed.refresh_from_db()
    assert (feed.failing_since, feed.problem, feed.problem_emailed) == (None, "", False)


def test_the_command_reads_every_linked_feed(group, feed_server):
    link(group, feed_server.serve("/a.ics", shapes.google()))
    other = GroupFactory()
    link(other, feed_server.serve("/b.ics", b"broken"))
    call_command("follow_calendar_feeds")
    assert len(stored(group)) == 6
    assert CalendarFeed.objects.get(group=other).problem


def test_unlinking_takes_the_coming_dates_off(group, feed_server):
    feed = link(group, feed_server.serve("/cal.ics", shapes.google()))
    feeds.follow(feed)
    feeds.unlink(feed)
    assert stored(group, include_cancelled=True) == []
    assert not CalendarFeed.objects.exists()


def test_one_groups_unexpected_failure_does_not_stop_the_others(group, feed_server, monkeypatch):
    other = GroupFactory()
    link(other, feed_server.serve("/b.ics", shapes.google()))
    link(group, feed_server.serve("/a.ics", shapes.google()))
    real_follow = feeds.follow

    def follow(feed, now=None):
        if feed.group == group:
            raise RuntimeError("surprise")
        return real_follow(feed, now=now)

    monkeypatch.setattr(feeds, "follow", follow)
    assert feeds.follow_all() == (1, 1)
    assert len(stored(other)) == 6


@pytest.mark.parametrize("uid", ["x" * 900 + "@example.org", "event\x00with-a-nul@example.org"])
def test_an_event_id_too_long_to_keep_or_with_hidden_characters_still_follows(
    uid, group, feed_server
):
    first = shapes.day(3)
    feed = link(
        group,
        feed_server.serve(
            "/odd-uid.ics",
            shapes.calendar(
                f"""BEGIN:VEVENT
UID:{uid}
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/London:{shapes.stamp(first, 10)}
DTEND;TZID=Europe/London:{shapes.stamp(first, 11)}
SUMMARY:Coffee morning
END:VEVENT""",
                extra=shapes.LONDON_VTIMEZONE,
            ),
        ),
    )
    feeds.follow(feed)
    assert stored(group) == [(first, "10:00", "11:00", False)]
    feeds.follow(feed)  # read again: the same date, not a second one
    assert stored(group) == [(first, "10:00", "11:00", False)]
