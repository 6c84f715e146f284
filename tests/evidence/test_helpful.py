"""'Was this page helpful?' on group pages: anonymous, cookie-free, hard to flood."""

import pytest
from django.test import Client

from evidence import helpful
from evidence.models import DailyCount
from tests.evidence.conftest import PHONE_BROWSER, counts
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return group_with_schedule(name="Elgin Natter", slug="elgin-natter")


URL = "/groups/elgin-natter/helpful/"


def test_the_group_page_asks_without_a_csrf_token_or_cookie(visitor, group):
    response = visitor.get(group.get_absolute_url())
    assert "Was this page helpful?" in response.text
    assert f'action="{URL}"' in response.text
    assert "csrfmiddlewaretoken" not in response.text
    assert response.cookies == {}


def test_a_yes_adds_one_and_comes_back_to_the_group_page_with_thanks(visitor, group):
    response = visitor.post(URL, {"answer": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/groups/elgin-natter/?helpful=thanks#helpful"
    assert response.cookies == {}
    assert counts() == {("helpful_yes", str(group.pk)): 1}
    page = visitor.get(response["Location"])
    assert "Thank you for letting us know." in page.text
    assert 'action="/groups/elgin-natter/helpful/"' not in page.text
    assert page.cookies == {}
    # Coming back to say thank you is not another view of the page.
    assert counts() == {("helpful_yes", str(group.pk)): 1}


def test_a_no_with_what_they_found_counts_each(visitor, group):
    visitor.post(URL, {"answer": "no", "found": ["times", "directions"]})
    key = str(group.pk)
    assert counts() == {
        ("helpful_no", key): 1,
        ("found_times", key): 1,
        ("found_directions", key): 1,
    }


def test_it_works_without_the_csrf_cookie_even_when_csrf_is_enforced(group):
    strict = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=PHONE_BROWSER)
    response = strict.post(URL, {"answer": "yes", "found": "group"})
    assert response.status_code == 302
    assert counts() == {("helpful_yes", str(group.pk)): 1, ("found_group", str(group.pk)): 1}


def test_the_script_gets_a_short_answer_to_show_thanks_in_place(visitor, group):
    response = visitor.post(URL, {"answer": "yes"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"thanks": True}
    assert counts() == {("helpful_yes", str(group.pk)): 1}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"answer": "maybe"},
        {"answer": "yes", "found": "my-phone-number-07700900123"},
        {"found": "group"},
    ],
)
def test_only_known_answers_are_accepted(visitor, group, data):
    response = visitor.post(URL, data)
    assert response.status_code == 400
    assert DailyCount.objects.count() == 0


def test_a_get_is_refused(visitor, group):
    assert visitor.get(URL).status_code == 405
    assert DailyCount.objects.count() == 0


def test_an_unpublished_group_cannot_be_voted_for(visitor):
    group_with_schedule(slug="hidden", status="draft")
    assert visitor.post("/groups/hidden/helpful/", {"answer": "yes"}).status_code == 404
    assert DailyCount.objects.count() == 0


def test_a_crawler_posting_is_not_counted(group):
    bot = Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; bingbot/2.0)")
    assert bot.post(URL, {"answer": "yes"}).status_code == 302
    assert DailyCount.objects.count() == 0


def test_answers_beyond_the_limit_are_thanked_but_not_counted(visitor, group):
    for _ in range(helpful.HELPFUL_LIMIT.per_window + 5):
        response = visitor.post(URL, {"answer": "yes"}, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302
    assert counts() == {("helpful_yes", str(group.pk)): helpful.HELPFUL_LIMIT.per_window}
    # Someone else is not held back by the first visitor's answers.
    visitor.post(URL, {"answer": "no"}, REMOTE_ADDR="198.51.100.4")
    assert counts()["helpful_no", str(group.pk)] == 1


def test_the_limit_keeps_no_ip_address(visitor, group):
    from django.core.cache import cache

    visitor.post(URL, {"answer": "yes"}, REMOTE_ADDR="203.0.113.9")
    stored = " ".join(str(k) + str(v) for k, v in cache._cache.items())
    assert "203.0.113.9" not in stored
    assert "helpful-limit:" in stored


def test_with_the_cache_down_answers_are_still_counted_within_the_limit(
    visitor, group, monkeypatch
):
    from moray_peer import ratelimit

    class CacheDown:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("the cache server is down")

            return fail

    monkeypatch.setattr(ratelimit, "cache", CacheDown())
    ratelimit._local.clear()
    for _ in range(helpful.HELPFUL_LIMIT.per_window + 3):
        assert visitor.post(URL, {"answer": "yes"}).status_code == 302
    assert counts() == {("helpful_yes", str(group.pk)): helpful.HELPFUL_LIMIT.per_window}


def test_a_vote_posted_from_another_site_is_refused(group):
    strict = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=PHONE_BROWSER)
    response = strict.post(
        URL,
        {"answer": "yes"},
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
