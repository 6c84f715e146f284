"""The number beside each filter choice is how many groups she would see by ticking it, the
other choices as they are: choices within one filter are alternatives, different filters
must all hold (directory.filters)."""

import datetime
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.filters import QUICK_COMBINATIONS, query_adding
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    TopicFactory,
    VenueFactory,
    group_with_schedule,
    online_group,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moray(settings):
    """Groups in Forres and Elgin, about anxiety or loneliness, some drop in, some free,
    some meeting within the week and some only later; one online. Each page made afresh."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    forres, elgin = AreaFactory(name="Forres"), AreaFactory(name="Elgin")
    AreaFactory(name="Online", is_online=True)
    anxiety, loneliness = TopicFactory(name="Anxiety"), TopicFactory(name="Loneliness")
    dads = AudienceFactory(name="Dads")
    today = timezone.localdate()

    def group(name, area, topics, days_ahead=2, step_free=False, **fields):
        made = group_with_schedule(
            name=name,
            schedule_kwargs={
                "venue": VenueFactory(area=area, town=area.name, step_free=step_free),
                "weekday": (today + datetime.timedelta(days=days_ahead)).weekday(),
                "starts_on": today + datetime.timedelta(days=days_ahead - 7 * (days_ahead < 7)),
            },
            **fields,
        )
        made.topics.add(*topics)
        return made

    group("Forres Calm", forres, [anxiety], step_free=True)
    group("Forres Worry Cafe", forres, [anxiety, loneliness], is_free=False)
    group("Forres Course", forres, [anxiety], drop_in=False, days_ahead=20)
    group("Forres Cuppa", forres, [loneliness], step_free=True)
    group("Elgin Natter", elgin, [loneliness], children_welcome=False)
    group("Elgin Worry Cafe", elgin, [anxiety]).audiences.add(dads)
    online_group(name="Video Chat").topics.add(anxiety)


def listed(client, query_string):
    return client.get(f"/?{query_string}").context["page"].paginator.count


def counts_for(client, query_string):
    return client.get(f"/?{query_string}").context["option_counts"]


def test_after_choosing_an_area_each_topic_counts_that_areas_groups(client, moray):
    counts = counts_for(client, "area=forres")
    assert counts["topic"] == {"anxiety": 3, "loneliness": 2}
    assert counts["format"]["drop-in"] == 3
    assert counts["audience"] == {"dads": 0}


def test_another_choice_in_the_same_filter_counts_as_an_alternative(client, moray):
    counts = counts_for(client, "area=forres")
    # Forres or Elgin, or online: never zero because Forres is already ticked.
    assert counts["area"] == {"forres": 4, "elgin": 6, "online": 5}
    counts = counts_for(client, "area=forres&topic=anxiety")
    assert counts["topic"] == {"anxiety": 3, "loneliness": 4}
    assert counts["area"]["elgin"] == 4


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "area=forres",
        "area=forres&topic=anxiety",
        "area=forres&area=online&topic=loneliness",
        "format=drop-in&format=online&practical=step-free",
        "practical=free&when=week",
        "when=week&when=morning&area=elgin",
        "audience=dads",
    ],
)
def test_every_count_is_what_its_link_lists(client, moray, query_string):
    """Each choice's count against the list its own address gives, also a choice already
    ticked (what is listed now) and the one-tap combinations."""
    counts = counts_for(client, query_string)
    query = QueryDict(query_string)
    compared = 0
    for name, by_value in counts.items():
        for value, count in by_value.items():
            adds = QUICK_COMBINATIONS[value][1] if name == "quick" else {name: [value]}
            assert count == listed(client, query_adding(query, adds)), (name, value)
            compared += 1
    assert compared == 3 + 6 + 2 + 1 + 8 + 6 + 1  # areas, formats, topics, audiences, ...
    assert any(count for by_value in counts.values() for count in by_value.values())


def test_the_counts_for_one_set_of_choices_are_not_shown_for_another(client, moray):
    assert counts_for(client, "area=forres")["topic"]["loneliness"] == 2
    assert counts_for(client, "area=elgin")["topic"]["loneliness"] == 1
    assert counts_for(client, "area=forres")["topic"]["loneliness"] == 2  # from the cache


def test_the_same_choices_in_another_order_share_their_counts(client, moray):
    client.get("/?area=forres&topic=anxiety")
    with CaptureQueriesContext(connection) as queries:
        counts = counts_for(client, "topic=anxiety&area=forres&page=1")
    assert counts["area"]["elgin"] == 4
    assert not [q for q in queries.captured_queries if '"option_' in q["sql"]]


def test_a_page_counts_its_choices_once_in_a_query_a_filter_chosen(client, moray):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/?area=forres&topic=anxiety")
    assert response.context["narrowing"]  # which reads the counts again
    counting = [q for q in queries.captured_queries if '"option_' in q["sql"]]
    # The filters with nothing chosen (and the choices made), then the other areas, then
    # the other topics.
    assert len(counting) == 3


def test_a_search_shows_no_counts(client, moray):
    """What a parent types is never kept, and counting every choice afresh for each search
    made a search page four times as slow: a search shows its choices without numbers."""
    response = client.get("/?q=cafe&area=forres")
    assert response.context["option_counts"] == {}
    assert not response.context["narrowing"]
    assert re.search(r'value="elgin"[^>]*> Elgin</label>', response.text)


def test_babies_welcome_lists_and_counts_only_groups_that_meet_in_the_room(client, moray):
    response = client.get("/?practical=children-welcome")
    names = [group.name for group in response.context["page"].object_list]
    assert "Video Chat" not in names  # it welcomes children, but never meets in person
    assert "Forres Calm" in names
    assert response.context["option_counts"]["practical"]["children-welcome"] == len(names)


def test_within_a_distance_the_choices_promise_no_counts(client, moray):
    response = client.get("/?near=57.61,-3.62&within=5&area=forres")
    assert response.context["option_counts"] == {}
    assert not response.context.get("narrowing")
