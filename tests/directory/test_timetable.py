"""Stored sessions: rebuild_sessions and refresh_all turn schedules, breaks, cancellations and
extra dates into dated sessions. Fixed dates throughout (`today=`), so the day the tests run
doesn't matter."""

import datetime
import zoneinfo

import pytest

from directory.models import Schedule, Session
from directory.timetable import rebuild_sessions, refresh_all
from tests.factories import (
    CancellationFactory,
    ExtraSessionFactory,
    GroupFactory,
    PauseFactory,
    ScheduleFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
TUESDAY = 1
MONDAY_2_MARCH = datetime.date(2026, 3, 2)


def day(month, day_of_month, year=2026):
    return datetime.date(year, month, day_of_month)


@pytest.fixture
def group():
    return GroupFactory()


def weekly_on_tuesdays(group, **fields):
    defaults = {
        "weekday": TUESDAY,
        "starts_on": day(3, 3),
        "start_time": datetime.time(10),
        "end_time": datetime.time(11, 30),
    }
    return ScheduleFactory(group=group, **{**defaults, **fields})


def session_dates(group, **filters):
    return list(group.sessions.filter(**filters).values_list("date", flat=True))


def test_weekly_sessions_are_stored_from_today_to_the_horizon(group, settings):
    settings.SESSION_HORIZON_DAYS = 28
    weekly_on_tuesdays(group)
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    assert session_dates(group) == [day(3, 3), day(3, 10), day(3, 17), day(3, 24)]


def test_each_session_keeps_its_times_and_venue(group):
    schedule = weekly_on_tuesdays(group)
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    first = group.sessions.first()
    assert (first.start_time, first.end_time) == (datetime.time(10), datetime.time(11, 30))
    assert first.venue == schedule.venue
    assert first.schedule == schedule
    assert first.starts_at == datetime.datetime(2026, 3, 3, 10, tzinfo=LONDON)
    assert first.ends_at == datetime.datetime(2026, 3, 3, 11, 30, tzinfo=LONDON)


def test_fortnightly_sessions_take_their_weeks_from_the_start_date(group, settings):
    settings.SESSION_HORIZON_DAYS = 42
    weekly_on_tuesdays(group, frequency=Schedule.Frequency.FORTNIGHTLY, starts_on=day(3, 10))
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    assert session_dates(group) == [day(3, 10), day(3, 24), day(4, 7)]


def test_monthly_first_tuesday_and_last_friday_sessions(group, settings):
    settings.SESSION_HORIZON_DAYS = 90
    weekly_on_tuesdays(
        group,
        frequency=Schedule.Frequency.MONTHLY,
        week_of_month=Schedule.WeekOfMonth.FIRST,
        starts_on=day(1, 1),
    )
    weekly_on_tuesdays(
        group,
        frequency=Schedule.Frequency.MONTHLY,
        weekday=4,
        week_of_month=Schedule.WeekOfMonth.LAST,
        starts_on=day(1, 1),
    )
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    assert session_dates(group) == [
        day(3, 3),
        day(3, 27),
        day(4, 7),
        day(4, 24),
        day(5, 5),
        day(5, 29),
    ]


def test_no_sessions_after_the_schedule_ends(group):
    weekly_on_tuesdays(group, ends_on=day(3, 17))
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    assert session_dates(group) == [day(3, 3), day(3, 10), day(3, 17)]


def test_no_sessions_at_all_during_a_break(group, settings):
    settings.SESSION_HORIZON_DAYS = 35
    weekly_on_tuesdays(group)
    PauseFactory(group=group, starts_on=day(3, 9), ends_on=day(3, 22), note="Easter holidays")
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    assert session_dates(group) == [day(3, 3), day(3, 24), day(3, 31)]


def test_a_cancellation_is_stored_as_a_cancelled_session_with_its_note(group, settings):
    settings.SESSION_HORIZON_DAYS = 21
    weekly_on_tuesdays(group)
    CancellationFactory(group=group, date=day(3, 10), note="The hall is being painted")
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    cancelled = group.sessions.get(date=day(3, 10))
    assert cancelled.cancelled
    assert cancelled.note == "The hall is being painted"
    assert session_dates(group, cancelled=False) == [day(3, 3), day(3, 17)]


def test_an_extra_date_is_added_and_not_cancelled_by_a_cancellation_that_day(group, settings):
    settings.SESSION_HORIZON_DAYS = 14
    weekly_on_tuesdays(group)
    CancellationFactory(group=group, date=day(3, 10))
    elsewhere = VenueFactory(organisation=group.organisation, name="Library")
    extra = ExtraSessionFactory(
        group=group,
        date=day(3, 10),
        venue=elsewhere,
        start_time=datetime.time(18),
        end_time=datetime.time(19),
        note="Evening instead, at the library",
    )
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    on_the_day = group.sessions.filter(date=day(3, 10)).order_by("starts_at")
    assert [(s.cancelled, s.extra_id) for s in on_the_day] == [(True, None), (False, extra.pk)]
    evening = on_the_day[1]
    assert evening.venue == elsewhere
    assert evening.starts_at == datetime.datetime(2026, 3, 10, 18, tzinfo=LONDON)
    assert evening.note == "Evening instead, at the library"


@pytest.mark.parametrize(
    ("first_tuesday", "utc_hours"),
    [
        (day(3, 24), [10, 9]),  # GMT, then BST from Sunday 29 March
        (day(10, 20), [9, 10]),  # BST, then GMT from Sunday 25 October
    ],
)
def test_a_ten_oclock_session_stays_at_ten_across_the_clock_change(
    group, settings, first_tuesday, utc_hours
):
    settings.SESSION_HORIZON_DAYS = 7
    weekly_on_tuesdays(group, starts_on=first_tuesday)
    rebuild_sessions(group, today=first_tuesday)
    sessions = list(group.sessions.all())
    assert [s.starts_at.astimezone(LONDON).time() for s in sessions] == [datetime.time(10)] * 2
    assert [s.starts_at.astimezone(datetime.UTC).hour for s in sessions] == utc_hours


def test_rebuilding_keeps_past_sessions_and_makes_no_duplicates(group, settings):
    settings.SESSION_HORIZON_DAYS = 28
    weekly_on_tuesdays(group)
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    rebuild_sessions(group, today=day(3, 16))
    assert session_dates(group) == [
        day(3, 3),
        day(3, 10),
        day(3, 17),
        day(3, 24),
        day(3, 31),
        day(4, 7),
    ]


def test_a_change_to_the_schedule_replaces_future_sessions_only(group, settings):
    settings.SESSION_HORIZON_DAYS = 21
    schedule = weekly_on_tuesdays(group)
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    schedule.weekday = 3  # Thursdays from now on
    schedule.save()
    rebuild_sessions(group, today=day(3, 11))
    assert session_dates(group) == [day(3, 3), day(3, 10), day(3, 12), day(3, 19), day(3, 26)]


def test_next_session_skips_cancelled_ones(group):
    weekly_on_tuesdays(group)
    CancellationFactory(group=group, date=day(3, 3))
    rebuild_sessions(group, today=MONDAY_2_MARCH)
    group.refresh_from_db()
    assert group.next_session_at == datetime.datetime(2026, 3, 10, 10, tzinfo=LONDON)


def test_refresh_all_rolls_every_group_forward(settings):
    settings.SESSION_HORIZON_DAYS = 14
    groups = [GroupFactory(), GroupFactory()]
    for each in groups:
        weekly_on_tuesdays(each)
    assert refresh_all(today=MONDAY_2_MARCH) == 2
    assert refresh_all(today=day(3, 9)) == 2
    for each in groups:
        assert session_dates(each) == [day(3, 3), day(3, 10), day(3, 17)]
    assert Session.objects.count() == 6
