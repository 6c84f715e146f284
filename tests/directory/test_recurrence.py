"""Rule expansion: which dates a schedule falls on, and how it reads in plain words."""

import datetime

from directory.models import Schedule
from directory.recurrence import dates_between, describe_schedule, local_datetime

TUESDAY, FRIDAY = 1, 4
TEN, HALF_ELEVEN = datetime.time(10), datetime.time(11, 30)


def schedule(**fields):
    defaults = {
        "frequency": Schedule.Frequency.WEEKLY,
        "weekday": TUESDAY,
        "starts_on": datetime.date(2026, 3, 3),
        "start_time": TEN,
        "end_time": HALF_ELEVEN,
    }
    return Schedule(**{**defaults, **fields})


def dates(*days):
    return [datetime.date(2026, month, day) for month, day in days]


def test_weekly_falls_on_every_chosen_weekday_from_the_start_date():
    found = dates_between(schedule(), datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert found == dates((3, 3), (3, 10), (3, 17), (3, 24), (3, 31))


def test_weekly_starting_on_another_weekday_begins_at_the_next_meeting_day():
    weekly = schedule(starts_on=datetime.date(2026, 3, 5))
    found = dates_between(weekly, datetime.date(2026, 3, 1), datetime.date(2026, 3, 20))
    assert found == dates((3, 10), (3, 17))


def test_fortnightly_counts_its_weeks_from_the_start_date():
    fortnightly = schedule(frequency=Schedule.Frequency.FORTNIGHTLY)
    found = dates_between(fortnightly, datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))
    assert found == dates((3, 3), (3, 17), (3, 31), (4, 14), (4, 28))


def test_fortnightly_starting_a_week_later_meets_in_the_other_weeks():
    fortnightly = schedule(
        frequency=Schedule.Frequency.FORTNIGHTLY, starts_on=datetime.date(2026, 3, 10)
    )
    found = dates_between(fortnightly, datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))
    assert found == dates((3, 10), (3, 24), (4, 7), (4, 21))


def test_fortnightly_from_a_mid_week_start_date_begins_at_the_next_meeting_day():
    fortnightly = schedule(
        frequency=Schedule.Frequency.FORTNIGHTLY, starts_on=datetime.date(2026, 3, 4)
    )
    found = dates_between(fortnightly, datetime.date(2026, 3, 1), datetime.date(2026, 4, 10))
    assert found == dates((3, 10), (3, 24), (4, 7))


def test_monthly_first_tuesday():
    monthly = schedule(
        frequency=Schedule.Frequency.MONTHLY,
        week_of_month=Schedule.WeekOfMonth.FIRST,
        starts_on=datetime.date(2026, 1, 1),
    )
    found = dates_between(monthly, datetime.date(2026, 1, 1), datetime.date(2026, 5, 31))
    assert found == dates((1, 6), (2, 3), (3, 3), (4, 7), (5, 5))


def test_monthly_last_friday():
    monthly = schedule(
        frequency=Schedule.Frequency.MONTHLY,
        weekday=FRIDAY,
        week_of_month=Schedule.WeekOfMonth.LAST,
        starts_on=datetime.date(2026, 1, 1),
    )
    found = dates_between(monthly, datetime.date(2026, 1, 1), datetime.date(2026, 5, 31))
    assert found == dates((1, 30), (2, 27), (3, 27), (4, 24), (5, 29))


def test_it_stops_after_the_end_date_and_keeps_the_end_date_itself():
    ending = schedule(ends_on=datetime.date(2026, 3, 17))
    found = dates_between(ending, datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))
    assert found == dates((3, 3), (3, 10), (3, 17))


def test_nothing_before_the_start_date():
    later = schedule(starts_on=datetime.date(2026, 3, 17))
    found = dates_between(later, datetime.date(2026, 3, 1), datetime.date(2026, 3, 20))
    assert found == dates((3, 17))


def test_a_local_time_stays_the_same_on_both_sides_of_the_clock_change():
    before = local_datetime(datetime.date(2026, 3, 24), TEN)
    after = local_datetime(datetime.date(2026, 3, 31), TEN)
    assert before.astimezone(datetime.UTC).hour == 10  # GMT
    assert after.astimezone(datetime.UTC).hour == 9  # BST


def test_it_describes_schedules_in_plain_words():
    assert describe_schedule(schedule()) == "Every Tuesday, 10:00am to 11:30am"
    assert (
        describe_schedule(schedule(frequency=Schedule.Frequency.FORTNIGHTLY))
        == "Every other Tuesday, 10:00am to 11:30am"
    )
    last_friday = schedule(
        frequency=Schedule.Frequency.MONTHLY,
        weekday=FRIDAY,
        week_of_month=Schedule.WeekOfMonth.LAST,
        start_time=datetime.time(13, 30),
        end_time=datetime.time(15),
    )
    assert describe_schedule(last_friday) == "The last Friday of every month, 1:30pm to 3:00pm"
