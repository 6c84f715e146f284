import pytest

from accounts.models import Organisation
from opendata.identifiers import derived_id, service_at_location_id
from tests.factories import ScheduleFactory, VenueFactory
from tests.opendata.conftest import get_json

pytestmark = pytest.mark.django_db


def places(response):
    return [(c["service"]["name"], c["location"]["name"]) for c in response.data["contents"]]


def test_the_list_validates_against_the_standard(client, directory, schema_errors):
    response = get_json(client, "/service_at_locations")
    assert response.status_code == 200
    assert schema_errors(response.data, "service_at_location_list.json") == []
    full = get_json(client, "/service_at_locations", full="true")
    assert schema_errors(full.data, "service_at_location_list.json") == []


def test_it_lists_each_group_at_each_place_it_meets(client, directory):
    assert places(get_json(client, "/service_at_locations")) == [
        ("Buggy Walk", "Cafe"),
        ("Cuppa and Chat", "Town Hall"),
        ("Cuppa and Chat", "Library"),
        ("Cuppa and Chat", "Online, or by phone or text"),
    ]


def test_each_one_validates_and_matches_the_service(client, directory, schema_errors):
    cuppa = directory["cuppa"]
    service = get_json(client, f"/services/{cuppa.uuid}").data
    for link in service["service_at_locations"]:
        response = get_json(client, f"/service_at_locations/{link['id']}")
        assert response.status_code == 200
        assert schema_errors(response.data, "service_at_location.json") == []
        assert response.data["location"] == link["location"]
        assert response.data["service"]["id"] == str(cuppa.uuid)


def test_a_venue_without_a_map_position_has_no_coordinates(client, directory):
    link = service_at_location_id(directory["walk"].uuid, directory["cafe"].uuid)
    location = get_json(client, f"/service_at_locations/{link}").data["location"]
    assert "latitude" not in location
    assert location["addresses"][0]["postal_code"] == "IV30 1XY"


def test_postcode_finds_places_in_that_postcode_sector_or_district(client, directory):
    def at(postcode):
        return places(get_json(client, "/service_at_locations", postcode=postcode))

    assert at("IV30 1AA") == [("Cuppa and Chat", "Town Hall")]
    assert at("iv301aa") == [("Cuppa and Chat", "Town Hall")]
    assert at("IV30 1") == [("Buggy Walk", "Cafe"), ("Cuppa and Chat", "Town Hall")]
    assert at("IV36") == [("Cuppa and Chat", "Library")]
    assert at("IV3") == []


def test_proximity_finds_places_near_a_postcode_nearest_first(client, directory):
    # Town Hall is at the centre of IV30 1AA; the Library in Forres is about 18 km away.
    near = get_json(client, "/service_at_locations", postcode="IV30 1AA", proximity="5000")
    assert places(near) == [("Cuppa and Chat", "Town Hall")]
    wide = get_json(client, "/service_at_locations", postcode="IV30 1AA", proximity="30000")
    assert places(wide) == [("Cuppa and Chat", "Town Hall"), ("Cuppa and Chat", "Library")]
    from_forres = get_json(client, "/service_at_locations", postcode="IV36", proximity="30000")
    assert places(from_forres)[0] == ("Cuppa and Chat", "Library")


def test_a_postcode_is_placed_by_its_sector_or_district_when_needed(client, directory):
    # No venue has IV30 1ZZ, but the sector IV30 1 has the Town Hall (the Cafe has no position).
    response = get_json(client, "/service_at_locations", postcode="IV30 1ZZ", proximity="100")
    assert places(response) == [("Cuppa and Chat", "Town Hall")]


def test_other_organisations_venues_do_not_place_a_postcode_unless_approved(client, directory):
    waiting = Organisation.objects.get(name="Waiting Org")
    VenueFactory(organisation=waiting, postcode="AB56 1AA", latitude="57.67", longitude="-2.96")
    response = get_json(client, "/service_at_locations", postcode="AB56", proximity="1000")
    assert response.status_code == 400
    assert response.data["parameter"] == "postcode"


def test_the_services_filters_apply_too(client, directory):
    anxiety = derived_id("taxonomy_term", "topics", "anxiety")
    response = get_json(client, "/service_at_locations", taxonomy_term_id=anxiety)
    assert {name for name, _ in places(response)} == {"Cuppa and Chat"}
    response = get_json(client, "/service_at_locations", search="buggy")
    assert places(response) == [("Buggy Walk", "Cafe")]
    elgin = derived_id("taxonomy_term", "areas", "elgin")
    response = get_json(client, "/service_at_locations", taxonomy_term_id=elgin)
    assert {name for name, _ in places(response)} == {"Buggy Walk", "Cuppa and Chat"}


def test_pages_of_places(client, directory):
    page = get_json(client, "/service_at_locations", per_page=3, page=2).data
    assert (page["total_items"], page["total_pages"], page["size"]) == (4, 2, 1)
    assert page["last_page"] is True


@pytest.mark.parametrize("filled", [2, 20])
def test_the_list_makes_the_same_few_queries_however_full_the_page(
    client, db, django_assert_max_num_queries, filled
):
    for _ in range(filled):
        ScheduleFactory()
    with django_assert_max_num_queries(14):
        response = get_json(client, "/service_at_locations", per_page=filled, full="true")
    assert len(response.data["contents"]) == filled


@pytest.mark.parametrize(
    "params",
    [
        {"proximity": "1000"},
        {"postcode": "not a postcode"},
        {"postcode": "IV30 1AA", "proximity": "-5"},
        {"postcode": "IV30 1AA", "proximity": "0"},
        {"postcode": "IV30 1AA", "proximity": "9" * 40},
        {"postcode": "IV30 1AA", "proximity": "nan"},
        {"postcode": "ZZ99 9ZZ", "proximity": "1000"},
        {"postcode": "IV30\x00"},
    ],
)
def test_bad_places_get_a_400(client, directory, params):
    response = get_json(client, "/service_at_locations", **params)
    assert response.status_code == 400
    assert response.data["error"]


def test_unknown_ids_are_not_found(client, directory):
    unknown = service_at_location_id(directory["cuppa"].uuid, directory["cafe"].uuid)
    assert get_json(client, f"/service_at_locations/{unknown}").status_code == 404
    assert get_json(client, "/service_at_locations/nope").status_code == 400


def test_a_place_agreed_with_each_person_has_a_description_and_no_address(
    client, directory, schema_errors
):
    directory["cafe"].__dict__.update(
        agreed_place=True,
        address="",
        postcode="",
        latitude=None,
        longitude=None,
        directions="We'll agree somewhere that suits you.",
    )
    directory["cafe"].save()
    link = service_at_location_id(directory["walk"].uuid, directory["cafe"].uuid)
    response = get_json(client, f"/service_at_locations/{link}")
    assert schema_errors(response.data, "service_at_location.json") == []
    location = response.data["location"]
    assert "addresses" not in location
    assert location["description"].startswith("No fixed address")
    assert "We'll agree somewhere that suits you." in location["description"]
    service = get_json(client, f"/services/{directory['walk'].uuid}").data
    assert [area["name"] for area in service["service_areas"]] == ["Elgin"]
    assert schema_errors(service, "service.json") == []
