"""The map is an enhancement the visitor asks for: no tile host is contacted before that."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db(transaction=True)
TILES = "https://tile.openstreetmap.org/"


@pytest.fixture
def tile_requests(page):
    """Requests to the tile host, refused at once: the test network has no way out."""
    attempted = []

    def refuse(route):
        attempted.append(route.request.url)
        route.abort()

    page.route(TILES + "**", refuse)
    return attempted


@pytest.fixture
def csp_complaints(page):
    complaints = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and complaints.append(message.text)
        ),
    )
    return complaints


def test_tiles_load_only_after_the_visitor_asks_for_the_map(
    live_server, page, tile_requests, csp_complaints
):
    group_with_schedule(name="Bumps and Babies Elgin")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Bumps and Babies Elgin", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert tile_requests == []
    assert page.third_party_requests == []

    page.go_back()
    with page.expect_request(lambda request: request.url.startswith(TILES)):
        page.get_by_role("link", name="Show these groups on a map").click()
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert all(url.startswith(TILES) for url in page.third_party_requests)
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    assert csp_complaints == []
    assert page.context.cookies() == []


def test_a_group_map_shows_its_venue(live_server, page, tile_requests, csp_complaints):
    group = group_with_schedule(name="Dads Den Forres")
    page.goto(live_server.url + group.get_absolute_url())
    assert tile_requests == []
    with page.expect_request(lambda request: request.url.startswith(TILES)):
        page.get_by_role("link", name="Show on a map").click()
    venue = group.schedules.get().venue
    page.locator(".leaflet-marker-icon").click()
    popup = page.locator(".leaflet-popup-content")
    assert venue.name in popup.inner_text()
    assert popup.get_by_role("link", name="Dads Den Forres").get_attribute("href") == (
        group.get_absolute_url()
    )
    assert csp_complaints == []


def test_without_javascript_the_map_page_lists_addresses_and_fetches_no_tiles(
    live_server, no_js_page
):
    group = group_with_schedule()
    venue = group.schedules.get().venue
    requested = []
    no_js_page.on("request", lambda request: requested.append(request.url))
    no_js_page.goto(live_server.url + "/map/")
    expect(
        no_js_page.get_by_text(f"{venue.address}, {venue.town} {venue.postcode}")
    ).to_be_visible()
    expect(no_js_page.get_by_role("link", name="Directions (opens Google Maps)")).to_be_visible()
    assert not any(url.startswith(TILES) for url in requested)


def test_the_map_page_is_accessible_with_the_map_drawn(live_server, page, tile_requests):
    group_with_schedule()
    page.goto(live_server.url + "/map/")
    page.locator(".leaflet-marker-icon").wait_for()
    assert axe_violations(page) == []


def test_markers_of_nearby_venues_stand_clear_of_each_other(live_server, page, tile_requests):
    # Six venues a few metres apart (test data), and two at the very same spot.
    spots = ["57.64900", "57.64902", "57.64905", "57.64910", "57.64910", "57.64930"]
    for n, latitude in enumerate(spots):
        group_with_schedule(
            name=f"Group {n}",
            schedule_kwargs={"venue__latitude": latitude, "venue__name": f"Hall {n}"},
        )
    page.goto(live_server.url + "/map/")
    markers = page.locator(".leaflet-marker-icon")
    expect(markers).to_have_count(6)
    boxes = [markers.nth(i).bounding_box() for i in range(6)]
    for box in boxes:
        assert box["width"] >= 24 and box["height"] >= 24
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"]
                or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"]
                or b["y"] + b["height"] <= a["y"]
            )
            assert apart, (a, b)
    assert axe_violations(page) == []
    # Each marker still opens its own venue.
    markers.nth(5).click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Hall")


def test_directions_say_they_open_google_maps(live_server, no_js_page):
    group = group_with_schedule()
    no_js_page.goto(live_server.url + group.get_absolute_url())
    link = no_js_page.get_by_role("link", name="Directions (opens Google Maps)")
    assert link.get_attribute("href").startswith("https://www.google.com/maps/")
