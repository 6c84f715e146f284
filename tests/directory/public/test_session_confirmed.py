""" "Confirmed by the organiser yesterday" beside the next date on a group's page and its result
card: only for that date, and gone once its time or venue changes."""

import datetime

import pytest
import time_machine

from directory.models import SessionConfirmation
from directory.timetable import cancel_date, change_venue_from, confirm_session, rebuild_sessions
from tests.directory.coming_dates import NOW, TOMORROW, make_coming_dates
from tests.factories import VenueFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def dates():
    return make_coming_dates()


def group_page(client, group):
    return client.get(group.get_absolute_url()).text


def confirm_tomorrow(dates):
    return confirm_session(dates.session(dates.monday, TOMORROW))


def test_parents_see_nothing_until_the_organiser_confirms(client, dates):
    assert "Confirmed by the organiser" not in group_page(client, dates.monday)


def test_a_date_confirmed_today_says_today(client, dates):
    confirm_tomorrow(dates)
    assert "Confirmed by the organiser today" in group_page(client, dates.monday)


def test_a_date_confirmed_yesterday_says_yesterday(client, dates, fixed_clock):
    fixed_clock.move_to(NOW - DAY)
    confirm_tomorrow(dates)
    fixed_clock.move_to(NOW)
    assert "Confirmed by the organiser yesterday" in group_page(client, dates.monday)


def test_a_date_confirmed_earlier_in_the_week_gives_the_day(client, dates, fixed_clock):
    fixed_clock.move_to(NOW - 3 * DAY)
    confirm_tomorrow(dates)
    fixed_clock.move_to(NOW)
    assert "Confirmed by the organiser on Thursday 4 March" in group_page(client, dates.monday)


def test_only_the_confirmed_date_shows_it(client, dates, fixed_clock):
    confirm_tomorrow(dates)
    assert "Confirmed by the organiser" not in group_page(client, dates.thursday)
    fixed_clock.move_to(datetime.datetime(2027, 3, 8, 12, 0, tzinfo=NOW.tzinfo))
    # Monday's date is over: the next one, a week later, is not confirmed.
    assert "Confirmed by the organiser" not in group_page(client, dates.monday)


def test_a_change_of_time_takes_the_confirmation_away(client, dates):
    confirm_tomorrow(dates)
    schedule = dates.monday.schedules.get()
    schedule.start_time = datetime.time(10, 30)
    schedule.save()
    rebuild_sessions(dates.monday)
    assert "Confirmed by the organiser" not in group_page(client, dates.monday)
    assert not SessionConfirmation.objects.exists()

    # Moving back does not bring back a confirmation of a different time.
    schedule.start_time = datetime.time(10, 0)
    schedule.save()
    rebuild_sessions(dates.monday)
    assert "Confirmed by the organiser" not in group_page(client, dates.monday)


def test_a_change_of_venue_takes_the_confirmation_away(client, dates):
    confirm_tomorrow(dates)
    new_place = VenueFactory(organisation=dates.organisation, name="Lossiemouth Library")
    change_venue_from(dates.monday.schedules.get(), TOMORROW, new_place)
    assert "Lossiemouth Library" in group_page(client, dates.monday)
    assert "Confirmed by the organiser" not in group_page(client, dates.monday)


def test_a_change_to_another_date_keeps_the_confirmation(client, dates):
    confirm_tomorrow(dates)
    cancel_date(dates.monday, TOMORROW + 7 * DAY, "Holiday")
    assert "Confirmed by the organiser today" in group_page(client, dates.monday)


def test_cancelling_the_confirmed_date_takes_the_confirmation_away(client, dates):
    confirm_tomorrow(dates)
    cancel_date(dates.monday, TOMORROW, "")
    assert "Confirmed by the organiser" not in group_page(client, dates.monday)
    assert not SessionConfirmation.objects.exists()


def test_the_confirmation_outlasts_the_nightly_refresh(client, dates):
    confirm_tomorrow(dates)
    rebuild_sessions(dates.monday)
    assert "Confirmed by the organiser today" in group_page(client, dates.monday)


def test_result_cards_say_it_beside_the_confirmed_next_date_only(client, dates):
    # Read in the query that finds each card's next date (the list's query-count test in
    # test_group_list.py holds it to that).
    confirm_tomorrow(dates)
    cards = client.get("/").text
    assert cards.count("Confirmed by the organiser today") == 1
    monday_card = cards.split("Monday Cuppa</a>", 1)[1].split("</article>", 1)[0]
    assert "Confirmed by the organiser today" in monday_card


def test_a_confirmed_online_date_shows_it_too(client, dates):
    schedule = dates.monday.schedules.get()
    schedule.venue = None
    schedule.save()
    dates.monday.online = True
    dates.monday.save()
    rebuild_sessions(dates.monday)
    confirm_tomorrow(dates)
    assert "Confirmed by the organiser today" in group_page(client, dates.monday)


def test_a_later_date_confirmed_shows_it_beside_that_date_in_the_list(client, dates):
    later = TOMORROW + datetime.timedelta(days=7)
    confirm_session(dates.session(dates.monday, later))
    page = group_page(client, dates.monday)
    listed = page.split("<ul", 1)[1]
    line = next(item for item in listed.split("<li")[1:] if "Mon 15 Mar" in item)
    assert "Confirmed by the organiser today" in line
    nxt = next(item for item in listed.split("<li")[1:] if "Mon 8 Mar" in item)
    assert "Confirmed" not in nxt
