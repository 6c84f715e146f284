"""The list read in a parent's own words: urgent help first for words that may mean danger,
and a way on from a search that found nothing (demo listings, real vocabulary)."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_directory():
    call_command("load_terms", verbosity=0)
    call_command("load_demo", verbosity=0)


def content(response):
    return response.text.split("<main", 1)[-1]


@pytest.mark.parametrize("words", ["I can't cope", "hurt myself"])
def test_words_that_may_mean_danger_show_the_urgent_help_numbers_above_any_results(
    client, demo_directory, words
):
    page = content(client.get("/", {"q": words}))
    assert "You don't have to carry this on your own" in page
    assert page.index('href="tel:116123"') < page.index('id="results-title"')
    assert page.count('id="need-help"') == 1


def test_a_search_that_may_mean_danger_lands_on_the_urgent_help_not_past_it(client, demo_directory):
    # The search form sends her to #results, so that is where the help must be.
    page = content(client.get("/", {"q": "I can't cope"}))
    assert page.count('id="results"') == 1
    landing = page[page.index('id="results"') :]
    assert landing.index('href="tel:116123"') < landing.index('id="results-title"')


def test_everyday_words_show_no_urgent_panel_above_the_results(client, demo_directory):
    page = content(client.get("/", {"q": "worried"}))
    assert "carry this on your own" not in page
    assert 'href="tel:116123"' not in page.split('id="results-title"')[0]


def test_a_misspelling_it_guesses_says_what_it_took_it_to_mean(client, demo_directory):
    page = content(client.get("/", {"q": "anxeity"}))
    assert "We took “anxeity” to mean Anxiety." in page
    assert "Elgin Parent Wellbeing Drop-in" in page


def test_an_unknown_place_suggests_the_nearest_one_it_knows(client, demo_directory):
    page = content(client.get("/", {"q": "kinlas"}))
    assert "0 groups" in page
    assert "Did you mean “kinloss”?" in page
    assert 'href="?q=kinloss"' in page


def test_two_things_with_no_group_for_both_suggest_each_on_its_own(client, demo_directory):
    page = content(client.get("/", {"q": "forres anxiety"}))
    assert "0 groups" in page
    assert 'href="?area=forres">Groups in Forres</a> (6 groups)' in page
    assert 'href="?topic=anxiety">About anxiety</a>' in page


def test_a_search_finding_nothing_never_offers_a_without_link_that_lists_everything(
    client, demo_directory
):
    page = content(client.get("/", {"q": "xyzzy"}))
    assert "0 groups" in page
    assert "Without" not in page
    assert 'href="?">All groups across Moray</a>' in page


def test_a_search_with_a_filter_still_offers_to_drop_the_words(client, demo_directory):
    page = content(client.get("/", {"q": "xyzzy", "area": "forres"}))
    assert "Without “xyzzy”" in page
