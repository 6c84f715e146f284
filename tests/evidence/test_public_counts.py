"""The counters move on the right public actions, and only there."""

import pytest
from django.test import Client

from directory import shortlist
from evidence.models import DailyCount
from tests.evidence.conftest import counts
from tests.factories import AreaFactory, TopicFactory, VenueFactory, group_with_schedule

pytestmark = pytest.mark.django_db

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def group():
    return group_with_schedule(name="Elgin Natter")


def test_a_group_page_view_adds_one_view_for_that_group_only(visitor, group):
    other = group_with_schedule(name="Forres Cuppa")
    response = visitor.get(group.get_absolute_url())
    assert response.status_code == 200
    assert counts() == {("group_view", str(group.pk)): 1}
    visitor.get(group.get_absolute_url())
    visitor.get(other.get_absolute_url())
    assert counts() == {("group_view", str(group.pk)): 2, ("group_view", str(other.pk)): 1}


def test_a_crawler_adds_nothing(group):
    crawler = Client(HTTP_USER_AGENT=GOOGLEBOT)
    assert crawler.get(group.get_absolute_url()).status_code == 200
    assert crawler.get("/?topic=anxiety").status_code == 200
    assert crawler.get(f"/s/{shortlist.encode([group.pk])}/").status_code == 200
    assert DailyCount.objects.count() == 0


def test_an_organiser_or_moderator_looking_adds_nothing(visitor, group):
    from tests.factories import MembershipFactory, ModeratorFactory

    for person in (MembershipFactory(organisation=group.organisation).user, ModeratorFactory()):
        visitor.force_login(person)
        assert visitor.get(group.get_absolute_url()).status_code == 200
        assert visitor.get(f"/s/{shortlist.encode([group.pk])}/").status_code == 200
    assert DailyCount.objects.count() == 0
    visitor.logout()
    visitor.get(group.get_absolute_url())
    assert counts() == {("group_view", str(group.pk)): 1}


def test_a_head_request_adds_nothing(visitor, group):
    assert visitor.head(group.get_absolute_url()).status_code == 200
    assert DailyCount.objects.count() == 0


def test_a_missing_or_unpublished_group_adds_nothing(visitor):
    draft = group_with_schedule(status="draft")
    assert visitor.get(draft.get_absolute_url()).status_code == 404
    assert visitor.get("/groups/no-such-group/calendar.ics").status_code == 404
    assert DailyCount.objects.count() == 0


def test_a_calendar_download_is_counted(visitor, group):
    response = visitor.get(f"/groups/{group.slug}/calendar.ics")
    assert response.status_code == 200
    assert counts() == {("calendar_download", str(group.pk)): 1}


def test_an_organisation_page_view_is_counted(visitor, group):
    organisation = group.organisation
    assert visitor.get(organisation.get_absolute_url()).status_code == 200
    assert counts() == {("organisation_view", str(organisation.pk)): 1}


def test_opening_a_shortlist_counts_once_for_each_group_on_it(visitor, group):
    other = group_with_schedule(name="Forres Cuppa")
    response = visitor.get(f"/s/{shortlist.encode([group.pk, other.pk])}/")
    assert response.status_code == 200
    assert counts() == {("shortlist_open", str(group.pk)): 1, ("shortlist_open", str(other.pk)): 1}


def test_a_shortlist_never_counts_a_group_that_is_not_public(visitor, group):
    draft = group_with_schedule(status="draft")
    visitor.get(f"/s/{shortlist.encode([group.pk, draft.pk, 99999])}/")
    assert counts() == {("shortlist_open", str(group.pk)): 1}


def test_printing_a_referral_sheet_counts_each_group_on_it(visitor, group):
    response = visitor.get(f"/s/{shortlist.encode([group.pk])}/print/")
    assert response.status_code == 200
    assert counts() == {("referral_print", str(group.pk)): 1}


def test_the_group_list_without_choices_is_not_a_search(visitor, group):
    visitor.get("/")
    assert DailyCount.objects.count() == 0


def test_a_search_that_finds_groups_counts_as_a_search_only(visitor):
    keith = AreaFactory(name="Keith")
    anxiety = TopicFactory(name="Anxiety")
    found = group_with_schedule(schedule_kwargs={"venue": VenueFactory(area=keith)})
    found.topics.add(anxiety)
    visitor.get("/?topic=anxiety&area=keith")
    assert counts() == {("search", "area=keith;topic=anxiety"): 1}


def test_a_search_in_keith_for_anxiety_that_finds_nothing_is_an_empty_search(visitor, group):
    AreaFactory(name="Keith")
    TopicFactory(name="Anxiety")
    response = visitor.get("/?area=keith&topic=anxiety")
    assert "0 groups" in response.text
    assert counts() == {
        ("search", "area=keith;topic=anxiety"): 1,
        ("search_empty", "area=keith;topic=anxiety"): 1,
    }


def test_the_same_choices_in_any_order_are_the_same_search(visitor, group):
    AreaFactory(name="Keith")
    AreaFactory(name="Buckie")
    visitor.get("/?area=keith&area=buckie&format=drop-in")
    visitor.get("/?format=drop-in&area=buckie&area=keith")
    assert counts()["search", "area=buckie,keith;format=drop-in"] == 2


def test_turning_the_page_is_not_another_search(visitor):
    for n in range(25):
        group_with_schedule(name=f"Group {n:02d}")
    visitor.get("/?format=drop-in")
    visitor.get("/?format=drop-in&page=2")
    assert counts() == {("search", "format=drop-in"): 1}


def test_searches_on_whats_on_are_counted_too(visitor, group):
    AreaFactory(name="Keith")
    visitor.get("/whats-on/?area=keith&when=evening")
    assert counts() == {
        ("search", "area=keith;when=evening"): 1,
        ("search_empty", "area=keith;when=evening"): 1,
    }


def test_typed_search_text_is_never_stored_or_logged(visitor, group, caplog):
    AreaFactory(name="Keith")
    words = "postnatal depression Keith Smith"
    visitor.get("/", {"q": words, "area": "keith"})
    visitor.get("/", {"q": words})
    visitor.get("/whats-on/", {"q": words})
    assert counts() == {
        ("search", "area=keith;text"): 1,
        ("search_empty", "area=keith;text"): 1,
        ("search", "text"): 2,
        ("search_empty", "text"): 2,
    }
    for row in DailyCount.objects.values():
        for value in row.values():
            assert "postnatal" not in str(value).lower()
            assert "smith" not in str(value).lower()
    logged = " ".join(
        record.getMessage() + str(getattr(record, "fields", "")) for record in caplog.records
    )
    assert "postnatal" not in logged.lower()


def test_filter_values_we_do_not_know_never_reach_a_row(visitor, group):
    AreaFactory(name="Keith")
    visitor.get("/", {"area": ["keith", "<script>alert(1)</script>"], "topic": "my-name-is-jo"})
    assert counts() == {("search", "area=keith"): 1, ("search_empty", "area=keith"): 1}


def test_a_row_holds_only_day_what_which_and_how_many(visitor, group):
    visitor.get(
        group.get_absolute_url(),
        REMOTE_ADDR="203.0.113.77",
        HTTP_REFERER="https://www.facebook.com/groups/secret-mums",
    )
    assert [f.name for f in DailyCount._meta.get_fields()] == [
        "id",
        "day",
        "metric",
        "key",
        "count",
    ]
    row = DailyCount.objects.get()
    assert (row.metric, row.key, row.count) == ("group_view", str(group.pk), 1)


def test_counted_pages_set_no_cookie(visitor, group):
    AreaFactory(name="Keith")
    for url in [
        group.get_absolute_url(),
        f"/groups/{group.slug}/calendar.ics",
        group.organisation.get_absolute_url(),
        "/?area=keith&topic=anxiety",
        "/whats-on/?area=keith",
        f"/s/{shortlist.encode([group.pk])}/",
        f"/s/{shortlist.encode([group.pk])}/print/",
    ]:
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response, url
        assert response.cookies == {}, url
    assert DailyCount.objects.count() > 0
