import datetime
import logging

import pytest
from django.test import RequestFactory

from directory.filters import GroupFilter
from directory.models import Group
from evidence import counting
from evidence.models import DailyCount, Metric
from tests.evidence.conftest import PHONE_BROWSER, counts
from tests.factories import AreaFactory, TopicFactory

pytestmark = pytest.mark.django_db


def request(method="get", path="/", user_agent=PHONE_BROWSER, **headers):
    if user_agent is not None:
        headers["HTTP_USER_AGENT"] = user_agent
    return getattr(RequestFactory(), method)(path, **headers)


def test_a_count_is_one_row_per_day_metric_and_key_that_adds_up():
    today = datetime.date(2025, 3, 3)
    counting.record([(Metric.GROUP_VIEW, 7)], day=today)
    counting.record([(Metric.GROUP_VIEW, 7)], day=today)
    counting.record([(Metric.GROUP_VIEW, 7)], day=today + datetime.timedelta(days=1))
    counting.record([(Metric.GROUP_VIEW, 8)], day=today)
    rows = sorted(DailyCount.objects.values_list("day", "metric", "key", "count"))
    assert rows == [
        (today, "group_view", "7", 2),
        (today, "group_view", "8", 1),
        (today + datetime.timedelta(days=1), "group_view", "7", 1),
    ]


def test_several_counts_go_in_one_write(django_assert_max_num_queries):
    DailyCount.objects.create(day=datetime.date(2025, 3, 3), metric="referral_print", key="1")
    with django_assert_max_num_queries(3) as write:  # savepoint, the upsert, release
        counting.record(
            [(Metric.REFERRAL_PRINT, 1), (Metric.REFERRAL_PRINT, 2), (Metric.REFERRAL_PRINT, 1)],
            day=datetime.date(2025, 3, 3),
        )
    assert len([q for q in write.captured_queries if "INSERT" in q["sql"]]) == 1
    assert counts() == {("referral_print", "1"): 1, ("referral_print", "2"): 1}


def test_an_unknown_metric_is_logged_not_raised(caplog):
    with caplog.at_level(logging.ERROR, logger="evidence.counting"):
        counting.record([("made_up", 1)])
    assert DailyCount.objects.count() == 0
    assert "Could not record" in caplog.text


def test_a_key_too_long_for_a_row_is_dropped():
    counting.record([(Metric.SEARCH, "area=" + "x" * 2000), (Metric.SEARCH, "area=keith")])
    assert counts() == {("search", "area=keith"): 1}


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "WhatsApp/2.23.20.0",
        "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
        "Mozilla/5.0 (Windows NT 6.1) (compatible; SkypeUriPreview Preview/0.5)",
        "curl/8.5.0",
        "",
        None,
    ],
)
def test_crawlers_link_previews_and_nameless_clients_are_not_counted(user_agent):
    assert not counting.is_countable(request(user_agent=user_agent))


def test_a_phone_browser_is_counted():
    assert counting.is_countable(request())


def test_head_requests_and_prefetches_are_not_counted():
    assert not counting.is_countable(request(method="head"))
    assert not counting.is_countable(request(HTTP_SEC_PURPOSE="prefetch"))
    assert not counting.is_countable(request(HTTP_PURPOSE="prefetch"))


def test_the_page_shown_again_to_say_thank_you_is_not_a_new_visit():
    assert not counting.is_countable(request(path="/groups/x/?helpful=thanks"))


def test_a_search_key_is_the_recognised_choices_sorted_without_the_typed_text():
    AreaFactory(name="Keith")
    AreaFactory(name="Elgin")
    TopicFactory(name="Anxiety")
    filterset = GroupFilter(
        {
            "q": "my secret worry",
            "topic": ["anxiety", "not-a-topic"],
            "area": ["keith", "elgin"],
            "when": ["evening"],
            "format": ["drop-in"],
        },
        queryset=Group.objects.all(),
    )
    key = counting.search_key(filterset)
    assert key == "area=elgin,keith;format=drop-in;topic=anxiety;when=evening;text"
    assert counting.parse_search_key(key) == {
        "area": ["elgin", "keith"],
        "format": ["drop-in"],
        "topic": ["anxiety"],
        "when": ["evening"],
    }


def test_a_search_with_no_choices_has_no_key():
    filterset = GroupFilter({}, queryset=Group.objects.all())
    assert counting.search_key(filterset) == ""
