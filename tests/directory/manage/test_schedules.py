"""Regular times, breaks and extra dates: each change re-expands the group's sessions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import ExtraSession, Pause, Schedule
from tests.accounts.organiser_world import make_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# Starting tomorrow keeps the tests independent of the time of day they run at.
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def world(client):
    world = make_world()
    client.force_login(world.editor)
    return world


def next_weekday(weekday, after=TOMORROW):
    return after + datetime.timedelta(days=(weekday - after.weekday()) % 7)


def schedule_data(**overrides):
    data = {
        "frequency": "weekly",
        "weekday": "0",
        "week_of_month": "",
        "start_time": "18:30",
        "end_time": "20:00",
        "venue": "",
        "starts_on": TOMORROW.isoformat(),
        "ends_on": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def upcoming(group, **lookup):
    return list(group.sessions.upcoming().filter(**lookup).values_list("date", flat=True))


def test_adding_a_weekly_time_adds_its_sessions(client, world):
    # Not the weekday the group already meets on, whose second date is cancelled.
    weekday = (world.group.schedules.get().weekday + 3) % 7
    response = client.post(
        reverse("schedule_create", args=[world.group.pk]),
        schedule_data(venue=world.venue.pk, weekday=str(weekday)),
    )
    assert response.status_code == 302
    schedule = world.group.schedules.get(start_time=datetime.time(18, 30))
    assert schedule.venue == world.venue
    dates = upcoming(world.group, start_time=datetime.time(18, 30))
    assert dates[0] == next_weekday(weekday)
    assert dates[1] - dates[0] == datetime.timedelta(days=7)


def test_a_fortnightly_time_counts_from_its_first_date(client, world):
    first = next_weekday(2)
    client.post(
        reverse("schedule_create", args=[world.group.pk]),
        schedule_data(frequency="fortnightly", weekday="2", starts_on=first.isoformat()),
    )
    dates = upcoming(world.group, start_time=datetime.time(18, 30))
    assert dates[:2] == [first, first + datetime.timedelta(days=14)]


def test_a_monthly_time_falls_on_the_chosen_week_of_the_month(client, world):
    # The world's break and cancelled date can take a first Tuesday out, on some days of the
    # year: with neither, six months always hold at least five.
    world.group.pauses.all().delete()
    world.group.cancellations.all().delete()
    client.post(
        reverse("schedule_create", args=[world.group.pk]),
        schedule_data(frequency="monthly", weekday="1", week_of_month="1"),
    )
    dates = upcoming(world.group, start_time=datetime.time(18, 30))
    assert len(dates) >= 5
    assert all(d.weekday() == 1 and d.day <= 7 for d in dates)


def test_a_monthly_time_needs_a_week_of_the_month(client, world):
    response = client.post(
        reverse("schedule_create", args=[world.group.pk]), schedule_data(frequency="monthly")
    )
    assert response.status_code == 200
    assert 'href="#id_week_of_month"' in response.text
    assert not world.group.schedules.filter(start_time=datetime.time(18, 30)).exists()


def test_an_end_date_stops_the_sessions(client, world):
    ends = TODAY + datetime.timedelta(days=20)
    client.post(
        reverse("schedule_create", args=[world.group.pk]), schedule_data(ends_on=ends.isoformat())
    )
    dates = upcoming(world.group, start_time=datetime.time(18, 30))
    assert dates and max(dates) <= ends


def test_the_finish_must_come_after_the_start(client, world):
    response = client.post(
        reverse("schedule_create", args=[world.group.pk]),
        schedule_data(start_time="20:00", end_time="19:00"),
    )
    assert "The finish time must be after the start time." in response.text


def test_only_the_organisations_own_venues_can_be_chosen(client, world):
    from tests.factories import VenueFactory

    elsewhere = VenueFactory(name="Another Charity's Hall")
    response = client.post(
        reverse("schedule_create", args=[world.group.pk]), schedule_data(venue=elsewhere.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "Another Charity" not in response.text.split("<select")[-1]


def test_the_preview_button_shows_dates_without_saving(client, world):
    count = Schedule.objects.count()
    response = client.post(
        reverse("schedule_create", args=[world.group.pk]), schedule_data(action="preview")
    )
    assert response.status_code == 200
    assert Schedule.objects.count() == count
    first = next_weekday(0)
    assert f"{first:%A} {first.day} {first:%B %Y}" in response.text


def test_the_preview_endpoint_returns_the_next_dates_as_a_fragment(client, world):
    response = client.get(
        reverse("schedule_preview"),
        {k: v for k, v in schedule_data(frequency="fortnightly", weekday="4").items()},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    first = next_weekday(4)
    second = first + datetime.timedelta(days=14)
    assert f"Friday {first.day} {first:%B %Y}" in response.text
    assert f"Friday {second.day} {second:%B %Y}" in response.text
    assert response.text.count("<li>") == 8


def test_the_preview_endpoint_explains_when_the_form_is_not_filled_in(client, world):
    response = client.get(reverse("schedule_preview"), {"frequency": "weekly"})
    assert response.status_code == 200
    assert "Fill in the day" in response.text


def test_the_schedule_form_loads_the_preview_script_and_works_without_it(client, world):
    response = client.get(reverse("schedule_create", args=[world.group.pk]))
    assert 'src="/static/js/schedule-preview.js" defer' in response.text
    assert f'data-preview-url="{reverse("schedule_preview")}"' in response.text
    assert 'name="action" value="preview"' in response.text


def test_editing_a_time_moves_its_sessions(client, world):
    url = reverse("schedule_edit", args=[world.group.pk, world.schedule.pk])
    client.post(
        url, schedule_data(weekday="5", venue=world.venue.pk, start_time="10:00", version="1")
    )
    world.schedule.refresh_from_db()
    assert world.schedule.weekday == 5
    regular = world.group.sessions.upcoming().filter(schedule=world.schedule)
    assert {d.weekday() for d in regular.values_list("date", flat=True)} == {5}


def test_removing_a_time_removes_its_sessions(client, world):
    url = reverse("schedule_delete", args=[world.group.pk, world.schedule.pk])
    assert "Remove this regular time?" in client.get(url).text
    client.post(url)
    assert not Schedule.objects.filter(pk=world.schedule.pk).exists()
    assert not world.group.sessions.upcoming().filter(extra__isnull=True).exists()


def test_a_break_takes_out_the_sessions_it_covers(client, world):
    dates = world.session_dates[10:13]  # well after the world's own break
    client.post(
        reverse("pause_create", args=[world.group.pk]),
        {"starts_on": dates[0].isoformat(), "ends_on": dates[1].isoformat(), "note": "Easter"},
    )
    assert Pause.objects.filter(group=world.group, note="Easter").exists()
    remaining = upcoming(world.group)
    assert dates[0] not in remaining and dates[1] not in remaining
    assert dates[2] in remaining


def test_removing_a_break_brings_its_sessions_back(client, world):
    covered = world.pause.starts_on
    while covered.weekday() != world.schedule.weekday:
        covered += datetime.timedelta(days=1)
    assert covered not in upcoming(world.group)
    client.post(reverse("pause_delete", args=[world.group.pk, world.pause.pk]))
    assert covered in upcoming(world.group)


def test_a_break_must_end_after_it_starts(client, world):
    response = client.post(
        reverse("pause_create", args=[world.group.pk]),
        {"starts_on": "2030-08-10", "ends_on": "2030-08-01"},
    )
    assert "The last day can&#x27;t be before the first day." in response.text


def test_an_extra_date_adds_a_session(client, world):
    day = TODAY + datetime.timedelta(days=4)
    client.post(
        reverse("extra_create", args=[world.group.pk]),
        {"date": day.isoformat(), "start_time": "13:00", "end_time": "14:00", "note": "Picnic"},
    )
    extra = ExtraSession.objects.get(group=world.group, note="Picnic")
    assert world.group.sessions.filter(extra=extra, date=day).exists()


def test_an_extra_date_cannot_be_in_the_past(client, world):
    response = client.post(
        reverse("extra_create", args=[world.group.pk]),
        {"date": "2001-01-01", "start_time": "13:00", "end_time": "14:00"},
    )
    assert "Choose today or a date in the future." in response.text


def test_removing_an_extra_date_removes_its_session(client, world):
    client.post(reverse("extra_delete", args=[world.group.pk, world.extra.pk]))
    assert not world.group.sessions.filter(date=world.extra.date, extra__isnull=False).exists()
