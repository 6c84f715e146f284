"""Cancelling one date in a few taps, with a note parents see, and putting it back."""

import re

import pytest
from django.urls import reverse

from directory.models import Cancellation
from tests.accounts.organiser_world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    world = make_world()
    client.force_login(world.editor)
    return world


def cancel_url(world, day):
    return reverse("date_cancel", args=[world.group.pk, day.isoformat()])


def test_the_group_page_lists_the_next_eight_dates_each_with_a_cancel_button(client, world):
    response = client.get(reverse("group_manage", args=[world.group.pk]))
    dates = response.context["dates"]
    assert len(dates) == 8
    live = [s for s in dates if not s.cancelled]
    for session in live:
        assert cancel_url(world, session.date) in response.text
    assert response.text.count("Cancel this date<span") == len(live)


def test_cancelling_asks_for_an_optional_note_then_shows_it_to_parents(client, world):
    day = world.session_dates[0]
    form = client.get(cancel_url(world, day))
    assert form.status_code == 200
    assert "(optional)" in form.text
    response = client.post(cancel_url(world, day), {"note": "Our leader is poorly"})
    assert response["Location"] == reverse("group_manage", args=[world.group.pk]) + "#dates"
    assert Cancellation.objects.get(group=world.group, date=day).note == "Our leader is poorly"
    assert world.group.sessions.get(date=day, schedule__isnull=False).cancelled

    public = client.get(world.group.get_absolute_url()).text
    assert re.search(rf"No group on \w+ {day.day} {day:%b}", public)
    assert "Our leader is poorly" in public


def test_cancelling_without_a_note_is_fine(client, world):
    day = world.session_dates[0]
    client.post(cancel_url(world, day), {"note": ""})
    assert Cancellation.objects.filter(group=world.group, date=day).exists()


def test_the_next_date_is_one_tap_from_the_dashboard(client, world):
    dashboard = client.get(reverse("dashboard")).text
    assert cancel_url(world, world.session_dates[0]) in dashboard


def test_undo_puts_the_date_back(client, world):
    day = world.cancellation.date
    client.post(reverse("cancellation_undo", args=[world.group.pk, world.cancellation.pk]))
    assert not Cancellation.objects.filter(pk=world.cancellation.pk).exists()
    assert not world.group.sessions.get(date=day, schedule__isnull=False).cancelled
    public = client.get(world.group.get_absolute_url()).text
    assert not re.search(rf"No group on \w+ {day.day} {day:%b}", public)


def test_a_cancelled_date_offers_put_back_on_the_group_page(client, world):
    response = client.get(reverse("group_manage", args=[world.group.pk]))
    undo = reverse("cancellation_undo", args=[world.group.pk, world.cancellation.pk])
    assert undo in response.text


def test_a_date_the_group_does_not_meet_on_is_refused(client, world):
    not_a_session = world.session_dates[0].replace(day=1)
    while not_a_session in world.session_dates:
        not_a_session = not_a_session.replace(day=not_a_session.day + 1)
    response = client.post(cancel_url(world, not_a_session), {"note": ""})
    assert response.status_code == 302
    assert not Cancellation.objects.filter(group=world.group, date=not_a_session).exists()


def test_a_malformed_date_is_not_found(client, world):
    url = reverse("date_cancel", args=[world.group.pk, "2024-02-31"])
    assert client.get(url).status_code == 404


def test_cancelling_an_already_cancelled_date_changes_nothing(client, world):
    client.post(cancel_url(world, world.cancellation.date), {"note": "Different"})
    world.cancellation.refresh_from_db()
    assert world.cancellation.note == "Hall closed"


def test_another_groups_cancellation_cannot_be_undone_through_this_group(client, world):
    from tests.factories import CancellationFactory, group_with_schedule

    other_group = group_with_schedule(organisation=world.organisation)
    other = CancellationFactory(group=other_group, date=world.session_dates[0])
    url = reverse("cancellation_undo", args=[world.group.pk, other.pk])
    assert client.post(url).status_code == 404
    assert Cancellation.objects.filter(pk=other.pk).exists()
