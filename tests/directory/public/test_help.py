"""Urgent help on every public page, the help page itself, and the quick exit."""

import re

import pytest

from directory import helplines
from directory.helplines import HELPLINES
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db

URGENT_NUMBERS = [
    '<a href="tel:999">999</a>',
    '<a href="tel:111">111</a>',
    '<a href="tel:116123">116 123</a>',
    # The number as Breathing Space prints it: the link once dialled an extra 5.
    '<a href="tel:0800838587">0800 83 85 87</a>',
    '<a href="sms:85258?&amp;body=SHOUT">Text SHOUT to 85258</a>',
    '<a href="sms:85258?&amp;body=PANDAS">Text PANDAS to 85258</a>',
]


@pytest.fixture
def public_pages():
    group = group_with_schedule()
    return [
        "/",
        "/?area=nowhere",
        group.get_absolute_url(),
        "/whats-on/",
        "/organisations/",
        group.organisation.get_absolute_url(),
        "/help/",
    ]


def test_every_public_page_links_to_the_help_panel_it_carries(client, public_pages):
    for url in public_pages:
        text = client.get(url).text
        assert '<a class="help-link" href="#need-help">Need help now?</a>' in text, url
        assert 'id="need-help"' in text, url
        for number in URGENT_NUMBERS:
            assert number in text, (url, number)
        assert "midwife, health visitor or GP" in text, url


def test_every_public_page_has_the_quick_exit(client, settings, public_pages):
    settings.QUICK_EXIT_URL = "https://weather.example.org/"
    for url in public_pages:
        text = client.get(url).text
        assert re.search(
            r'<a class="quick-exit" href="https://weather.example.org/" rel="noreferrer"'
            r' data-quick-exit aria-describedby="exit-what">Exit this page</a>',
            text,
        ), url
        assert 'src="/static/js/site.js" defer' in text, url
        assert "Exit swaps this page for a weather page. It can't clear your history" in text, url


def test_the_help_page_puts_the_numbers_first_and_only_once(client):
    text = client.get("/help/").text
    assert text.count('id="need-help"') == 1
    main = text[text.index("<main") : text.index("</main>")]
    assert '<a href="tel:116123">116 123</a>' in main


def test_the_help_page_explains_the_quick_exit(client):
    text = client.get("/help/").text
    assert "<h1>Urgent help</h1>" in text
    assert "<kbd>Shift</kbd> key three times" in text
    assert "Esc" not in text
    # It says honestly what it cannot do, and how to leave no trace on Android and iPhone.
    assert "it doesn't clear your browser's history" in text
    assert "No website can clear your history for you." in text
    assert "New Incognito tab" in text
    assert "Clear History and Website Data" in text
    assert "the back button won't bring that page back" not in text


def test_the_help_page_sets_no_cookie(client):
    assert client.get("/help/").cookies == {}


def test_the_help_page_says_where_each_number_comes_from(client):
    text = client.get("/help/").text
    assert '<h2 id="numbers-from">Where these numbers come from</h2>' in text
    for line in HELPLINES:
        assert f'<a href="{line.source}">{line.name}</a>' in text


def test_the_service_worker_changes_when_the_numbers_do(client, monkeypatch):
    before = client.get("/sw.js").text
    assert helplines.digest() in before
    monkeypatch.setattr(helplines, "digest", lambda: "new-numbers")
    assert client.get("/sw.js").text != before
