"""A place agreed with each person is on no map, whatever coordinates it once had."""

from decimal import Decimal

import pytest

from tests.factories import VenueFactory, group_with_schedule

pytestmark = pytest.mark.django_db


def agreed_place_group():
    venue = VenueFactory(
        name="At home or a place near you",
        agreed_place=True,
        address="",
        postcode="",
        latitude=Decimal("57.64900"),
        longitude=Decimal("-3.31800"),
    )
    return group_with_schedule(organisation=venue.organisation, schedule_kwargs={"venue": venue})


def test_a_fixed_place_gives_its_coordinates():
    venue = VenueFactory(latitude=Decimal("57.64900"), longitude=Decimal("-3.31800"))
    assert venue.map_point == (57.649, -3.318)


def test_an_agreed_place_gives_no_coordinates_to_calendars_or_search_engines(client):
    group = agreed_place_group()
    feed = client.get(f"/groups/{group.slug}/feed.ics").text
    assert "GEO:" not in feed
    page = client.get(group.get_absolute_url()).text
    assert "GeoCoordinates" not in page
    assert group.schedules.get().venue.map_point is None
