"""On her phone (390 × 844), a parent gets from the home page to groups in her town in one
tap, and applying filters lands her on the first result, without scrolling."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.public_data import small_directory

pytestmark = pytest.mark.django_db(transaction=True)


def with_count(label):
    """A filter choice by its label, which ends with how many groups it finds: "Forres (2)"."""
    return re.compile(rf"^\s*{re.escape(label)} \(\d+\)\s*$")


SCREEN_HEIGHT = 844


def first_result_is_on_screen(page):
    page.wait_for_load_state()
    card = page.locator("article.card").first
    expect(card).to_be_visible()
    heading = card.locator("h3").bounding_box()
    return heading["y"] >= 0 and heading["y"] + heading["height"] <= SCREEN_HEIGHT


def test_one_tap_on_her_town_shows_its_groups_with_the_first_on_screen(live_server, page):
    small_directory()
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Quick choices").get_by_role(
        "link", name="Forres", exact=True
    ).click()  # tap 1
    expect(page.get_by_role("heading", name="2 groups match your choices")).to_be_visible()
    assert first_result_is_on_screen(page)


def test_a_topic_chip_leads_straight_to_its_groups(live_server, page):
    small_directory()
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Quick choices").get_by_role(
        "link", name="Anxiety", exact=True
    ).click()  # tap 1
    expect(page.get_by_role("heading", name="1 group matches your choices")).to_be_visible()
    assert first_result_is_on_screen(page)


def test_applying_filters_from_the_top_lands_on_the_first_result(live_server, page):
    small_directory()
    page.goto(live_server.url + "/")
    page.locator("summary", has_text="Filters").click()  # tap 1
    page.get_by_label(with_count("Forres")).check()  # tap 2
    page.get_by_role("button", name="Apply filters").click()  # tap 3
    expect(page.get_by_role("heading", name="2 groups match your choices")).to_be_visible()
    assert first_result_is_on_screen(page)
