import datetime

import pytest
from django.utils import timezone

from accounts.models import Organisation
from directory.models import Group
from tests.factories import AreaFactory, TopicFactory, VenueFactory, group_with_schedule

pytestmark = pytest.mark.django_db


def test_it_lists_published_groups_with_their_next_session(client):
    group = group_with_schedule(name="Bumps and Babies Elgin")
    response = client.get("/")
    assert response.status_code == 200
    assert "Bumps and Babies Elgin" in response.text
    next_session = group.sessions.upcoming().first()
    assert next_session.starts_at.strftime("%A") in response.text
    assert "1 group" in response.text


def test_it_hides_unpublished_groups_and_unapproved_organisations(client):
    group_with_schedule(name="Draft group", status=Group.Status.DRAFT)
    group_with_schedule(name="Paused group", status=Group.Status.PAUSED)
    group_with_schedule(name="Pending org group", organisation__status=Organisation.Status.PENDING)
    response = client.get("/")
    assert "Draft group" not in response.text
    assert "Paused group" not in response.text
    assert "Pending org group" not in response.text
    assert "0 groups" in response.text


def test_it_filters_by_area_and_topic_together(client):
    forres = AreaFactory(name="Forres")
    anxiety = TopicFactory(name="Anxiety")
    in_forres = group_with_schedule(
        name="Forres Calm Parents",
        schedule_kwargs={"venue": VenueFactory(area=forres, town="Forres")},
    )
    in_forres.topics.add(anxiety)
    group_with_schedule(name="Elgin Natter")
    response = client.get("/?area=forres&topic=anxiety")
    assert "Forres Calm Parents" in response.text
    assert "Elgin Natter" not in response.text


def test_online_area_finds_online_and_phone_groups(client):
    AreaFactory(name="Online", is_online=True)
    group_with_schedule(
        name="Evening Video Chat", online=True, in_person=False, schedule_kwargs={"venue": None}
    )
    group_with_schedule(name="Hall Meetup")
    response = client.get("/?area=online")
    assert "Evening Video Chat" in response.text
    assert "Hall Meetup" not in response.text


def test_it_searches_name_and_venue_town(client):
    group_with_schedule(name="Dads Den")
    other = group_with_schedule(name="Baby Natter")
    other.schedules.update(venue=VenueFactory(town="Lossiemouth", area=AreaFactory(name="Lossie")))
    assert "Dads Den" in client.get("/?q=dads").text
    response = client.get("/?q=lossiemouth")
    assert "Baby Natter" in response.text
    assert "Dads Den" not in response.text


def test_when_filter_keeps_evening_groups_only(client):
    group_with_schedule(
        name="Evening Circle",
        schedule_kwargs={"start_time": datetime.time(19, 0), "end_time": datetime.time(20, 30)},
    )
    group_with_schedule(name="Morning Cuppa")
    response = client.get("/?when=evening")
    assert "Evening Circle" in response.text
    assert "Morning Cuppa" not in response.text


def test_it_suggests_wider_searches_when_nothing_matches(client):
    elgin = AreaFactory(name="Elgin")
    keith = AreaFactory(name="Keith")
    keith.nearby.add(elgin)
    AreaFactory(name="Online", is_online=True)
    group_with_schedule(name="Elgin group")
    response = client.get("/?area=keith")
    assert "0 groups" in response.text
    assert "Also in nearby Elgin" in response.text
    assert "Groups online or by phone" in response.text
    assert "Without “Keith”" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "area=nowhere",
        "format=teleport",
        "when=yesterday&when=" + "x" * 5000,
        "page=999999999999",
        "page=-1",
        "page=abc",
        "q=" + "ä€😀" * 3000,
        "q=%00%01drop",
        "area=%00",
        "topic=%F0%9F%98%80",
        "q=' OR 1=1 --",
    ],
)
def test_bad_input_gives_a_normal_page(client, query):
    group_with_schedule()
    response = client.get(f"/?{query}")
    assert response.status_code == 200


def test_it_says_plainly_when_a_filter_value_is_not_recognised(client):
    response = client.get("/?area=atlantis")
    assert "didn't recognise" in response.text


def test_list_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for _ in range(3):
        group_with_schedule()
    with django_assert_max_num_queries(8) as few:
        client.get("/?format=drop-in&area=elgin")
    for _ in range(12):
        group_with_schedule()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/?format=drop-in&area=elgin")


def test_it_pages_long_lists(client):
    for n in range(25):
        group_with_schedule(name=f"Group {n:02d}")
    first = client.get("/")
    assert "Page 1 of 2" in first.text
    second = client.get("/?page=2")
    assert "Page 2 of 2" in second.text


def test_it_sets_no_cookie_for_a_visitor(client):
    group_with_schedule()
    response = client.get("/")
    assert response.cookies == {}


def test_soonest_session_comes_first(client):
    today = timezone.localdate()
    later = group_with_schedule(
        name="Later group",
        schedule_kwargs={"weekday": (today + datetime.timedelta(days=5)).weekday()},
    )
    sooner = group_with_schedule(
        name="Sooner group",
        schedule_kwargs={"weekday": (today + datetime.timedelta(days=1)).weekday()},
    )
    text = client.get("/").text
    assert text.index(sooner.name) < text.index(later.name)
