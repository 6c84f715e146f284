"""Rule expansion: which dates a schedule falls on, and how it reads in plain words."""

import datetime

from directory.models import Pause, Schedule
from directory.recurrence import (
    Run,
    dates_between,
    describe_schedule,
    local_datetime,
    next_date,
    runs_between_breaks,
)

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


def pause(first, last):
    return Pause(starts_on=datetime.date(2026, *first), ends_on=datetime.date(2026, *last))


def test_breaks_cut_a_schedule_into_runs_and_touching_breaks_make_one_gap():
    summer, more_summer = pause((7, 1), (7, 31)), pause((8, 1), (8, 16))
    october = pause((10, 10), (10, 25))
    runs = runs_between_breaks(schedule(), [october, more_summer, summer])
    assert runs == [
        Run(datetime.date(2026, 3, 3), datetime.date(2026, 6, 30), (summer, more_summer)),
        Run(datetime.date(2026, 8, 17), datetime.date(2026, 10, 9), (october,)),
        Run(datetime.date(2026, 10, 26), None),
    ]


def test_a_break_past_the_schedules_end_leaves_no_run_after_it():
    ending = schedule(ends_on=datetime.date(2026, 7, 14))
    before_start, over_the_end = pause((1, 1), (3, 9)), pause((7, 1), (9, 1))
    assert runs_between_breaks(ending, [before_start, over_the_end]) == [
        Run(datetime.date(2026, 3, 10), datetime.date(2026, 6, 30), (over_the_end,))
    ]


def test_the_next_date_keeps_an_every_other_week_rhythm_and_stops_at_the_end():
    fortnightly = schedule(
        frequency=Schedule.Frequency.FORTNIGHTLY, ends_on=datetime.date(2026, 4, 30)
    )
    assert next_date(fortnightly, datetime.date(2026, 3, 4)) == datetime.date(2026, 3, 17)
    assert next_date(fortnightly, datetime.date(2026, 4, 29)) is None
