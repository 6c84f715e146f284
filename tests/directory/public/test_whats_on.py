"""The "what's on" page: every session across Moray today and the next 7 days."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format

from accounts.models import Organisation
from directory.models import Group, Session
from directory.timetable import rebuild_sessions
from tests.factories import (
    AreaFactory,
    CancellationFactory,
    GroupFactory,
    ScheduleFactory,
    TopicFactory,
    VenueFactory,
    group_with_schedule,
)

pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def weekly(name, days_ahead, start=datetime.time(10), **group_fields):
    """A group meeting weekly from tomorrow, so the clock's hour today never adds a session."""
    return group_with_schedule(
        name=name,
        schedule_kwargs={
            "starts_on": in_days(1),
            "weekday": in_days(days_ahead).weekday(),
            "start_time": start,
            "end_time": (
                datetime.datetime.combine(in_days(0), start) + datetime.timedelta(hours=1)
            ).time(),
        },
        **group_fields,
    )


def names_in_order(response):
    return [session.group.name for session in response.context["sessions"]]


def test_it_lists_the_sessions_of_the_next_7_days_in_time_order(client):
    weekly("Thursday-ish Evening Circle", 3, start=datetime.time(19))
    weekly("Thursday-ish Morning Cuppa", 3, start=datetime.time(9, 30))
    weekly("Tomorrow's Natter", 1)
    response = client.get("/whats-on/")
    assert response.status_code == 200
    assert names_in_order(response) == [
        "Tomorrow's Natter",
        "Thursday-ish Morning Cuppa",
        "Thursday-ish Evening Circle",
    ]
    assert date_format(in_days(3), "l j F") in response.text
    assert "3 sessions" in response.text


def test_it_ends_after_the_seventh_day(client):
    weekly("Seventh Day Group", 7)
    response = client.get("/whats-on/")
    assert names_in_order(response) == ["Seventh Day Group"]
    assert [s.date for s in response.context["sessions"]] == [in_days(7)]


def test_a_session_that_has_finished_today_is_gone(client):
    group = GroupFactory(name="Early Birds")
    now = timezone.now()
    Session.objects.create(
        group=group,
        date=timezone.localdate(),
        start_time=datetime.time(0),
        end_time=datetime.time(0),
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now - datetime.timedelta(minutes=1),
    )
    assert "Early Birds" not in client.get("/whats-on/").text


@pytest.mark.parametrize(
    "group_fields",
    [
        {"status": Group.Status.DRAFT},
        {"status": Group.Status.PAUSED},
        {"status": Group.Status.PENDING},
        {"organisation__status": Organisation.Status.PENDING},
    ],
)
def test_it_leaves_out_groups_that_are_not_public(client, group_fields):
    weekly("Hidden Group", 2, **group_fields)
    weekly("Open Group", 2)
    assert names_in_order(client.get("/whats-on/")) == ["Open Group"]


def test_a_cancelled_session_shows_as_not_happening(client):
    group = weekly("Bumps and Brews", 2)
    CancellationFactory(group=group, date=in_days(2), note="The hall is closed")
    rebuild_sessions(group)
    text = client.get("/whats-on/").text
    assert "No group this time" in text
    assert "The hall is closed" in text


def test_area_shows_only_the_sessions_in_that_area(client):
    forres = AreaFactory(name="Forres")
    group = weekly("Two Towns Group", 2)
    ScheduleFactory(
        group=group, venue=VenueFactory(area=forres, town="Forres"), weekday=in_days(4).weekday()
    )
    rebuild_sessions(group)
    weekly("Elgin Only", 3)
    sessions = client.get("/whats-on/?area=forres").context["sessions"]
    assert [(s.group.name, s.date) for s in sessions] == [("Two Towns Group", in_days(4))]


def test_when_and_topic_filters_narrow_the_sessions(client):
    anxiety = TopicFactory(name="Anxiety")
    evening = weekly("Calm Evenings", 2, start=datetime.time(19))
    evening.topics.add(anxiety)
    morning = weekly("Calm Mornings", 2)
    morning.topics.add(anxiety)
    weekly("Evening Natter", 3, start=datetime.time(19))
    response = client.get("/whats-on/?when=evening&topic=anxiety")
    assert names_in_order(response) == ["Calm Evenings"]
    assert "1 session" in response.text


def test_it_can_show_the_following_days(client):
    weekly("Next Week Group", 3)
    response = client.get(f"/whats-on/?start={in_days(8).isoformat()}")
    assert [s.date for s in response.context["sessions"]] == [in_days(10)]
    assert f"from {date_format(in_days(8), 'l j F')}" in response.text
    assert f'href="?start={in_days(0).isoformat()}"' in response.text  # earlier dates
    assert f'href="?start={in_days(16).isoformat()}"' in response.text  # later dates


def test_the_filters_keep_the_chosen_days(client):
    text = client.get(f"/whats-on/?start={in_days(8).isoformat()}").text
    assert f'<input type="hidden" name="start" value="{in_days(8).isoformat()}">' in text


@pytest.mark.parametrize(
    "start",
    ["2025-02-30", "yesterday", "99999-01-01", "2026-13-01", "2026-01-01%00x", "١٢٣٤-٠١-٠١"],
)
def test_a_date_it_cannot_read_shows_this_week_with_a_plain_message(client, start):
    weekly("This Week Group", 2)
    response = client.get(f"/whats-on/?start={start}")
    assert response.status_code == 200
    assert names_in_order(response) == ["This Week Group"]
    assert "We couldn't read that date, so here's what's on from today." in response.text


@pytest.mark.parametrize("days", [-30, 10_000])
def test_a_date_out_of_range_is_brought_within_the_dates_we_hold(client, settings, days):
    settings.SESSION_HORIZON_DAYS = 60
    response = client.get(f"/whats-on/?start={in_days(days).isoformat()}")
    assert response.status_code == 200
    assert in_days(0) <= response.context["first_day"] <= in_days(60 - 8)


def test_query_count_does_not_grow_with_sessions(client, django_assert_max_num_queries):
    for days in range(3):
        weekly(f"Group {days}", days + 1)
    with django_assert_max_num_queries(15) as few:
        client.get("/whats-on/?area=elgin&when=morning")
    for days in range(12):
        weekly(f"More {days}", days % 7 + 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/whats-on/?area=elgin&when=morning")
    assert len(response.context["sessions"]) == 15


def test_it_sets_no_cookie(client):
    weekly("Any Group", 1)
    assert client.get("/whats-on/").cookies == {}
