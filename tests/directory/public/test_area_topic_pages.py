import pytest

from directory.models import Group
from tests.factories import (
    AreaFactory,
    TopicFactory,
    VenueFactory,
    group_with_schedule,
    online_group,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def forres(db):
    return AreaFactory(name="Forres", description="Forres, Kinloss and Findhorn")


def in_area(area, **kwargs):
    return group_with_schedule(
        schedule_kwargs={"venue": VenueFactory(area=area, town=area.name)}, **kwargs
    )


def test_an_area_page_lists_the_groups_meeting_there_with_their_next_session(client, forres):
    group = in_area(forres, name="Forres Calm Parents")
    group_with_schedule(name="Elgin Natter")
    in_area(forres, name="Forres Draft", status=Group.Status.DRAFT)
    response = client.get("/areas/forres/")
    assert response.status_code == 200
    text = response.text
    assert "Forres Calm Parents" in text
    assert "Elgin Natter" not in text
    assert "Forres Draft" not in text
    assert group.sessions.upcoming().first().starts_at.strftime("%A") in text
    assert "<title>Peer support for parents in Forres — Moray Peer Support</title>" in text
    assert "Forres, Kinloss and Findhorn" in text
    assert 'href="/?area=forres"' in text
    assert 'href="/areas/forres/poster/"' in text


def test_the_online_area_page_lists_online_and_phone_groups(client):
    AreaFactory(name="Online", is_online=True)
    online_group(name="Evening Video Chat")
    group_with_schedule(name="Hall Meetup")
    response = client.get("/areas/online/")
    assert "Peer support for parents online or by phone" in response.text
    assert "Evening Video Chat" in response.text
    assert "Hall Meetup" not in response.text


def test_an_area_page_links_to_the_other_areas(client, forres):
    AreaFactory(name="Keith")
    response = client.get("/areas/forres/")
    assert 'href="/areas/keith/"' in response.text
    assert 'href="/areas/forres/">' not in response.text


def test_a_topic_page_lists_the_groups_that_help_with_it(client):
    anxiety = TopicFactory(name="Anxiety", description="Worries that won't switch off.")
    helps = group_with_schedule(name="Calm Parents")
    helps.topics.add(anxiety)
    group_with_schedule(name="Feeding Friends")
    response = client.get("/topics/anxiety/")
    assert "Groups that can help with anxiety" in response.text
    assert "Calm Parents" in response.text
    assert "Feeding Friends" not in response.text
    assert (
        '<meta name="description" content="Worries that won&#x27;t switch off.">' in response.text
    )


def test_unknown_areas_and_topics_are_not_found(client):
    assert client.get("/areas/atlantis/").status_code == 404
    assert client.get("/topics/atlantis/").status_code == 404


def test_long_lists_are_paginated_and_odd_page_numbers_are_harmless(client, forres):
    for n in range(21):
        in_area(forres, name=f"Forres Group {n:02d}")
    assert "Page 1 of 2" in client.get("/areas/forres/").text
    assert "Page 2 of 2" in client.get("/areas/forres/?page=2").text
    for page in ("999", "-1", "x", "%00"):
        assert client.get(f"/areas/forres/?page={page}").status_code == 200


def test_page_queries_do_not_grow_with_the_groups(client, forres, django_assert_max_num_queries):
    in_area(forres)
    # The area, the groups and their next dates and topics, and (read once, then cached) the
    # filter terms that name the cards' topics and the demo check.
    with django_assert_max_num_queries(11) as one:
        client.get("/areas/forres/")
    for _ in range(5):
        in_area(forres)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/areas/forres/")


def test_area_and_topic_pages_set_no_cookie(client, forres):
    TopicFactory(name="Anxiety")
    assert client.get("/areas/forres/").cookies == {}
    assert client.get("/topics/anxiety/").cookies == {}
