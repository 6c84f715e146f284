"""A service parents arrange, an online group and a filtered list are described as what they
are, wherever a family reads about them."""

import pytest

from directory.manage.forms import GroupForm
from tests.directory.public.test_shortlist import code_for, sms_body
from tests.factories import (
    AreaFactory,
    TopicFactory,
    VenueFactory,
    group_with_schedule,
    online_group,
)

pytestmark = pytest.mark.django_db


def home_visits():
    return group_with_schedule(
        name="Home Peer Support",
        booked_service=True,
        drop_in=False,
        one_to_one=True,
        contact_phone="01632 960003",
    )


def test_a_service_you_arrange_gives_no_session_times_on_the_shortlist_or_in_the_text(client):
    group = home_visits()
    response = client.get(f"/s/{code_for(group)}/")
    assert "A service you arrange" in response.text
    assert "Next:" not in response.text
    line = sms_body(response).splitlines()[1]
    assert line == (
        "1) Home Peer Support. A service you arrange: get in touch for a time. "
        "Book first: call 01632 960003"
    )


def test_a_service_you_arrange_gives_no_session_times_on_the_sheet(client):
    group = home_visits()
    text = client.get(f"/s/{code_for(group)}/print/").text
    assert "A service you arrange" in text
    assert "Next:" not in text


def test_an_organiser_cannot_list_a_service_they_arrange_as_a_drop_in():
    form = GroupForm(
        data={
            "version": 1,
            "name": "Home visits",
            "summary": "We come to you",
            "description": "A peer supporter visits.",
            "in_person": "on",
            "drop_in": "on",
            "booked_service": "on",
            "leadership": "peer",
            "focus": "parent",
            "is_free": "on",
        }
    )
    assert not form.is_valid()
    assert "not a drop-in" in form.errors["drop_in"][0]


def test_a_filtered_list_makes_no_promise_about_turning_up_with_babies(client):
    forres = AreaFactory(name="Forres")
    group_with_schedule(
        drop_in=False,
        children_welcome=False,
        schedule_kwargs={"venue": VenueFactory(area=forres)},
    )
    assert "babies welcome" in client.get("/").text
    assert "babies welcome" not in client.get("/?area=forres").text


def test_a_group_that_never_meets_in_person_says_nothing_of_bringing_babies(client):
    topic = TopicFactory(name="Loneliness")
    online = online_group(name="Evening Circle Online")
    online.topics.add(topic)
    text = client.get(f"/s/{code_for(online)}/").text
    assert "Babies and children come along" not in text
    assert "arrange childcare" not in text
    assert "Online" in text


def test_a_result_card_never_says_babies_welcome_for_a_group_that_never_meets(client):
    online = online_group(name="Evening Circle Online", children_welcome=True)
    in_the_room = group_with_schedule(name="Forres Cuppa", children_welcome=True)
    cards = client.get("/").text.split('class="card')
    online_card = next(card for card in cards if online.name in card)
    room_card = next(card for card in cards if in_the_room.name in card)
    assert "<span>Babies welcome</span>" not in online_card
    assert "<span>Babies welcome</span>" in room_card
