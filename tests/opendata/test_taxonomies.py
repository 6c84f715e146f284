import pytest

from opendata.identifiers import derived_id
from tests.opendata.conftest import get_json

pytestmark = pytest.mark.django_db

TOPICS = derived_id("taxonomy", "topics")
ANXIETY = derived_id("taxonomy_term", "topics", "anxiety")


def test_the_list_validates_against_the_standard(client, directory, schema_errors):
    response = get_json(client, "/taxonomies")
    assert response.status_code == 200
    assert schema_errors(response.data, "taxonomy_list.json") == []
    assert [t["name"] for t in response.data["contents"]] == [
        "What it can help with",
        "Who it's for",
        "Area of Moray",
        "How it runs",
        "Practical things",
    ]


def test_a_taxonomy_validates_and_holds_its_terms(client, directory, schema_errors):
    response = get_json(client, f"/taxonomies/{TOPICS}")
    assert schema_errors(response.data, "taxonomy.json") == []
    assert [t["name"] for t in response.data["taxonomy_terms"]] == ["Anxiety", "Feeding"]
    assert response.data["uri"].endswith("/open-data/#topics")


def test_formats_and_practicalities_are_published_as_terms(client, directory):
    formats = get_json(client, f"/taxonomies/{derived_id('taxonomy', 'formats')}").data
    assert "Drop in, no need to book" in [t["name"] for t in formats["taxonomy_terms"]]
    practical = get_json(client, f"/taxonomies/{derived_id('taxonomy', 'practicalities')}").data
    assert "Step-free access" in [t["name"] for t in practical["taxonomy_terms"]]


def test_the_term_list_validates_against_the_standard(client, directory, schema_errors):
    response = get_json(client, "/taxonomy_terms", per_page=100)
    assert schema_errors(response.data, "taxonomy_term_list.json") == []
    assert response.data["total_items"] == 2 + 1 + 3 + 6 + 8


def test_terms_narrow_by_taxonomy_search_and_parent(client, directory):
    def names(**params):
        return [t["name"] for t in get_json(client, "/taxonomy_terms", **params).data["contents"]]

    assert names(taxonomy_id=TOPICS) == ["Anxiety", "Feeding"]
    assert names(search="feed") == ["Feeding"]
    assert names(taxonomy_id=TOPICS, top_only="true") == ["Anxiety", "Feeding"]
    assert names(parent_id=ANXIETY) == []


def test_a_term_validates_against_the_standard(client, directory, schema_errors):
    response = get_json(client, f"/taxonomy_terms/{ANXIETY}")
    assert response.status_code == 200
    assert schema_errors(response.data, "taxonomy_term.json") == []
    assert response.data["taxonomy_id"] == TOPICS
    assert response.data["description"] == "Worry that won't stop"


def test_unknown_ids_are_not_found(client, directory):
    unknown = derived_id("taxonomy", "nothing")
    assert get_json(client, f"/taxonomies/{unknown}").status_code == 404
    assert get_json(client, f"/taxonomy_terms/{unknown}").status_code == 404


def test_bad_parameters_get_a_400(client, directory):
    assert get_json(client, "/taxonomy_terms", taxonomy_id="topics").status_code == 400
    assert get_json(client, "/taxonomy_terms", top_only="yes please").status_code == 400
    assert get_json(client, "/taxonomies", page="0").status_code == 400
    assert get_json(client, "/taxonomies/topics").status_code == 400
