"""Regular times, breaks and extra dates: two editors never lose each other's changes, an
extra date starts at the group's usual venue, and impossible dates get a plain error."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory import timetable
from directory.models import ExtraSession, Pause
from tests.accounts.organiser_world import make_world
from tests.directory.manage.test_schedules import TOMORROW, schedule_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    return make_world()


def browsers(world):
    first, second = Client(), Client()
    first.force_login(world.admin)
    second.force_login(world.editor)
    return first, second


def opened(client, url):
    """What a browser sends back for a form as it was when it was opened."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, datetime.time):
            value = value.strftime("%H:%M")
        data[name] = value
    return data


def test_a_venue_change_made_on_an_old_form_does_not_undo_a_new_time(world):
    a, b = browsers(world)
    url = reverse("schedule_edit", args=[world.group.pk, world.schedule.pk])
    a_data, b_data = opened(a, url), opened(b, url)

    a_data.update(start_time="10:30", action="save")
    assert a.post(url, a_data).status_code == 302

    b_data.update(venue=world.spare_venue.pk, action="save")
    response = b.post(url, b_data)

    assert response.status_code == 409
    assert "Someone else changed this regular time" in response.text
    world.schedule.refresh_from_db()
    assert world.schedule.start_time == datetime.time(10, 30)  # A's change stands
    assert world.schedule.venue == world.venue  # B's is not saved yet
    clash = {c.name: c for c in response.context["conflict"].fields}
    assert clash["start_time"].theirs == "10:30am"
    assert not clash["start_time"].both_changed
    # The fresh form holds A's time and B's venue; saving it keeps both.
    form = response.context["form"]
    assert form["venue"].value() == world.spare_venue.pk
    merged = {**b_data, "start_time": "10:30", "version": str(form["version"].value())}
    assert b.post(url, merged).status_code == 302
    world.schedule.refresh_from_db()
    assert (world.schedule.start_time, world.schedule.venue) == (
        datetime.time(10, 30),
        world.spare_venue,
    )
    assert world.group.sessions.upcoming().filter(schedule=world.schedule)[0].venue_id == (
        world.spare_venue.pk
    )


def test_history_credits_nobody_with_a_change_they_did_not_make(world):
    a, b = browsers(world)
    url = reverse("schedule_edit", args=[world.group.pk, world.schedule.pk])
    a_data, b_data = opened(a, url), opened(b, url)
    a.post(url, {**a_data, "start_time": "10:30", "action": "save"})
    b.post(url, {**b_data, "venue": world.spare_venue.pk, "action": "save"})
    times = list(world.schedule.history.values_list("start_time", flat=True))
    assert datetime.time(10, 0) not in times[:1]  # the newest record is not B's old time


def test_two_edits_of_a_break_are_checked_the_same_way(world):
    a, b = browsers(world)
    url = reverse("pause_edit", args=[world.group.pk, world.pause.pk])
    a_data, b_data = opened(a, url), opened(b, url)
    assert a.post(url, {**a_data, "note": "Christmas"}).status_code == 302
    response = b.post(url, {**b_data, "ends_on": (TODAY + datetime.timedelta(days=50)).isoformat()})
    assert response.status_code == 409
    world.pause.refresh_from_db()
    assert world.pause.note == "Christmas"


def test_two_edits_of_an_extra_date_are_checked_the_same_way(world):
    a, b = browsers(world)
    url = reverse("extra_edit", args=[world.group.pk, world.extra.pk])
    a_data, b_data = opened(a, url), opened(b, url)
    assert a.post(url, {**a_data, "note": "Bring a plate"}).status_code == 302
    response = b.post(url, {**b_data, "start_time": "17:30"})
    assert response.status_code == 409
    assert "Someone else changed this extra date" in response.text
    world.extra.refresh_from_db()
    assert (world.extra.note, world.extra.start_time) == ("Bring a plate", datetime.time(18, 0))


def test_an_extra_date_starts_at_the_groups_usual_venue_and_says_where(client, world):
    client.force_login(world.editor)
    url = reverse("extra_create", args=[world.group.pk])
    assert client.get(url).context["form"]["venue"].value() == world.venue.pk
    day = TODAY + datetime.timedelta(days=20)
    while timetable.expected_sessions(world.group, day, day):
        day += datetime.timedelta(days=1)
    response = client.post(
        url,
        {
            "date": day.isoformat(),
            "start_time": "19:00",
            "end_time": "21:00",
            "venue": world.venue.pk,
            "note": "Christmas get-together",
        },
        follow=True,
    )
    extra = ExtraSession.objects.get(note="Christmas get-together")
    assert extra.venue == world.venue
    assert f"at {world.venue.name}, {world.venue.town}" in response.text


def test_an_online_group_extra_date_starts_with_no_venue(client, world):
    client.force_login(world.editor)
    world.schedule.venue = None
    world.schedule.save()
    url = reverse("extra_create", args=[world.group.pk])
    assert client.get(url).context["form"]["venue"].value() is None


def test_a_week_of_the_month_with_every_week_is_an_error(client, world):
    client.force_login(world.editor)
    response = client.post(
        reverse("schedule_create", args=[world.group.pk]),
        schedule_data(frequency="weekly", week_of_month="1"),
    )
    assert response.status_code == 200
    assert "only for groups that meet once a month" in response.text


def test_an_extra_date_on_a_regular_session_is_an_error(client, world):
    client.force_login(world.editor)
    regular = world.group.sessions.upcoming().filter(schedule=world.schedule).last()
    response = client.post(
        reverse("extra_create", args=[world.group.pk]),
        {
            "date": regular.date.isoformat(),
            "start_time": "10:30",
            "end_time": "11:00",
            "venue": world.venue.pk,
        },
    )
    assert response.status_code == 200
    assert "The group already meets on" in response.text
    assert not ExtraSession.objects.filter(date=regular.date).exists()


def test_an_extra_date_beyond_the_dates_shown_is_an_error(client, world, settings):
    client.force_login(world.editor)
    far = TODAY + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS + 1)
    response = client.post(
        reverse("extra_create", args=[world.group.pk]),
        {"date": far.isoformat(), "start_time": "19:00", "end_time": "20:00", "venue": ""},
    )
    assert response.status_code == 200
    assert "dates further ahead aren" in response.text


def test_a_break_wholly_in_the_past_is_an_error_and_messages_use_plain_dates(client, world):
    client.force_login(world.editor)
    url = reverse("pause_create", args=[world.group.pk])
    past = {
        "starts_on": (TODAY - datetime.timedelta(days=9)).isoformat(),
        "ends_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "note": "",
    }
    response = client.post(url, past)
    assert "That break is already over" in response.text
    assert not Pause.objects.filter(note="", group=world.group).exists()

    first = TOMORROW + datetime.timedelta(days=60)
    last = first + datetime.timedelta(days=3)
    response = client.post(
        url,
        {"starts_on": first.isoformat(), "ends_on": last.isoformat(), "note": ""},
        follow=True,
    )
    assert f"{first:%A %-d %B}" in response.text
    assert first.isoformat() not in response.text.split("<main", 1)[1].split("</form>", 1)[0]


def test_free_with_a_cost_is_an_error(client, world):
    from tests.directory.manage.test_groups import group_data

    client.force_login(world.editor)
    data = group_data(is_free="on", cost="£3 a session", version=world.group.version)
    response = client.post(reverse("group_edit", args=[world.group.pk]), data)
    assert response.status_code == 200
    assert "You ticked “Free”" in response.text
