"""A parent narrows the list on her phone, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.public_data import small_directory

pytestmark = pytest.mark.django_db(transaction=True)


def with_count(label):
    """A filter choice by its label, which ends with how many groups it finds: "Forres (2)"."""
    return re.compile(rf"^\s*{re.escape(label)} \(\d+\)\s*$")


def card_names(page):
    page.wait_for_load_state()  # the whole list, not the part of it parsed so far
    return page.locator("article.card h3").all_inner_texts()


def choose_forres_and_anxiety(page):
    page.locator("summary", has_text="Filters").click()
    page.get_by_label(with_count("Forres")).check()
    page.get_by_label(with_count("Anxiety")).check()
    page.get_by_role("button", name="Show groups").click()


def test_she_narrows_the_list_by_area_and_topic_and_goes_back(live_server, page):
    small_directory()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="3 groups")).to_be_visible()
    choose_forres_and_anxiety(page)

    expect(page).to_have_url(re.compile(r"\?.*area=forres.*&topic=anxiety"))
    expect(page.get_by_role("heading", name="1 group matches your choices")).to_be_visible()
    assert card_names(page) == ["Forres Calm Parents"]
    expect(page.get_by_role("link", name="Remove Forres")).to_be_visible()

    page.go_back()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="3 groups")).to_be_visible()
    assert sorted(card_names(page)) == ["Elgin Natter", "Forres Calm Parents", "Forres Cuppa"]
    assert page.third_party_requests == []


def test_the_filtered_address_can_be_shared_and_opened_again(live_server, page, context):
    small_directory()
    page.goto(live_server.url + "/")
    choose_forres_and_anxiety(page)
    expect(page).to_have_url(re.compile(r"\?.*area=forres.*&topic=anxiety"))
    shared = page.url
    other = context.new_page()
    other.goto(shared)
    assert card_names(other) == ["Forres Calm Parents"]
    expect(other.get_by_label(with_count("Forres"))).to_be_checked()


def test_removing_one_choice_widens_the_list(live_server, page):
    small_directory()
    page.goto(live_server.url + "/?area=forres&topic=anxiety")
    page.get_by_role("link", name="Remove Anxiety").click()
    expect(page.get_by_role("heading", name="2 groups match your choices")).to_be_visible()
    assert sorted(card_names(page)) == ["Forres Calm Parents", "Forres Cuppa"]


def test_filtering_works_without_javascript(live_server, no_js_page):
    small_directory()
    page = no_js_page
    page.goto(live_server.url + "/")
    choose_forres_and_anxiety(page)
    expect(page).to_have_url(re.compile(r"area=forres.*topic=anxiety"))
    assert card_names(page) == ["Forres Calm Parents"]
    page.get_by_label("Search by name, place or venue").fill("natter")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="0 groups match your choices")).to_be_visible()
    page.get_by_role("link", name="Without “natter”").click()
    expect(page.get_by_role("heading", name="1 group matches your choices")).to_be_visible()
