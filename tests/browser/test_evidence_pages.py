"""The evidence pages in a real browser: accessible, and the helpful answer works with and
without JavaScript, leaving no cookie."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evidence.models import DailyCount
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import (
    AreaFactory,
    MembershipFactory,
    ModeratorFactory,
    TopicFactory,
    group_with_schedule,
)

pytestmark = pytest.mark.django_db(transaction=True)


def count(metric, group, days_ago, number):
    DailyCount.objects.create(
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
        metric=metric,
        key=str(group.pk),
        count=number,
    )


def test_the_organiser_evidence_page_has_no_accessibility_violations(live_server, page):
    group = group_with_schedule(name="Elgin Natter")
    for days_ago, views in [(0, 4), (9, 12), (30, 7), (60, 1)]:
        count("group_view", group, days_ago, views)
    count("helpful_yes", group, 3, 2)
    count("referral_print", group, 10, 1)
    sign_in(page, live_server, MembershipFactory(organisation=group.organisation).user)
    page.goto(f"{live_server.url}/manage/groups/{group.pk}/evidence/")
    expect(page.get_by_role("heading", name="How parents use Elgin Natter")).to_be_visible()
    expect(page.get_by_role("img", name="Page views, last 12 weeks")).to_be_visible()
    expect(page.get_by_role("table")).to_be_visible()
    assert axe_violations(page) == []
    assert page.third_party_requests == []


def test_the_demand_report_has_no_accessibility_violations(live_server, page):
    AreaFactory(name="Keith")
    TopicFactory(name="Anxiety")
    today = timezone.localdate()
    DailyCount.objects.create(day=today, metric="search", key="area=keith;topic=anxiety", count=41)
    DailyCount.objects.create(
        day=today, metric="search_empty", key="area=keith;topic=anxiety", count=41
    )
    DailyCount.objects.create(day=today, metric="search", key="format=drop-in", count=3)
    sign_in(page, live_server, ModeratorFactory())
    page.goto(f"{live_server.url}/moderation/demand/")
    expect(
        page.get_by_text("Anxiety in Keith: 41 searches, 41 found nothing, 0 groups")
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("From", exact=True).fill("2025-03-30")
    page.get_by_label("To", exact=True).fill("2025-03-01")
    page.get_by_role("button", name="Show these dates").click()
    expect(page.get_by_text("The start date is after the end date.")).to_be_visible()
    assert axe_violations(page) == []
    assert page.third_party_requests == []


def test_a_parent_says_the_page_helped_and_is_thanked_in_place(live_server, page):
    group = group_with_schedule(name="Elgin Natter")
    page.goto(live_server.url + group.get_absolute_url())
    page.get_by_label("When it meets").check()
    page.get_by_role("button", name="Yes, it helped").click()
    thanks = page.get_by_text("Thank you for letting us know.")
    thanks.wait_for()
    assert page.url == live_server.url + group.get_absolute_url()
    counted = dict(DailyCount.objects.values_list("metric", "count"))
    assert counted == {"group_view": 1, "helpful_yes": 1, "found_times": 1}
    assert page.context.cookies() == []
    assert axe_violations(page) == []


def test_without_javascript_the_answer_posts_and_comes_back_with_thanks(live_server, no_js_page):
    group = group_with_schedule(name="Elgin Natter")
    no_js_page.goto(live_server.url + group.get_absolute_url())
    no_js_page.get_by_role("button", name="No, not really").click()
    expect(no_js_page.get_by_text("Thank you for letting us know.")).to_be_visible()
    assert "helpful=thanks" in no_js_page.url
    counted = dict(DailyCount.objects.values_list("metric", "count"))
    assert counted == {"group_view": 1, "helpful_no": 1}
    assert no_js_page.context.cookies() == []
