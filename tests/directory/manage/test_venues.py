"""Organisers add, edit and delete their venues; a venue in use is kept, kindly."""

import pytest
from django.urls import reverse

from directory.models import Venue
from tests.accounts.organiser_world import make_world
from tests.directory.manage.test_edit_conflicts import opened_form_data_from
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    world = make_world()
    client.force_login(world.editor)
    return world


def venue_data(area, **overrides):
    data = {
        "name": "Forres Town Hall",
        "address": "11 High Street",
        "town": "Forres",
        "postcode": "IV36 1BU",
        "area": area.pk,
        "step_free": "on",
        "pram_space": "on",
        "version": "1",
    }
    data.update(overrides)
    return data


def test_the_venue_list_shows_only_this_organisations_venues(client, world):
    from tests.factories import VenueFactory

    VenueFactory(name="Someone Else's Hall")
    response = client.get(reverse("venue_list", args=[world.organisation.slug]))
    assert "Elgin Community Centre" in response.text
    assert "Someone Else" not in response.text


def test_adding_a_venue(client, world):
    forres = AreaFactory(name="Forres")
    response = client.post(
        reverse("venue_create", args=[world.organisation.slug]), venue_data(forres)
    )
    assert response["Location"] == reverse("venue_list", args=[world.organisation.slug])
    venue = Venue.objects.get(name="Forres Town Hall")
    assert venue.organisation == world.organisation
    assert venue.step_free and venue.pram_space and not venue.parking


def test_a_venue_needs_an_address(client, world):
    response = client.post(
        reverse("venue_create", args=[world.organisation.slug]),
        venue_data(AreaFactory(name="Forres"), address=""),
    )
    assert response.status_code == 200
    assert 'href="#id_address"' in response.text


@pytest.mark.parametrize("field", ["address", "town", "postcode"])
def test_a_fixed_venue_needs_each_part_of_its_address(client, world, field):
    response = client.post(
        reverse("venue_create", args=[world.organisation.slug]),
        venue_data(AreaFactory(name="Forres"), **{field: ""}),
    )
    assert response.status_code == 200
    assert f'href="#id_{field}"' in response.text
    assert not Venue.objects.filter(name="Forres Town Hall").exists()


def test_a_place_agreed_with_each_person_needs_no_address(client, world):
    response = client.post(
        reverse("venue_create", args=[world.organisation.slug]),
        venue_data(
            AreaFactory(name="Anywhere in Moray"),
            name="At home or a place near you",
            agreed_place="on",
            address="",
            town="",
            postcode="",
            directions="We'll agree somewhere that suits you.",
        ),
    )
    assert response.status_code == 302
    venue = Venue.objects.get(name="At home or a place near you")
    assert venue.agreed_place and not venue.has_address
    assert venue.directions_url == ""


def test_editing_a_venue_bumps_its_version(client, world):
    url = reverse("venue_edit", args=[world.venue.pk])
    data = opened_form_data_from(client.get(url).context["form"])
    data["directions"] = "Side door, then up the ramp."
    assert client.post(url, data).status_code == 302
    world.venue.refresh_from_db()
    assert world.venue.directions == "Side door, then up the ramp."
    assert world.venue.version == 2


def test_deleting_an_unused_venue_asks_first(client, world):
    url = reverse("venue_delete", args=[world.spare_venue.pk])
    assert "Yes, delete it" in client.get(url).text
    client.post(url)
    assert not Venue.objects.filter(pk=world.spare_venue.pk).exists()


def test_a_venue_still_in_use_is_kept_with_a_plain_explanation(client, world):
    response = client.post(reverse("venue_delete", args=[world.venue.pk]))
    assert response.status_code == 409
    assert Venue.objects.filter(pk=world.venue.pk).exists()
    assert "still in use" in response.text
    assert "Cuppa and Chat Elgin" in response.text
