import pytest

from tests.opendata.conftest import get_json

pytestmark = pytest.mark.django_db


def test_the_root_describes_the_feed(client, schema_errors, settings):
    settings.SITE_URL = "https://peer.example.org"
    response = get_json(client, "/")
    assert response.status_code == 200
    assert response.data == {
        "version": "HSDS-UK-3.0",
        "profile": "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md",
        "openapi_url": "https://peer.example.org/api/openreferral/openapi.json",
    }
    assert schema_errors(response.data, "api_details.json") == []


def test_every_response_may_be_read_from_any_origin(client):
    for path in ("/", "/services", "/nothing-here", "/services?page=0"):
        assert get_json(client, path)["Access-Control-Allow-Origin"] == "*"


def test_the_feed_sets_no_cookie(client, directory):
    response = get_json(client, "/services")
    assert response.cookies == {}


def test_the_openapi_document_describes_this_feed(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    document = get_json(client, "/openapi.json").data
    assert document["servers"] == [{"url": "https://peer.example.org/api/openreferral"}]
    assert document["info"]["version"] == "HSDS-UK-3.0"
    assert document["info"]["license"]["name"] == "Open Government Licence v3.0"
    assert {"/", "/services", "/services/{id}", "/service_at_locations"} <= set(document["paths"])


def test_a_preflight_request_is_answered(client):
    response = client.options("/api/openreferral/services", HTTP_ORIGIN="https://other.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_the_feed_only_reads(client, directory):
    response = client.post("/api/openreferral/services", {})
    assert response.status_code == 405
    assert response.json()["status"] == 405
    assert "GET" in response["Allow"]


def test_unknown_paths_get_a_json_404(client):
    response = get_json(client, "/vocabularies")
    assert response.status_code == 404
    assert response.data["status"] == 404
