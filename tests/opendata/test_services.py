import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from directory.models import Group, Schedule
from opendata.identifiers import derived_id
from tests.factories import AudienceFactory, GroupFactory, OrganisationFactory, ScheduleFactory
from tests.opendata.conftest import days_from_today, get_json

pytestmark = pytest.mark.django_db


def names(response):
    return [service["name"] for service in response.data["contents"]]


def test_the_list_validates_against_the_standard(client, directory, schema_errors):
    response = get_json(client, "/services")
    assert response.status_code == 200
    assert schema_errors(response.data, "service_list.json") == []


def test_the_full_list_validates_against_the_standard(client, directory, schema_errors):
    response = get_json(client, "/services", full="true")
    assert schema_errors(response.data, "service_list.json") == []
    for service in response.data["contents"]:
        assert schema_errors(service, "service.json") == []
    assert {"schedules", "attributes"} <= set(response.data["contents"][0])


def test_each_service_validates_against_the_standard(client, directory, schema_errors):
    for group in (directory["cuppa"], directory["walk"]):
        response = get_json(client, f"/services/{group.uuid}")
        assert response.status_code == 200
        assert schema_errors(response.data, "service.json") == []


def test_nested_records_validate_against_their_own_schemas(client, directory, schema_errors):
    service = get_json(client, f"/services/{directory['cuppa'].uuid}").data
    for contact in service["contacts"]:
        assert schema_errors(contact, "contact.json") == []
        for phone in contact["phones"]:
            assert schema_errors(phone, "phone.json") == []
    for schedule in service["schedules"]:
        assert schema_errors(schedule, "schedule.json") == []
    for link in service["service_at_locations"]:
        assert schema_errors(link["location"], "location.json") == []


def test_it_lists_only_published_groups_of_approved_organisations(client, directory):
    response = get_json(client, "/services")
    assert names(response) == ["Buggy Walk", "Cuppa and Chat"]
    paused = directory["walk"]
    paused.status = Group.Status.PAUSED
    paused.save()
    assert names(get_json(client, "/services")) == ["Cuppa and Chat"]


def test_an_unlisted_group_is_not_found(client, directory):
    draft = Group.objects.get(name="Draft Group")
    response = get_json(client, f"/services/{draft.uuid}")
    assert response.status_code == 404
    assert response.data["status"] == 404


def test_a_service_carries_the_groups_details(client, directory):
    cuppa = directory["cuppa"]
    service = get_json(client, f"/services/{cuppa.uuid}").data
    assert service["id"] == str(cuppa.uuid)
    assert service["organization_id"] == str(directory["hub"].uuid)
    assert service["organization"]["organization_identifiers"][0]["identifier_scheme"] == "GB-SC"
    assert service["url"] == "https://hub.example.org/cuppa"
    assert service["email"] == "ann@hub.example.org"
    assert service["status"] == "active"
    assert service["assured_date"] == cuppa.last_confirmed.isoformat()
    assert service["description"].startswith("A relaxed drop-in.\n\nTea and a chat.")
    assert "You don't have to talk." in service["description"]
    assert service["contacts"][0]["name"] == "Ann"
    assert service["contacts"][0]["phones"][0]["number"] == "01343 123456"
    assert service["cost_options"][0]["amount"] == 2.0
    assert service["cost_options"][0]["amount_description"] == "£2 a session"


def test_empty_optional_fields_are_left_out_never_null(client, directory):
    walk = directory["walk"]
    service = get_json(client, f"/services/{walk.uuid}").data
    assert "contacts" not in service
    assert "alert" not in service
    assert service["url"].endswith(walk.get_absolute_url())
    assert service["cost_options"][0]["option"] == "Free"

    def values(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from values(value)
        elif isinstance(node, list):
            for value in node:
                yield from values(value)
        yield node

    assert not [v for v in values(service) if v is None or v == "" or v == [] or v == {}]


def test_the_alert_tells_of_cancellations_and_breaks_coming_up(client, directory):
    service = get_json(client, f"/services/{directory['cuppa'].uuid}").data
    cancelled = days_from_today(7)
    assert (
        f"No group on {cancelled:%A} {cancelled.day} {cancelled:%B %Y} (Hall closed)."
        in (service["alert"])
    )
    assert "No group from" in service["alert"]


@pytest.fixture
def wednesday_13_january_2027():
    """A fixed day for the directory fixture, whose break (days 10 to 20 from it) ends the
    weekly and fortnightly records with a date to come before it."""
    moment = datetime.datetime(2027, 1, 13, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        yield


def test_schedules_map_each_recurrence_onto_the_standard(
    client, wednesday_13_january_2027, directory
):
    cuppa = directory["cuppa"]
    service = get_json(client, f"/services/{cuppa.uuid}").data
    by_id = {schedule["id"]: schedule for schedule in service["schedules"]}
    by_day = {schedule["byday"]: schedule for schedule in service["schedules"]}
    weekly, fortnightly, first_tuesday, last_friday, ended = cuppa.schedules.order_by("pk")
    assert ended.uuid.hex not in {s.replace("-", "") for s in by_id}

    assert by_id[str(weekly.uuid)]["freq"] == "WEEKLY"
    assert by_id[str(weekly.uuid)]["interval"] == 1
    assert (
        by_id[str(weekly.uuid)]["byday"]
        == ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[weekly.weekday]
    )
    assert by_id[str(weekly.uuid)]["opens_at"] == "10:00:00"
    assert by_id[str(weekly.uuid)]["closes_at"] == "11:30:00"
    assert by_id[str(weekly.uuid)]["attending_type"] == "in person"
    assert by_id[str(weekly.uuid)]["schedule_link"] == "https://hub.example.org/book"

    two_weekly = by_id[str(fortnightly.uuid)]
    assert (two_weekly["freq"], two_weekly["interval"]) == ("WEEKLY", 2)
    assert two_weekly["dtstart"] == fortnightly.starts_on.isoformat()
    # The break from day 10 to day 20 ends it; after the break it runs on to its own end.
    assert two_weekly["valid_to"] == two_weekly["until"] == days_from_today(9).isoformat()
    after_break = [s for s in by_id.values() if s["valid_from"] == days_from_today(21).isoformat()]
    assert fortnightly.ends_on.isoformat() in {s.get("valid_to") for s in after_break}

    # The first Tuesday and last Friday of January fall in the break: their records start
    # after it.
    assert by_day["1TU"]["freq"] == "MONTHLY"
    assert by_day["1TU"]["dtstart"] == "2027-03-02"
    assert by_day["1TU"]["id"] == derived_id("schedule", first_tuesday.uuid, "from", "2027-02-03")
    online = by_day["-1FR"]
    assert online["dtstart"] == "2027-02-26"
    assert str(last_friday.uuid) not in by_id
    assert online["attending_type"] == "online or phone"
    assert "service_at_location_id" in online
    assert "No group from" in by_id[str(weekly.uuid)]["notes"]


def test_a_schedules_dtstart_is_its_first_meeting_not_its_start_date(client, db):
    sunday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 1)
    schedule = ScheduleFactory(
        starts_on=sunday, weekday=Schedule.Weekday.WEDNESDAY, frequency="fortnightly"
    )
    service = get_json(client, f"/services/{schedule.group.uuid}").data
    assert service["schedules"][0]["dtstart"] == (sunday + datetime.timedelta(days=3)).isoformat()
    assert service["schedules"][0]["valid_from"] == sunday.isoformat()


def test_extra_dates_are_one_off_schedules(client, directory):
    service = get_json(client, f"/services/{directory['cuppa'].uuid}").data
    day = days_from_today(5).isoformat()
    # Found by what it is: a regular series can start the same day and run until a break
    # (on 31 December, the first Tuesday of January runs until the pause on the 10th).
    [one_off] = [
        s
        for s in service["schedules"]
        if s["dtstart"] == day and s.get("description", "").startswith("One extra date")
    ]
    assert one_off["until"] == one_off["valid_from"] == one_off["valid_to"] == day
    assert one_off["freq"] == "WEEKLY"
    assert one_off["notes"] == "Bring a friend"


def test_service_at_locations_cover_each_venue_and_the_online_meetings(client, directory):
    service = get_json(client, f"/services/{directory['cuppa'].uuid}").data
    locations = [link["location"] for link in service["service_at_locations"]]
    assert [location["name"] for location in locations] == [
        "Town Hall",
        "Library",
        "Online, or by phone or text",
    ]
    town_hall = locations[0]
    assert town_hall["latitude"] == 57.649
    assert town_hall["addresses"][0]["postal_code"] == "IV30 1AA"
    assert town_hall["addresses"][0]["country"] == "GB"
    assert "Step-free access" in {a["description"] for a in town_hall["accessibility"]}
    assert locations[2]["location_type"] == "virtual"
    schedule_links = {s["service_at_location_id"] for s in service["schedules"]}
    assert schedule_links == {link["id"] for link in service["service_at_locations"]}


def test_attributes_link_the_groups_taxonomy_terms(client, directory):
    service = get_json(client, f"/services/{directory['cuppa'].uuid}").data
    terms = {a["taxonomy_term"]["name"] for a in service["attributes"]}
    assert {"Anxiety", "Feeding", "New baby (0-12 months)", "Elgin", "Forres"} <= terms
    assert {"Online and phone", "Online", "Phone or text", "Creche", "Peer-led"} <= terms
    assert {"Step-free access", "Parking"} <= terms
    assert "Free" not in terms
    anxiety = next(a for a in service["attributes"] if a["taxonomy_term"]["name"] == "Anxiety")
    assert anxiety["taxonomy_term"]["description"] == "Worry that won't stop"
    assert anxiety["taxonomy_term"]["term_uri"].endswith("/?topic=anxiety")


def test_ids_are_stable_between_requests(client, directory):
    path = f"/services/{directory['cuppa'].uuid}"
    assert get_json(client, path).data == get_json(client, path).data
    service = get_json(client, path).data
    assert service["contacts"][0]["id"] == derived_id("contact", directory["cuppa"].uuid)


def test_last_modified_follows_changes_to_what_is_shown(client, directory):
    cuppa = directory["cuppa"]

    def last_modified():
        return get_json(client, f"/services/{cuppa.uuid}").data["last_modified"]

    before = last_modified()
    assert before.endswith("Z") and len(before) == len("2025-01-01T10:00:00.000Z")
    directory["library"].save()
    after_venue = last_modified()
    assert after_venue > before
    cuppa.schedules.filter(venue=None).delete()
    assert last_modified() > after_venue


# --- Paging -----------------------------------------------------------------------------


def test_pages_follow_the_standards_shape(client, db):
    for n in range(5):
        GroupFactory(name=f"Group {n}")
    first = get_json(client, "/services", per_page=2).data
    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    last = get_json(client, "/services", per_page=2, page=3).data
    assert (last["size"], last["first_page"], last["last_page"]) == (1, False, True)
    assert names(get_json(client, "/services", per_page=2, page=2)) == ["Group 2", "Group 3"]
    beyond = get_json(client, "/services", per_page=2, page=9).data
    assert beyond["empty"] is True and beyond["contents"] == []


def test_an_empty_directory_gives_an_empty_page(client, db):
    page = get_json(client, "/services").data
    assert page["total_items"] == 0
    assert page["empty"] is True
    assert page["contents"] == []


def test_the_list_accepts_a_trailing_slash(client, directory):
    assert client.get("/api/openreferral/services/").status_code == 200


@pytest.mark.parametrize("filled", [2, 20])
def test_the_list_makes_the_same_few_queries_however_full_the_page(
    client, db, django_assert_max_num_queries, filled
):
    for n in range(filled):
        group = GroupFactory(name=f"Group {n:02d}")
        ScheduleFactory(group=group)
        ScheduleFactory(group=group, venue=None)
    with django_assert_max_num_queries(12):
        response = get_json(client, "/services", full="true", per_page=filled)
    assert len(response.data["contents"]) == filled


# --- Filters ----------------------------------------------------------------------------


def test_search_matches_names_and_descriptions(client, directory):
    assert names(get_json(client, "/services", search="buggy")) == ["Buggy Walk"]
    assert names(get_json(client, "/services", search="tea and a chat")) == ["Cuppa and Chat"]


def test_organization_id_narrows_to_one_organisation(client, directory):
    other = GroupFactory(organisation=OrganisationFactory(name="Other"), name="Other Group")
    assert names(get_json(client, "/services", organization_id=str(other.organisation.uuid))) == [
        "Other Group"
    ]
    hub = get_json(client, "/services", organization_id=str(directory["hub"].uuid))
    assert names(hub) == ["Buggy Walk", "Cuppa and Chat"]


def test_taxonomy_term_id_finds_the_groups_with_that_term(client, directory):
    anxiety = derived_id("taxonomy_term", "topics", "anxiety")
    assert names(get_json(client, "/services", taxonomy_term_id=anxiety)) == ["Cuppa and Chat"]
    free = derived_id("taxonomy_term", "practicalities", "free")
    assert names(get_json(client, "/services", taxonomy_term_id=free)) == ["Buggy Walk"]
    either = f"{anxiety},{free}"
    assert len(names(get_json(client, "/services", taxonomy_term_id=either))) == 2
    unknown = derived_id("taxonomy_term", "topics", "no-such-topic")
    assert names(get_json(client, "/services", taxonomy_term_id=unknown)) == []


def test_taxonomy_id_finds_groups_with_any_term_of_it(client, directory):
    topics = derived_id("taxonomy", "topics")
    assert names(get_json(client, "/services", taxonomy_id=topics)) == ["Cuppa and Chat"]
    formats = derived_id("taxonomy", "formats")
    assert len(names(get_json(client, "/services", taxonomy_id=formats))) == 2
    unknown = derived_id("taxonomy", "nothing")
    assert names(get_json(client, "/services", taxonomy_id=unknown)) == []


def test_modified_after_finds_recent_changes(client, directory):
    walk = directory["walk"]
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Group.objects.filter(pk=walk.pk).update(updated=long_ago)
    Group.history.filter(id=walk.pk).update(history_date=long_ago)
    Schedule.history.filter(group_id=walk.pk).update(history_date=long_ago)
    type(directory["cafe"]).objects.filter(pk=directory["cafe"].pk).update(updated=long_ago)
    type(directory["hub"]).objects.filter(pk=directory["hub"].pk).update(updated=long_ago)
    recent = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert names(get_json(client, "/services", modified_after=recent)) == ["Cuppa and Chat"]
    a_year_ago = (timezone.localdate() - datetime.timedelta(days=500)).isoformat()
    assert len(names(get_json(client, "/services", modified_after=a_year_ago))) == 2


# --- Bad requests -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "two"},
        {"page": "99999999999999999999999"},
        {"per_page": "-1"},
        {"per_page": "0"},
        {"per_page": "101"},
        {"per_page": "1e3"},
        {"organization_id": "not-a-uuid"},
        {"taxonomy_term_id": "123"},
        {"taxonomy_id": "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"},
        {"modified_after": "yesterday"},
        {"modified_after": "2025-13-45"},
        {"modified_after": "0001-01-01T00:00:00+05:00"},
        {"search": "tea\x00"},
        {"search": "x" * 201},
        {"full": "perhaps"},
        {"format": "ndjson"},
    ],
)
def test_bad_parameters_get_a_400_with_a_json_body(client, directory, params):
    response = get_json(client, "/services", **params)
    assert response.status_code == 400
    assert response.data["status"] == 400
    assert response.data["error"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_malformed_id_is_a_bad_request(client, db):
    response = get_json(client, "/services/not-a-uuid")
    assert response.status_code == 400
    assert response.data["parameter"] == "id"


def test_an_unknown_id_is_not_found(client, db):
    response = get_json(client, "/services/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_modified_after_takes_an_offset_whose_plus_was_not_encoded(client, directory):
    response = client.get("/api/openreferral/services?modified_after=2020-01-01T00:00:00+01:00")
    assert response.status_code == 200
    assert response.json()["total_items"] == 2


def test_minimal_gives_each_service_its_id_and_last_change(client, directory, schema_errors):
    response = get_json(client, "/services", minimal="true")
    assert schema_errors(response.data, "service_list.json") == []
    assert all(
        set(service) == {"id", "name", "status", "last_modified"}
        for service in response.data["contents"]
    )
    assert len(response.data["contents"]) == get_json(client, "/services").data["total_items"]


@pytest.mark.parametrize("value", ["-1", "", "maybe"])
def test_minimal_must_be_true_or_false(client, directory, value):
    assert get_json(client, "/services", minimal=value).status_code == 400


def test_attributes_name_the_linked_record_in_orks_own_field(client, directory):
    service = get_json(client, f"/services/{directory['cuppa'].uuid}").data
    assert {attribute["link_type"] for attribute in service["attributes"]} == {"service"}


@pytest.mark.parametrize("query", [{"page": ""}, {"per_page": ""}, {"full": ""}])
def test_an_empty_parameter_is_a_bad_request(client, directory, query):
    assert get_json(client, "/services", **query).status_code == 400


def test_the_number_to_call_is_on_the_service_itself_as_well_as_its_contact(client, directory):
    service = get_json(client, f"/services/{directory['cuppa'].uuid}").data
    (phone,) = service["phones"]
    assert phone == {
        "id": derived_id("phone", directory["cuppa"].uuid, "service"),
        "service_id": str(directory["cuppa"].uuid),
        "number": "01343 123456",
    }
    assert [p["number"] for p in service["contacts"][0]["phones"]] == ["01343 123456"]
    assert phone["id"] != service["contacts"][0]["phones"][0]["id"]


def test_a_group_without_its_own_number_gives_its_organisations(client, db, schema_errors):
    organisation = OrganisationFactory(name="Moray Mums", phone="01542 000111")
    group = GroupFactory(organisation=organisation, contact_phone="")
    ScheduleFactory(group=group)
    service = get_json(client, f"/services/{group.uuid}").data
    assert service["phones"] == [
        {
            "id": derived_id("phone", group.uuid, "service"),
            "service_id": str(group.uuid),
            "number": "01542 000111",
            "description": "Moray Mums, who run the group",
        }
    ]
    assert "contacts" not in service
    assert schema_errors(service["phones"][0], "phone.json") == []


def test_a_group_with_no_number_anywhere_has_no_phones(client, db):
    group = GroupFactory(contact_phone="", organisation=OrganisationFactory(phone=""))
    ScheduleFactory(group=group)
    assert "phones" not in get_json(client, f"/services/{group.uuid}").data


def test_who_a_group_is_for_and_whether_babies_come_along_are_its_eligibility(client, directory):
    cuppa = get_json(client, f"/services/{directory['cuppa'].uuid}").data
    assert cuppa["eligibility_description"] == (
        "For: New baby (0-12 months). Babies and children come along."
    )
    grown_ups = GroupFactory(children_welcome=False, in_person=True)
    ScheduleFactory(group=grown_ups)
    service = get_json(client, f"/services/{grown_ups.uuid}").data
    assert service["eligibility_description"] == "For grown-ups: please arrange childcare."
    online_only = GroupFactory(in_person=False, online=True)
    ScheduleFactory(group=online_only, venue=None)
    assert "eligibility_description" not in get_json(client, f"/services/{online_only.uuid}").data


@pytest.mark.parametrize(
    ("audiences", "maximum_age"),
    [
        (["young-parents"], 25),
        # Shown to everyone looking for a pregnancy group, whatever their age.
        (["young-parents", "pregnancy"], None),
        (["young-parents", "any-parent"], None),
        (["new-baby", "toddler"], None),
        ([], None),
    ],
)
def test_only_a_group_for_young_parents_has_a_maximum_age(client, db, audiences, maximum_age):
    group = GroupFactory()
    group.audiences.set([AudienceFactory(slug=slug, name=slug) for slug in audiences])
    ScheduleFactory(group=group)
    service = get_json(client, f"/services/{group.uuid}").data
    assert service.get("maximum_age") == maximum_age
    assert "minimum_age" not in service
    listed = get_json(client, "/services").data["contents"]
    assert [s.get("maximum_age") for s in listed] == [maximum_age]


def test_no_languages_are_given_since_the_directory_does_not_record_them(client, directory):
    service = get_json(client, f"/services/{directory['cuppa'].uuid}").data
    assert "languages" not in service
