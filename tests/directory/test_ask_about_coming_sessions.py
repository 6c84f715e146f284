"""ask_about_coming_sessions: "is it still on?" the day before, or weekly, to those who chose
it; each person asked about each date once, however often it runs."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from directory.models import Group, SessionQuestion
from directory.timetable import cancel_date, rebuild_sessions
from tests.directory.coming_dates import NOW, SUNDAY, THURSDAY, TOMORROW, make_coming_dates
from tests.factories import ExtraSessionFactory

EVENING = datetime.time(18, 0)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock(settings):
    settings.SESSION_QUESTIONS_WEEKDAY = SUNDAY
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def dates():
    return make_coming_dates()


def run():
    out = StringIO()
    call_command("ask_about_coming_sessions", stdout=out)
    return out.getvalue()


def sent_to(membership):
    return [m for m in mail.outbox if m.to == [membership.user.email]]


def test_the_day_before_person_gets_one_email_about_tomorrows_date_with_two_links(dates):
    run()
    [message] = sent_to(dates.day_before)
    assert message.subject == "Moray Peer Support: Is Monday Cuppa on tomorrow?"
    assert "Monday 8 March, 10:00am to 11:30am" in message.body
    assert "Elgin Community Centre, Elgin" in message.body
    assert "Thursday Evening Chat" not in message.body
    assert "Yes, it's on:" in message.body
    assert "Cancel this one (add a note for parents):" in message.body
    question = SessionQuestion.objects.get(user=dates.day_before.user)
    for answer in ("on", "cancel"):
        assert reverse("session_answer", args=[question.link_token(answer)]) in message.body
    assert reverse("session_emails", args=[dates.organisation.slug]) in message.body


def test_the_weekly_person_gets_one_email_listing_the_coming_weeks_dates(dates):
    run()
    [message] = sent_to(dates.weekly)
    assert (
        message.subject == "Moray Peer Support: Are Moray Parents Together's groups on this week?"
    )
    assert "Monday 8 March" in message.body
    assert "Thursday 11 March, 6:00pm to 7:00pm" in message.body
    assert "Forres Hall, Forres" in message.body
    assert "Monday 15 March" not in message.body  # the week after is next Sunday's email
    assert message.body.count("Yes, it's on:") == 2


def test_the_weekly_email_goes_only_on_its_day(dates, settings):
    settings.SESSION_QUESTIONS_WEEKDAY = 0
    run()
    assert sent_to(dates.weekly) == []
    assert len(sent_to(dates.day_before)) == 1


def test_people_who_did_not_opt_in_and_strangers_get_nothing(dates):
    run()
    assert sent_to(dates.never) == []
    assert [m for m in mail.outbox if m.to == [dates.stranger.email]] == []
    assert len(mail.outbox) == 2


def test_running_twice_sends_nothing_more(dates):
    first = run()
    second = run()
    assert len(mail.outbox) == 2
    assert "Sent 2 email(s) asking about 3 date(s)." in first
    assert "Sent 0 email(s)" in second
    assert SessionQuestion.objects.count() == 3


def test_a_date_already_asked_about_in_the_weekly_email_is_not_asked_again(dates):
    run()
    dates.weekly.session_emails = "day_before"
    dates.weekly.save()
    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        run()  # Wednesday: Thursday's date was in Sunday's email
    assert len(sent_to(dates.weekly)) == 1


def test_the_next_day_asks_about_the_next_days_dates(dates):
    run()
    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        run()
    later = sent_to(dates.day_before)[1]
    assert later.subject == "Moray Peer Support: Is Thursday Evening Chat on tomorrow?"


def test_cancelled_dates_are_never_asked_about(dates):
    cancel_date(dates.monday, TOMORROW, "Hall closed")
    run()
    assert sent_to(dates.day_before) == []
    assert "Monday 8 March" not in sent_to(dates.weekly)[0].body


@pytest.mark.parametrize("status", [Group.Status.DRAFT, Group.Status.PAUSED])
def test_drafts_and_paused_listings_are_never_asked_about(dates, status):
    Group.objects.filter(pk=dates.monday.pk).update(status=status)
    run()
    assert sent_to(dates.day_before) == []
    [weekly] = sent_to(dates.weekly)
    assert "Monday Cuppa" not in weekly.body
    assert THURSDAY.strftime("%A %-d %B") in weekly.body


def test_people_whose_account_is_closed_get_nothing(dates):
    user = dates.day_before.user
    user.is_active = False
    user.save()
    run()
    assert sent_to(dates.day_before) == []


def test_an_extra_date_is_offered_the_groups_dates_instead_of_a_cancel_link(dates):
    ExtraSessionFactory(group=dates.monday, venue=dates.venue, date=TOMORROW, start_time=EVENING)
    rebuild_sessions(dates.monday)
    run()
    bodies = [message.body for message in sent_to(dates.day_before)]  # one email a date
    [usual] = [body for body in bodies if "10:00am" in body]
    [extra] = [body for body in bodies if "6:00pm" in body]
    assert "Cancel this one (add a note for parents):" in usual
    assert "Cancel this one" not in extra
    assert "It's an extra date you added: sign in to remove it:" in extra
    assert reverse("group_manage", args=[dates.monday.pk]) + "#dates" in extra
