"""On a phone the organiser's navigation leaves the page its room: at most a fifth of the
screen's height, for an organiser and for a moderator (who has one link more), on a 390 px
phone and on the narrowest, 320 px."""

import pytest
from playwright.sync_api import expect

from tests.accounts.organiser_world import make_world
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREEN_HEIGHT = 844  # the browser fixtures' 390 × 844 phone


@pytest.mark.parametrize("width", [390, 320])
@pytest.mark.parametrize("role", ["admin", "moderator"])
def test_the_organiser_navigation_takes_at_most_a_fifth_of_a_phone_screen(
    live_server, page, role, width
):
    world = make_world()
    sign_in(page, live_server, world.user(role))
    page.set_viewport_size({"width": width, "height": SCREEN_HEIGHT})
    page.goto(f"{live_server.url}/manage/groups/{world.group.pk}/")
    nav = page.get_by_role("navigation", name="Organiser")
    expect(nav).to_be_visible()
    assert nav.bounding_box()["height"] <= SCREEN_HEIGHT / 5
    for target in [*nav.get_by_role("link").all(), nav.get_by_role("button", name="Sign out")]:
        assert target.bounding_box()["height"] >= 24  # WCAG 2.2 target size (minimum)
    page.screenshot(path=f"/tmp/h16_shots/organiser_nav_{role}_{width}.png")
