"""The demand report: its numbers against a hand-computed expectation on a fixed data set."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from directory.models import Group
from evidence.demand import demand_report, whole_searches
from evidence.models import DailyCount
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    MembershipFactory,
    ModeratorFactory,
    TopicFactory,
    VenueFactory,
    group_with_schedule,
    online_group,
)

pytestmark = pytest.mark.django_db

URL = "/moderation/demand/"
START = datetime.date(2025, 3, 3)
END = datetime.date(2025, 3, 30)

# (key, searches, of which found nothing), all inside START..END.
SEARCHES = [
    ("area=keith;topic=anxiety", 41, 41),
    ("area=elgin,keith;topic=anxiety,loneliness", 3, 1),
    ("topic=anxiety", 5, 0),
    ("area=elgin", 7, 2),
    ("format=drop-in", 4, 0),
    ("area=keith;format=drop-in;when=evening", 2, 2),
    ("area=keith;text;topic=anxiety", 1, 1),
    ("area=online;topic=anxiety", 2, 0),
    ("when=today", 9, 9),  # neither area, topic nor format: in neither table
]


@pytest.fixture
def directory():
    """Elgin: one anxiety drop-in, one loneliness group you book. Online: one anxiety group.
    Keith: only a draft, which parents cannot see."""
    elgin, keith = AreaFactory(name="Elgin"), AreaFactory(name="Keith")
    AreaFactory(name="Online", is_online=True)
    anxiety, loneliness = TopicFactory(name="Anxiety"), TopicFactory(name="Loneliness")
    AudienceFactory(name="Dads")
    group_with_schedule(schedule_kwargs={"venue": VenueFactory(area=elgin)}).topics.add(anxiety)
    group_with_schedule(
        drop_in=False, schedule_kwargs={"venue": VenueFactory(area=elgin)}
    ).topics.add(loneliness)
    online_group().topics.add(anxiety)
    group_with_schedule(
        status=Group.Status.DRAFT, schedule_kwargs={"venue": VenueFactory(area=keith)}
    ).topics.add(anxiety)


@pytest.fixture
def counted():
    for n, (key, searches, empty) in enumerate(SEARCHES):
        day = START + datetime.timedelta(days=n)
        DailyCount.objects.create(day=day, metric="search", key=key, count=searches)
        if empty:
            DailyCount.objects.create(day=day, metric="search_empty", key=key, count=empty)
    # Outside the dates, and not a search: left out.
    for day in (START - datetime.timedelta(days=1), END + datetime.timedelta(days=1)):
        DailyCount.objects.create(
            day=day, metric="search", key="area=keith;topic=anxiety", count=100
        )
        DailyCount.objects.create(
            day=day, metric="search_empty", key="area=keith;topic=anxiety", count=100
        )
    DailyCount.objects.create(day=START, metric="group_view", key="1", count=500)


def rows(table):
    return {
        (c.area_name, c.facet_name): (c.searches, c.found_nothing, c.groups) for c in table.cells
    }


def test_area_by_topic_matches_the_hand_count(directory, counted):
    topics, _ = demand_report(START, END)
    assert rows(topics) == {
        # 41 + 3 + 1 searches; 41 + 1 + 1 found nothing; the only Keith group is a draft.
        ("Keith", "Anxiety"): (45, 43, 0),
        ("Keith", "Loneliness"): (3, 1, 0),
        ("Elgin", "Anxiety"): (3, 1, 1),
        ("Elgin", "Loneliness"): (3, 1, 1),
        ("No area chosen", "Anxiety"): (5, 0, 2),
        ("Elgin", "No topic chosen"): (7, 2, 2),
        ("Keith", "No topic chosen"): (2, 2, 0),
        ("Online", "Anxiety"): (2, 0, 1),
    }


def test_area_by_format_matches_the_hand_count(directory, counted):
    _, formats = demand_report(START, END)
    assert rows(formats) == {
        # 41 + 3 + 1: the searches in Keith that chose no format.
        ("Keith", "No format chosen"): (45, 43, 0),
        ("Keith", "Drop in, no need to book"): (2, 2, 0),
        # 3 + 7 searches, 1 + 2 found nothing; both Elgin groups.
        ("Elgin", "No format chosen"): (10, 3, 2),
        ("No area chosen", "Drop in, no need to book"): (4, 0, 2),
        ("Online", "No format chosen"): (2, 0, 1),
    }


def test_the_biggest_gaps_come_first(directory, counted):
    topics, _ = demand_report(START, END)
    assert [c.summary for c in topics.gaps] == [
        "Anxiety in Keith: 45 searches, 43 found nothing, 0 groups listed",
        "Keith, no topic chosen: 2 searches, 2 found nothing, 0 groups listed",
        "Elgin, no topic chosen: 7 searches, 2 found nothing, 2 groups listed",
        "Loneliness in Keith: 3 searches, 1 found nothing, 0 groups listed",
        "Anxiety in Elgin: 3 searches, 1 found nothing, 1 group listed",
    ]


def test_moderators_see_the_report_for_the_dates_they_choose(client, directory, counted):
    client.force_login(ModeratorFactory())
    response = client.get(URL, {"start": START.isoformat(), "end": END.isoformat()})
    assert response.status_code == 200
    assert "Anxiety in Keith: 45 searches, 43 found nothing, 0 groups listed" in response.text
    assert (response.context["start"], response.context["end"]) == (START, END)
    narrower = client.get(URL, {"start": START.isoformat(), "end": START.isoformat()})
    assert "Anxiety in Keith: 41 searches, 41 found nothing, 0 groups listed" in narrower.text


def test_without_dates_it_shows_the_last_12_weeks(client):
    client.force_login(ModeratorFactory())
    response = client.get(URL)
    start, end = response.context["start"], response.context["end"]
    assert end - start == datetime.timedelta(days=83)
    assert "No searches chose an area or a topic in these dates." in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"start": "yesterday"},
        {"start": "2025-02-30"},
        {"end": "99999-01-01"},
        {"start": "0001-01-01", "end": "0001-01-02"},
        {"end": "0001-01-02"},
        {"start": "2025-03-30", "end": "2025-03-01"},
        {"start": "\x00"},
    ],
)
def test_bad_dates_give_a_plain_message_never_an_error(client, query):
    client.force_login(ModeratorFactory())
    response = client.get(URL, query)
    assert response.status_code == 200
    csv_response = client.get("/moderation/demand.csv", query)
    assert csv_response.status_code == 200


def test_a_start_after_the_end_is_explained(client):
    client.force_login(ModeratorFactory())
    response = client.get(URL, {"start": "2025-03-30", "end": "2025-03-01"})
    assert "The start date is after the end date." in response.text


def test_the_csv_has_the_same_numbers(client, directory, counted):
    client.force_login(ModeratorFactory())
    response = client.get("/moderation/demand.csv", {"start": START, "end": END})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="demand-2025-03-03-to-2025-03-30.csv"' in response["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    # 8 area-topic cells, 5 area-format cells, 6 searches that found nothing.
    assert [r["pair"] for r in table].count("whole-search") == 6
    assert len(table) == 8 + 5 + 6
    keith_anxiety = next(
        r for r in table if r["area"] == "Keith" and r["topic_or_format"] == "Anxiety"
    )
    assert keith_anxiety == {
        "pair": "area-topic",
        "area": "Keith",
        "topic_or_format": "Anxiety",
        "searches": "45",
        "found_nothing": "43",
        "groups": "0",
    }


def test_names_cannot_become_spreadsheet_formulas(client):
    AreaFactory(name="=HYPERLINK(1)", slug="sneaky")
    DailyCount.objects.create(day=timezone.localdate(), metric="search", key="area=sneaky", count=1)
    client.force_login(ModeratorFactory())
    response = client.get("/moderation/demand.csv")
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_organisers_are_refused(client):
    client.force_login(MembershipFactory().user)
    assert client.get(URL).status_code == 403
    assert client.get("/moderation/demand.csv").status_code == 403


def test_its_queries_grow_only_with_the_number_of_areas_searched(
    client, directory, counted, django_assert_max_num_queries
):
    client.force_login(ModeratorFactory())
    # Sign-in checks, the counts, names, and one query per area searched (3 here) for the
    # groups listed there, by the public search's own rules: 15; 3 to save the session (in a
    # savepoint), which restarts its idle clock; and for each of the 6 searches that found
    # nothing (at most WHOLE_SEARCHES_SHOWN), its choices' names and its groups today.
    with django_assert_max_num_queries(18 + 6 * 2):
        client.get(URL, {"start": START.isoformat(), "end": END.isoformat()})


def test_the_moderation_page_links_to_it(client):
    client.force_login(ModeratorFactory())
    assert 'href="/moderation/demand/"' in client.get("/moderation/").text


@pytest.fixture
def dads_searched():
    """Searches for dads' groups, which the area tables can only count under "no topic"."""
    for key, searches in (("area=keith;audience=dads", 6), ("area=elgin;audience=dads", 1)):
        DailyCount.objects.create(day=START, metric="search", key=key, count=searches)
        DailyCount.objects.create(day=START, metric="search_empty", key=key, count=searches)


def test_searches_that_found_nothing_keep_every_choice_they_made(directory, counted, dads_searched):
    found = [(w.label, w.searches, w.found_nothing, w.groups) for w in whole_searches(START, END)]
    assert found == [
        ("Keith · Anxiety", 41, 41, 0),
        ("Today", 9, 9, 0),
        ("Keith · Dads", 6, 6, 0),
        ("Keith · Drop in, no need to book · Evenings", 2, 2, 0),
        ("Elgin", 7, 2, 2),
        # No Elgin group is for dads: the same choices find none today.
        ("Elgin · Dads", 1, 1, 0),
        ("Keith · Anxiety · and words typed", 1, 1, 0),
        ("Elgin · Keith · Anxiety · Loneliness", 3, 1, 2),
    ]


def test_the_report_page_and_its_csv_show_the_whole_searches(
    client, directory, counted, dads_searched
):
    client.force_login(ModeratorFactory())
    dates = {"start": START.isoformat(), "end": END.isoformat()}
    page = client.get(URL, dates).text
    assert "Searches that found nothing, as they were asked" in page
    assert "Keith · Dads" in page
    rows_in_csv = list(csv.reader(io.StringIO(client.get("/moderation/demand.csv", dates).text)))
    assert ["whole-search", "", "Keith · Dads", "6", "6", "0"] in rows_in_csv


def test_a_search_with_a_choice_no_longer_offered_is_left_out_of_the_whole_searches(directory):
    DailyCount.objects.create(
        day=START, metric="search", key="area=retired-area;audience=dads", count=4
    )
    DailyCount.objects.create(
        day=START, metric="search_empty", key="area=retired-area;audience=dads", count=4
    )
    assert whole_searches(START, END) == []
