import pytest

pytestmark = pytest.mark.django_db


def test_it_explains_the_feed_and_the_licence(client, directory, settings):
    settings.SITE_URL = "https://peer.example.org"
    response = client.get("/open-data/")
    assert response.status_code == 200
    text = response.text
    assert "https://peer.example.org/api/openreferral/" in text
    assert "https://peer.example.org/api/openreferral/openapi.json" in text
    assert "Open Government Licence v3.0" in text
    assert "Open Referral UK 3.0" in text
    assert "/service_at_locations" in text


def test_it_lists_the_taxonomies_each_term_links_to(client, directory):
    text = client.get("/open-data/").text
    for key in ("topics", "audiences", "areas", "formats", "practicalities"):
        assert f'id="{key}"' in text
    assert "Anxiety" in text


def test_it_sets_no_cookie(client, directory):
    assert client.get("/open-data/").cookies == {}


def test_it_only_answers_reading(client):
    assert client.post("/open-data/").status_code == 405


def test_every_page_links_to_it(client, db):
    assert 'href="/open-data/"' in client.get("/").text
