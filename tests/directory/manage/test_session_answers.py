""" "Is it still on?" links: signed, single-use, for one date and one action, until the date is
over; a GET only shows the page, the button's POST acts. And each member's own choice of how
often to be asked."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Membership
from directory.models import Cancellation, SessionConfirmation
from directory.timetable import cancel_date, rebuild_sessions
from tests.directory.coming_dates import NOW, THURSDAY, TOMORROW, make_coming_dates, question_about
from tests.factories import ExtraSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def dates():
    return make_coming_dates()


@pytest.fixture
def question(dates):
    return question_about(dates.day_before.user, dates.session(dates.monday, TOMORROW))


def link(question, answer):
    return reverse("session_answer", args=[question.link_token(answer)])


def words(page):
    return re.sub(r"<[^>]+>", "", page.text)


def nothing_changed(dates):
    return not SessionConfirmation.objects.exists() and not Cancellation.objects.exists()


def test_opening_either_link_shows_the_date_and_changes_nothing(client, dates, question):
    for answer, button in (("on", "Yes, it's on"), ("cancel", "Cancel this date")):
        page = client.get(link(question, answer))
        assert page.status_code == 200
        assert "Monday Cuppa" in page.text
        assert "Monday 8 March, 10:00am–11:30am" in words(page)
        assert "Elgin Community Centre" in page.text
        assert f"{button}</button>" in page.text
    assert nothing_changed(dates)
    question.refresh_from_db()
    assert question.answered_at is None


def test_the_cancel_link_asks_for_an_optional_note_for_parents(client, question):
    page = client.get(link(question, "cancel"))
    assert "A note for parents" in page.text
    assert "(optional)" in page.text


def test_pressing_yes_confirms_that_date_only_without_signing_in(client, dates, question):
    response = client.post(link(question, "on"))
    assert response.status_code == 302
    confirmation = SessionConfirmation.objects.get()
    session = dates.session(dates.monday, TOMORROW)
    assert confirmation.matches(session)
    assert SessionConfirmation.objects.filter(group=dates.thursday).count() == 0
    assert "Thank you" in client.get(response["Location"]).text


def test_pressing_cancel_cancels_that_date_with_the_note(client, dates, question):
    response = client.post(link(question, "cancel"), {"note": "Our leader is poorly"})
    assert response.status_code == 302
    cancellation = Cancellation.objects.get()
    assert (cancellation.group, cancellation.date) == (dates.monday, TOMORROW)
    assert cancellation.note == "Our leader is poorly"
    assert dates.session(dates.monday, TOMORROW).cancelled
    assert not dates.session(dates.thursday, THURSDAY).cancelled
    assert "Done: no group on Monday 8 March" in client.get(response["Location"]).text


def test_each_link_works_once_for_either_action(client, dates, question):
    client.post(link(question, "on"))
    again = client.post(link(question, "cancel"), {"note": "Changed my mind"})
    assert "This link has been used" in again.text
    assert not Cancellation.objects.exists()
    page = client.get(link(question, "cancel"))
    assert "This link has been used" in page.text
    assert "<form" not in page.text.split("<main", 1)[-1].split("</main>")[0]


def test_a_link_expires_once_the_date_is_over(client, dates, question, fixed_clock):
    fixed_clock.move_to(datetime.datetime(2027, 3, 8, 11, 31, tzinfo=NOW.tzinfo))
    for method in (client.get, client.post):
        page = method(link(question, "on"))
        assert page.status_code == 410
        assert "This link has expired" in page.text
    assert nothing_changed(dates)


def test_a_link_still_works_while_the_date_is_under_way(client, question, fixed_clock):
    fixed_clock.move_to(datetime.datetime(2027, 3, 8, 11, 29, tzinfo=NOW.tzinfo))
    assert client.get(link(question, "cancel")).status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace("eyJx", "eyJy", 1),
        lambda token: "made-up",
    ],
)
def test_a_tampered_link_shows_a_plain_page_and_changes_nothing(client, dates, question, tamper):
    url = reverse("session_answer", args=[tamper(question.link_token("cancel"))])
    for method in (client.get, client.post):
        page = method(url, {"note": "x"}) if method == client.post else method(url)
        assert page.status_code == 404
        assert "This link doesn't work" in page.text
    assert nothing_changed(dates)


def test_a_link_signed_for_another_purpose_does_not_work(client, dates, question):
    from django.core import signing

    token = signing.dumps({"q": question.pk, "a": "cancel"}, salt="some.other.link")
    page = client.post(reverse("session_answer", args=[token]), {"note": ""})
    assert page.status_code == 404
    assert nothing_changed(dates)


def test_a_link_acts_only_on_its_own_date(client, dates, question):
    thursday = question_about(dates.day_before.user, dates.session(dates.thursday, THURSDAY))
    client.post(link(thursday, "cancel"), {"note": ""})
    assert [c.date for c in Cancellation.objects.all()] == [THURSDAY]
    assert not dates.session(dates.monday, TOMORROW).cancelled
    question.refresh_from_db()
    assert question.answered_at is None


def test_a_date_cancelled_in_the_meantime_shows_a_plain_page(client, dates, question):
    cancel_date(dates.monday, TOMORROW, "Hall closed")
    for answer in ("on", "cancel"):
        page = client.post(link(question, answer), {"note": ""})
        assert page.status_code == 410
        assert "already cancelled" in page.text
    assert not SessionConfirmation.objects.exists()
    assert Cancellation.objects.get().note == "Hall closed"


def test_a_date_moved_in_the_meantime_shows_a_plain_page(client, dates, question):
    schedule = dates.monday.schedules.get()
    schedule.start_time = datetime.time(10, 30)
    schedule.save()
    from directory.timetable import rebuild_sessions

    rebuild_sessions(dates.monday)
    page = client.post(link(question, "on"))
    assert page.status_code == 410
    assert "This date has changed since we emailed you" in page.text
    assert not SessionConfirmation.objects.exists()


def test_a_paused_listing_shows_a_plain_page(client, dates, question):
    dates.monday.pause()
    page = client.post(link(question, "on"))
    assert page.status_code == 410
    assert "isn't live just now" in page.text


# --- Each member's choice -----------------------------------------------------------------


def emails_page(dates):
    return reverse("session_emails", args=[dates.organisation.slug])


def test_the_choice_is_one_tap_from_the_dashboard(client, dates):
    client.force_login(dates.never.user)
    assert emails_page(dates) in client.get(reverse("dashboard")).text


def test_nobody_is_asked_unless_they_choose_to():
    assert Membership().session_emails == Membership.SessionEmails.NEVER


@pytest.mark.parametrize("who", ["day_before", "never"])
def test_owner_and_colleague_each_set_only_their_own_choice(client, dates, who):
    membership = getattr(dates, who)
    other = dates.never if who == "day_before" else dates.day_before
    client.force_login(membership.user)
    page = client.get(emails_page(dates))
    assert page.status_code == 200
    assert "How often should we ask?" in page.text
    response = client.post(emails_page(dates), {"session_emails": "weekly"})
    assert response["Location"] == reverse("dashboard")
    membership.refresh_from_db()
    assert membership.session_emails == "weekly"
    before = other.session_emails
    other.refresh_from_db()
    assert other.session_emails == before


def test_a_stranger_gets_a_404_and_changes_nothing(client, dates):
    client.force_login(dates.stranger)
    assert client.get(emails_page(dates)).status_code == 404
    assert client.post(emails_page(dates), {"session_emails": "weekly"}).status_code == 404
    dates.never.refresh_from_db()
    assert dates.never.session_emails == "never"


def test_signed_out_visitors_are_sent_to_sign_in(client, dates):
    response = client.get(emails_page(dates))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_unknown_choice_is_refused_with_an_error(client, dates):
    client.force_login(dates.never.user)
    page = client.post(emails_page(dates), {"session_emails": "hourly"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.text


def test_a_link_stops_working_once_its_person_leaves_the_organisation(client, dates, question):
    dates.day_before.delete()
    for answer in ("on", "cancel"):
        page = client.post(link(question, answer), {"note": ""})
        assert page.status_code == 410
        assert "no longer one of" in words(page)
    assert nothing_changed(dates)


def test_a_link_stops_working_once_its_persons_account_is_closed(client, dates, question):
    question.user.is_active = False
    question.user.save()
    assert client.post(link(question, "on")).status_code == 410
    assert nothing_changed(dates)


def test_an_extra_date_is_not_said_to_be_cancelled_by_a_link_that_cannot_call_it_off(client, dates):
    extra = ExtraSessionFactory(group=dates.monday, venue=dates.venue, date=THURSDAY)
    rebuild_sessions(dates.monday)
    session = dates.monday.sessions.get(extra=extra)
    question = question_about(dates.day_before.user, session)
    page = client.post(link(question, "cancel"), {"note": "Hall closed"})
    assert page.status_code == 200
    assert "can't be cancelled from the email" in words(page)
    assert "Done" not in words(page)
    session.refresh_from_db()
    assert not session.cancelled
    assert nothing_changed(dates)
    question.refresh_from_db()
    assert question.answered_at is None
