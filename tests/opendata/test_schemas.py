"""The schema checks themselves: they must catch what the standard forbids, or the tests that
rely on them prove nothing."""

import pytest


@pytest.mark.parametrize(
    "broken",
    [
        {"id": "not-a-uuid"},
        {"url": "not a web address"},
        {"last_modified": "last Tuesday"},
        {"email": "nobody"},
        {"status": "open"},
        {"name": None},
    ],
)
def test_the_validator_catches_each_kind_of_mistake(schema_errors, broken):
    service = {
        "id": "ac148810-d857-441c-9679-408f346de14b",
        "name": "Cuppa and Chat",
        "status": "active",
        "url": "https://example.org/cuppa",
        "email": "hello@example.org",
        "last_modified": "2025-03-15T10:30:45.123Z",
    }
    assert schema_errors(service, "service.json") == []
    service.update(broken)
    if service["name"] is None:
        del service["name"]
    assert schema_errors(service, "service.json") != []


def test_references_between_schemas_are_followed(schema_errors):
    service = {
        "id": "ac148810-d857-441c-9679-408f346de14b",
        "name": "Cuppa and Chat",
        "status": "active",
        "organization": {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "Hub"},
    }
    assert any("description" in error for error in schema_errors(service, "service.json"))
