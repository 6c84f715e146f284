"""A parent says where she is and sees the nearest groups first, with how far each is."""

import re

import pytest
from django.core.management import call_command

from directory.models import Place, PlaceAlias
from tests.factories import VenueFactory, group_with_schedule, online_group

pytestmark = pytest.mark.django_db

# Seeded points (directory/data/geonames_moray.csv, GeoNames, CC BY 4.0).
LOSSIEMOUTH = ("57.72136", "-3.28341")
ELGIN = ("57.65", "-3.33333")
FORRES = ("57.60997", "-3.62115")


@pytest.fixture
def towns():
    call_command("load_terms", verbosity=0)


def group_at(name, point, town="Elgin", **kwargs):
    venue = VenueFactory(town=town, latitude=point[0], longitude=point[1])
    return group_with_schedule(name=name, schedule_kwargs={"venue": venue}, **kwargs)


def card_names(response):
    return re.findall(r'<article class="card">\s*<h3><a [^>]*>([^<]+)</a>', response.text)


def test_lossie_sorts_groups_nearest_first_and_says_how_far(client, towns):
    group_at("Forres Natter", FORRES, town="Forres")
    group_at("Lossie Bumps", LOSSIEMOUTH, town="Lossiemouth")
    group_at("Elgin Cuppa", ELGIN)
    response = client.get("/?near=lossie")
    assert card_names(response) == ["Lossie Bumps", "Elgin Cuppa", "Forres Natter"]
    assert "Less than a mile away" in response.text
    assert "About 5 miles away" in response.text  # Lossiemouth to Elgin, 4.8 miles
    assert "About 15 miles away" in response.text  # to Forres, 14.6 miles
    assert "as the crow flies" in response.text
    assert "Nearest to <strong>Lossiemouth</strong>" in response.text


def test_online_and_phone_groups_come_after_and_have_no_distance(client, towns):
    online_group(name="Video Chat")
    group_at("Forres Natter", FORRES, town="Forres")
    response = client.get("/?near=Elgin")
    assert card_names(response) == ["Forres Natter", "Video Chat"]
    video_card = response.text.split("Video Chat")[1].split("</article>")[0]
    assert "away" not in video_card


def test_within_narrows_to_groups_that_close(client, towns):
    group_at("Forres Natter", FORRES, town="Forres")
    group_at("Elgin Cuppa", ELGIN)
    online_group(name="Video Chat")
    response = client.get("/?near=Lossiemouth&within=10")
    assert card_names(response) == ["Elgin Cuppa", "Video Chat"]
    chosen = 'aria-current="true"><span class="visually-hidden">Within </span>10 miles'
    assert chosen in response.text


def test_a_venue_without_a_map_point_counts_at_its_towns_place(client, towns):
    venue = VenueFactory(town="Forres", latitude=None, longitude=None)
    group_with_schedule(name="Forres Natter", schedule_kwargs={"venue": venue})
    group_at("Elgin Cuppa", ELGIN)
    response = client.get("/?near=Kinloss")
    assert card_names(response) == ["Forres Natter", "Elgin Cuppa"]
    assert "About 3 miles away" in response.text  # Kinloss to Forres, 2.6 miles


def test_a_place_a_moderator_added_and_its_alias_are_found(client, towns):
    place = Place.objects.create(
        name="New Elgin", kind=Place.Kind.VILLAGE, latitude="57.63", longitude="-3.30",
        source="Test",
    )  # fmt: skip
    PlaceAlias.objects.create(name="Newelgin", place=place)
    group_at("Elgin Cuppa", ELGIN)
    assert "Nearest to <strong>New Elgin</strong>" in client.get("/?near=NEWELGIN").text


def test_postcodes_sectors_and_districts_are_found_and_an_unknown_one_falls_back(client):
    for name, kind, lat, lon in [
        ("IV30 1AB", Place.Kind.POSTCODE, "57.64", "-3.31"),
        ("IV30 1", Place.Kind.SECTOR, "57.645", "-3.315"),
        ("IV30", Place.Kind.DISTRICT, "57.65", "-3.32"),
    ]:
        Place.objects.create(name=name, kind=kind, latitude=lat, longitude=lon, source="ONS")
    group_at("Elgin Cuppa", ELGIN)
    assert "Nearest to <strong>IV30 1AB</strong>" in client.get("/?near=iv301ab").text
    assert "Nearest to <strong>IV30 1</strong>" in client.get("/?near=IV30 1").text
    assert "Nearest to <strong>IV30</strong>" in client.get("/?near=IV30").text
    fallback = client.get("/?near=IV30 1ZZ").text
    assert "We don’t know IV30 1ZZ, so we used IV30 1." in fallback


def test_a_venues_own_postcode_is_a_place(client):
    group_at("Elgin Cuppa", ELGIN)  # its venue's postcode is IV30 1AA
    assert "Nearest to <strong>IV30 1AA</strong>" in client.get("/?near=IV30 1AA").text


def test_without_the_postcode_import_a_district_or_sector_is_the_middle_of_its_venues(client):
    group_at("Elgin Cuppa", ELGIN)  # its venue's postcode is IV30 1AA
    VenueFactory(postcode="IV36 3BN", latitude=FORRES[0], longitude=FORRES[1])
    lossie = VenueFactory(
        town="Lossiemouth", postcode="IV31 6JW", latitude=LOSSIEMOUTH[0], longitude=LOSSIEMOUTH[1]
    )
    group_with_schedule(name="Lossie Bumps", schedule_kwargs={"venue": lossie})
    for typed in ("IV30", "iv30 1"):
        response = client.get(f"/?near={typed}")
        assert "couldn’t find" not in response.text
        assert card_names(response) == ["Elgin Cuppa", "Lossie Bumps"]
    # A district is the whole of its first part: IV3 is not IV30 or IV36.
    assert "We couldn’t find the postcode IV3 in Moray." in client.get("/?near=IV3").text


def test_coordinates_from_use_my_location_are_rounded_and_used(client, towns):
    group_at("Lossie Bumps", LOSSIEMOUTH, town="Lossiemouth")
    group_at("Forres Natter", FORRES, town="Forres")
    response = client.get("/?near=57.7214,-3.2834")
    assert card_names(response) == ["Lossie Bumps", "Forres Natter"]
    assert "Nearest to <strong>your location</strong>" in response.text


def test_an_unknown_place_suggests_the_nearest_spelling_and_still_lists_groups(client, towns):
    group_at("Elgin Cuppa", ELGIN)
    response = client.get("/?near=Rothe")
    assert response.status_code == 200
    assert "We couldn’t find “Rothe” in Moray." in response.text
    assert re.search(r'Did you mean <a href="\?near=Rothes#results">Rothes</a>', response.text)
    assert card_names(response) == ["Elgin Cuppa"]


@pytest.mark.parametrize("typed", ["ZZ99 9ZZ", "IV99", "91,500", "x" * 300, "\x00Elgin"])
def test_bad_postcodes_and_odd_input_give_a_message_never_an_error(client, towns, typed):
    group_at("Elgin Cuppa", ELGIN)
    response = client.get("/", {"near": typed})
    assert response.status_code == 200
    assert card_names(response) == ["Elgin Cuppa"]


def test_a_search_near_a_place_costs_few_queries(client, towns, django_assert_max_num_queries):
    for n in range(30):
        group_at(f"Group {n}", ELGIN if n % 2 else FORRES)
    client.get("/?near=Lossie")  # warm the facet cache
    # The place, the groups with their venues, next dates and topics, and the counts beside
    # the filters (one more for each filter chosen): within the bench's budget of 8.
    with django_assert_max_num_queries(8):
        response = client.get("/?near=Lossie&topic=anxiety")
    with django_assert_max_num_queries(8):
        response = client.get("/?near=Lossie")
    assert len(card_names(response)) == 20


def test_a_distance_we_dont_offer_is_ignored_and_the_place_kept(client, towns):
    group_at("Forres Natter", FORRES, town="Forres")
    group_at("Elgin Cuppa", ELGIN)
    response = client.get("/?near=Lossie&within=7")
    assert card_names(response) == ["Elgin Cuppa", "Forres Natter"]


def test_the_next_page_keeps_the_order_by_distance(client, towns):
    for n in range(22):
        group_at(f"Forres {n:02}", FORRES, town="Forres")
    group_at("Elgin Cuppa", ELGIN)
    first, second = client.get("/?near=Lossie"), client.get("/?near=Lossie&page=2")
    assert card_names(first)[0] == "Elgin Cuppa"
    assert len(card_names(second)) == 3
    assert "near=Lossie&amp;page=2" in first.text


def test_hidden_and_control_characters_in_a_place_are_dropped_before_use(client, towns):
    group_at("Lossie Bumps", LOSSIEMOUTH, town="Lossiemouth")
    response = client.get("/?near=Los\u202esie\x1b")
    assert "Nearest to <strong>Lossiemouth</strong>" in response.text
    assert "\u202e" not in response.text and "\x1b" not in response.text
