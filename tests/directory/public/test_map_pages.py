import json
import re

import pytest

from directory.models import Group
from tests.factories import AreaFactory, VenueFactory, group_with_schedule

pytestmark = pytest.mark.django_db
TILES = "https://tile.openstreetmap.org"


def img_src(response):
    return re.search(r"img-src ([^;]+)", response["Content-Security-Policy"]).group(1).split()


def points(response):
    found = re.search(
        r'<script id="venue-points" type="application/json">(.*?)</script>', response.text
    )
    return json.loads(found.group(1))


def test_only_the_map_pages_let_the_tile_host_in(client):
    group = group_with_schedule()
    assert TILES in img_src(client.get("/map/"))
    assert TILES in img_src(client.get(f"/groups/{group.slug}/map/"))
    for url in ["/", group.get_absolute_url(), "/whats-on/", "/areas/elgin/"]:
        assert TILES not in img_src(client.get(url)), url


def test_the_list_and_group_page_link_to_the_map_and_name_the_tile_source(client):
    group = group_with_schedule()
    listing = client.get("/?q=cuppa&page=1").text
    assert 'href="/map/?q=cuppa"' in listing
    assert "the map pictures come from OpenStreetMap" in listing
    detail = client.get(group.get_absolute_url()).text
    assert f'href="/groups/{group.slug}/map/"' in detail
    assert "the map pictures come from OpenStreetMap" in detail


def test_the_map_page_lists_every_venue_with_its_address_and_directions(client):
    group = group_with_schedule(name="Hall Natter")
    venue = group.schedules.get().venue
    response = client.get("/map/")
    assert "tile.openstreetmap.org" in response.text
    assert f"{venue.address}, {venue.town} {venue.postcode}" in response.text
    assert venue.directions_url.replace("&", "&amp;") in response.text
    assert points(response) == [
        {
            "name": venue.name,
            "address": venue.full_address,
            "lat": 57.649,
            "lng": -3.318,
            "groups": [{"name": "Hall Natter", "url": group.get_absolute_url()}],
        }
    ]


def test_the_map_follows_the_lists_filters_and_shows_public_groups_only(client):
    forres = AreaFactory(name="Forres")
    group_with_schedule(
        name="Forres Walk", schedule_kwargs={"venue": VenueFactory(area=forres, town="Forres")}
    )
    group_with_schedule(name="Elgin Chat")
    group_with_schedule(
        name="Forres Draft",
        status=Group.Status.DRAFT,
        schedule_kwargs={"venue": VenueFactory(area=forres, town="Forres")},
    )
    response = client.get("/map/?area=forres")
    names = [g["name"] for p in points(response) for g in p["groups"]]
    assert names == ["Forres Walk"]
    assert 'href="/?area=forres"' in response.text


def test_a_venue_without_coordinates_is_listed_but_not_plotted(client):
    venue = VenueFactory(latitude=None, longitude=None, name="Unmapped Hall")
    group_with_schedule(schedule_kwargs={"venue": venue})
    response = client.get("/map/")
    assert "Unmapped Hall" in response.text
    assert "venue-points" not in response.text


def test_a_group_map_shows_only_its_own_venues(client):
    group = group_with_schedule(name="Mine")
    other = group_with_schedule(name="Theirs")
    response = client.get(f"/groups/{group.slug}/map/")
    assert [p["name"] for p in points(response)] == [group.schedules.get().venue.name]
    assert other.schedules.get().venue.name not in response.text


def test_map_pages_set_no_cookie(client):
    group = group_with_schedule()
    assert client.get("/map/").cookies == {}
    assert client.get(f"/groups/{group.slug}/map/").cookies == {}
