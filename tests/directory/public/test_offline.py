import json

import pytest

pytestmark = pytest.mark.django_db


def test_the_manifest_makes_the_site_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/"
    assert data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}


def test_every_page_links_the_manifest(client):
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/").text


def test_the_worker_is_served_from_the_root_fresh_each_time(client):
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    text = response.text
    assert '["/offline/", "/help/", "/static/css/site.css"' in text
    assert "groups: 10" in text
    assert "cookie" not in text.lower()


def test_the_worker_is_registered_only_after_the_page_has_loaded(client):
    site_js = client.get("/static/js/site.js")
    text = b"".join(site_js.streaming_content).decode() if site_js.streaming else site_js.text
    on_load = 'window.addEventListener("load", function () {\n'
    assert on_load + '    navigator.serviceWorker.register("/sw.js")' in text


def test_the_offline_page_has_the_help_numbers_and_sets_no_cookie(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "No connection just now" in response.text
    assert '<a href="tel:116123">116 123</a>' in response.text
    assert '<meta name="robots" content="noindex">' in response.text
    assert response.cookies == {}
