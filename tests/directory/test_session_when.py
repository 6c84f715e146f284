"""How a session's time is written: the same words Django's date filters would give, cheaper."""

import datetime
import types

import pytest
from django.template import Context, Template

from directory.recurrence import LOCAL_ZONE
from directory.templatetags.when import session_when

# What the pages wrote with Django's own filters before the tag: the tag must match it.
WITH_FILTERS = Template(
    "<time datetime=\"{{ s.starts_at|date:'c' }}\">"
    '{% if with_day %}{{ s.starts_at|date:"l j F" }}, {% endif %}'
    '{{ s.starts_at|time:"g:iA"|lower }}–{{ s.ends_at|time:"g:iA"|lower }}</time>'
)

MOMENTS = [
    # (local date, start, end): mornings, noon, midnight, and both sides of the clock changes.
    (datetime.date(2026, 3, 3), datetime.time(10, 30), datetime.time(12, 0)),
    (datetime.date(2026, 1, 1), datetime.time(0, 0), datetime.time(0, 45)),
    (datetime.date(2026, 6, 20), datetime.time(12, 0), datetime.time(13, 5)),
    (datetime.date(2026, 3, 29), datetime.time(9, 15), datetime.time(11, 0)),
    (datetime.date(2026, 10, 25), datetime.time(18, 0), datetime.time(19, 30)),
    (datetime.date(2026, 12, 31), datetime.time(23, 0), datetime.time(23, 59)),
]


# A day far from every moment above, so none of them is "today" or "tomorrow".
FAR_AWAY = datetime.date(2000, 1, 1)


def session_at(day, start, end):
    # Stored in UTC, as the database gives them back.
    def stored(time):
        return datetime.datetime.combine(day, time, tzinfo=LOCAL_ZONE).astimezone(datetime.UTC)

    return types.SimpleNamespace(starts_at=stored(start), ends_at=stored(end))


@pytest.mark.parametrize(("day", "start", "end"), MOMENTS)
@pytest.mark.parametrize("with_day", [True, False])
def test_it_writes_what_the_date_filters_wrote(day, start, end, with_day):
    session = session_at(day, start, end)
    expected = WITH_FILTERS.render(Context({"s": session, "with_day": with_day}))
    assert session_when(session, with_day=with_day, today=FAR_AWAY) == expected


def test_it_gives_the_day_and_the_local_times():
    summer = session_at(datetime.date(2026, 7, 7), datetime.time(10), datetime.time(11, 30))
    assert session_when(summer, today=FAR_AWAY) == (
        '<time datetime="2026-07-07T10:00:00+01:00">Tuesday 7 July, 10:00am–11:30am</time>'
    )


def test_a_session_today_or_tomorrow_says_so():
    day = datetime.date(2026, 3, 3)
    evening = session_at(day, datetime.time(18, 30), datetime.time(20))
    assert ">Today, 6:30pm–8:00pm<" in session_when(evening, today=day)
    yesterday = day - datetime.timedelta(days=1)
    assert ">Tomorrow, 6:30pm–8:00pm<" in session_when(evening, today=yesterday)
    two_days_before = day - datetime.timedelta(days=2)
    assert ">Tuesday 3 March, 6:30pm–8:00pm<" in session_when(evening, today=two_days_before)


def test_without_the_day_it_never_says_today():
    day = datetime.date(2026, 3, 3)
    evening = session_at(day, datetime.time(18, 30), datetime.time(20))
    assert ">6:30pm–8:00pm<" in session_when(evening, with_day=False, today=day)
