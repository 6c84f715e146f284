"""“Change venue from <date>”: the dates before keep the old venue, the dates from it on meet
at the new one (made here if need be), and every-other-week groups keep their rhythm."""

import datetime

import pytest
from django.urls import reverse

from directory.models import Schedule, Venue
from tests.accounts.organiser_world import make_world
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    world = make_world()
    client.force_login(world.editor)
    return world


def coming(world):
    return list(
        world.group.sessions.upcoming(include_cancelled=True)
        .filter(extra__isnull=True)
        .order_by("starts_at")
        .values_list("date", "venue_id")
    )


def url(world):
    return reverse("schedule_venue", args=[world.group.pk, world.schedule.pk])


def test_the_dates_before_keep_the_old_venue(client, world):
    dates = [day for day, _ in coming(world)]
    response = client.post(
        url(world), {"from_date": dates[2].isoformat(), "venue": world.spare_venue.pk}, follow=True
    )
    assert f"from {dates[2]:%A %-d %B}" in response.text
    assert "Spare Room" in response.text
    venues = dict(coming(world))
    assert venues[dates[0]] == venues[dates[1]] == world.venue.pk
    assert all(venues[d] == world.spare_venue.pk for d in dates[2:])
    world.schedule.refresh_from_db()
    assert world.schedule.ends_on == dates[2] - datetime.timedelta(days=1)
    successor = world.group.schedules.exclude(pk=world.schedule.pk).get()
    assert (successor.starts_on, successor.venue) == (dates[2], world.spare_venue)


def test_from_the_first_coming_date_the_regular_time_itself_changes(client, world):
    first = coming(world)[0][0]
    client.post(url(world), {"from_date": first.isoformat(), "venue": "online"})
    world.schedule.refresh_from_db()
    assert world.schedule.venue is None
    assert world.group.schedules.count() == 1
    assert {venue for _, venue in coming(world)} == {None}


def test_a_new_venue_is_made_inline(client, world):
    area = AreaFactory(name="Lossiemouth")
    dates = [day for day, _ in coming(world)]
    client.post(
        url(world),
        {
            "from_date": dates[1].isoformat(),
            "venue": "new",
            "new-name": "Lossie Hall",
            "new-address": "1 Harbour Street",
            "new-town": "Lossiemouth",
            "new-postcode": "IV31 6AA",
            "new-area": area.pk,
        },
    )
    hall = Venue.objects.get(name="Lossie Hall")
    assert hall.organisation == world.organisation
    assert dict(coming(world))[dates[1]] == hall.pk


def test_a_new_venue_with_missing_details_is_explained_and_nothing_changes(client, world):
    dates = [day for day, _ in coming(world)]
    response = client.post(url(world), {"from_date": dates[1].isoformat(), "venue": "new"})
    assert response.status_code == 200
    # The summary at the top names each missing detail and links to its field.
    assert 'class="error-summary"' in response.text
    assert '<a href="#id_new-name">Venue name (new venue): Enter the venue’s name' in response.text
    assert '<a href="#id_new-town">Town (new venue): Enter the venue’s town' in response.text
    assert world.group.schedules.count() == 1


def test_only_coming_dates_of_this_time_can_be_chosen(client, world):
    response = client.post(url(world), {"from_date": "2001-01-01", "venue": "online"})
    assert response.status_code == 200
    assert Schedule.objects.get(pk=world.schedule.pk).venue == world.venue


def test_an_every_other_week_group_keeps_its_rhythm(client, world):
    world.schedule.frequency = Schedule.Frequency.FORTNIGHTLY
    world.schedule.save()
    from directory.timetable import rebuild_sessions

    rebuild_sessions(world.group)
    before = [day for day, _ in coming(world)]
    client.post(url(world), {"from_date": before[2].isoformat(), "venue": world.spare_venue.pk})
    assert [day for day, _ in coming(world)] == before
