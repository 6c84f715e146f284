"""One visitor adds at most EVIDENCE_DAILY_COUNTS_PER_VISITOR to each count a day, however
often they ask; other visitors count as usual, and no address is kept."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from directory import shortlist
from evidence.models import DailyCount
from tests.evidence.conftest import PHONE_BROWSER, counts
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db

# A Wednesday afternoon in term time.
AFTERNOON = datetime.datetime(2026, 11, 18, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def afternoon():
    with time_machine.travel(AFTERNOON, tick=False):
        yield


@pytest.fixture
def group():
    return group_with_schedule(name="Elgin Natter", slug="elgin-natter")


def visitor_at(address):
    return Client(HTTP_USER_AGENT=PHONE_BROWSER, REMOTE_ADDR=address)


def test_a_thousand_views_from_one_visitor_add_only_the_daily_allowance(group, settings):
    assert settings.EVIDENCE_DAILY_COUNTS_PER_VISITOR == 100
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60  # as in production: most views are kept copies
    visitor = visitor_at("198.51.100.7")
    for _ in range(1000):
        assert visitor.get(group.get_absolute_url()).status_code == 200
    assert counts() == {("group_view", str(group.pk)): 100}


def test_two_visitors_each_count_when_one_has_used_their_allowance(group, settings):
    settings.EVIDENCE_DAILY_COUNTS_PER_VISITOR = 3
    first, second = visitor_at("198.51.100.7"), visitor_at("203.0.113.20")
    for _ in range(5):
        first.get(group.get_absolute_url())
    second.get(group.get_absolute_url())
    second.get(group.get_absolute_url())
    assert counts() == {("group_view", str(group.pk)): 5}


def test_the_allowance_is_for_each_count_on_its_own(group, settings):
    settings.EVIDENCE_DAILY_COUNTS_PER_VISITOR = 2
    visitor = visitor_at("198.51.100.7")
    for _ in range(4):
        visitor.get(group.get_absolute_url())
        visitor.get(f"/groups/{group.slug}/calendar.ics")
    assert counts() == {("group_view", str(group.pk)): 2, ("calendar_download", str(group.pk)): 2}


def test_the_allowance_covers_every_group_a_visitor_counts_not_each_one(group, settings):
    settings.EVIDENCE_DAILY_COUNTS_PER_VISITOR = 3
    others = [group_with_schedule(name=f"Forres Cuppa {n}") for n in range(3)]
    visitor = visitor_at("198.51.100.7")
    response = visitor.get(f"/s/{shortlist.encode([group.pk, *(g.pk for g in others)])}/")
    assert response.status_code == 200
    assert sum(n for (metric, _), n in counts().items() if metric == "shortlist_open") == 3


def test_helpful_answers_stay_within_the_allowance_too(group, settings):
    settings.EVIDENCE_DAILY_COUNTS_PER_VISITOR = 2
    visitor = visitor_at("198.51.100.7")
    for _ in range(5):
        assert visitor.post(f"/groups/{group.slug}/helpful/", {"answer": "yes"}).status_code == 302
    assert counts() == {("helpful_yes", str(group.pk)): 2}


def test_a_new_day_brings_a_new_allowance(group, settings):
    settings.EVIDENCE_DAILY_COUNTS_PER_VISITOR = 2
    visitor = visitor_at("198.51.100.7")
    for _ in range(3):
        visitor.get(group.get_absolute_url())
    with time_machine.travel(AFTERNOON + datetime.timedelta(days=1), tick=False):
        for _ in range(3):
            visitor.get(group.get_absolute_url())
        tomorrow = timezone.localdate()
    by_day = {row.day: row.count for row in DailyCount.objects.all()}
    assert by_day == {tomorrow - datetime.timedelta(days=1): 2, tomorrow: 2}


def test_the_allowance_keeps_no_address(group):
    visitor_at("198.51.100.7").get(group.get_absolute_url())
    kept = list(cache._cache)  # the test settings' LocMemCache
    assert kept
    assert not any("198.51.100.7" in key for key in kept)


def test_a_page_served_from_the_page_cache_stays_within_the_allowance(group, settings):
    settings.EVIDENCE_DAILY_COUNTS_PER_VISITOR = 2
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    visitor = visitor_at("198.51.100.7")
    for _ in range(5):
        visitor.get(group.get_absolute_url())
    assert counts() == {("group_view", str(group.pk)): 2}
