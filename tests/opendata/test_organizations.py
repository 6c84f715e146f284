import pytest

from accounts.models import Organisation
from opendata.identifiers import derived_id
from tests.factories import OrganisationFactory
from tests.opendata.conftest import get_json

pytestmark = pytest.mark.django_db


def test_the_list_validates_against_the_standard(client, directory, schema_errors):
    response = get_json(client, "/organizations")
    assert response.status_code == 200
    assert schema_errors(response.data, "organization_list.json") == []


def test_it_lists_approved_organisations_even_with_no_groups(client, directory):
    OrganisationFactory(name="Declined Org", status=Organisation.Status.DECLINED)
    names = [o["name"] for o in get_json(client, "/organizations").data["contents"]]
    assert names == ["Moray Wellbeing Hub", "Quiet Charity"]


def test_an_organisation_validates_and_lists_its_services(client, directory, schema_errors):
    hub = directory["hub"]
    response = get_json(client, f"/organizations/{hub.uuid}")
    assert response.status_code == 200
    assert schema_errors(response.data, "organization.json") == []
    assert [s["name"] for s in response.data["services"]] == ["Buggy Walk", "Cuppa and Chat"]
    assert response.data["organization_identifiers"][0]["identifier"] == "SC012345"
    for service in response.data["services"]:
        assert schema_errors(service, "service.json") == []
        assert "schedules" not in service


def test_full_service_nests_each_service_in_full(client, directory, schema_errors):
    hub = directory["hub"]
    response = get_json(client, f"/organizations/{hub.uuid}", full_service="true")
    for service in response.data["services"]:
        assert "schedules" in service
        assert schema_errors(service, "service.json") == []


def test_a_description_is_always_given(client, directory):
    quiet = get_json(client, f"/organizations/{directory['quiet'].uuid}").data
    assert quiet["description"] == "Quiet Charity"
    assert "services" not in quiet


def test_search_narrows_the_list(client, directory):
    found = get_json(client, "/organizations", search="wellbeing").data["contents"]
    assert [o["name"] for o in found] == ["Moray Wellbeing Hub"]


def test_unapproved_organisations_are_not_found(client, directory):
    waiting = Organisation.objects.get(name="Waiting Org")
    assert get_json(client, f"/organizations/{waiting.uuid}").status_code == 404


def test_bad_parameters_get_a_400(client, directory):
    assert get_json(client, "/organizations", per_page="1000").status_code == 400
    assert get_json(client, "/organizations/12345").status_code == 400
    hub = f"/organizations/{directory['hub'].uuid}"
    assert get_json(client, hub, full_service="x").status_code == 400


def test_an_organisation_gives_its_website_and_its_scottish_charity_number(
    client, directory, schema_errors
):
    hub = directory["hub"]
    record = get_json(client, f"/organizations/{hub.uuid}").data
    assert record["website"] == "https://hub.example.org"
    assert record["organization_identifiers"] == [
        {
            "id": derived_id("organization_identifier", hub.uuid, "charity"),
            "organization_id": str(hub.uuid),
            "identifier_scheme": "GB-SC",
            "identifier_type": "Scottish charity number",
            "identifier": "SC012345",
        }
    ]
    assert (
        schema_errors(record["organization_identifiers"][0], "organization_identifier.json") == []
    )
    listed = get_json(client, "/organizations").data["contents"]
    assert [o.get("website") for o in listed] == ["https://hub.example.org", None]


def test_a_number_saved_before_the_check_is_not_published(client, db):
    legacy = OrganisationFactory(charity_number="<b>SC1</b>", website="")
    record = get_json(client, f"/organizations/{legacy.uuid}").data
    assert "organization_identifiers" not in record
    assert "website" not in record
