import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import Organisation
from directory.models import Group
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    ScheduleFactory,
    TopicFactory,
    VenueFactory,
    group_with_schedule,
    online_group,
)

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
    online_group(name="Evening Video Chat")
    group_with_schedule(name="Hall Meetup")
    response = client.get("/?area=online")
    assert "Evening Video Chat" in response.text
    assert "Hall Meetup" not in response.text


def test_it_searches_name_and_venue_town(client):
    group_with_schedule(name="Dads Den")
    other = group_with_schedule(name="Baby Natter")
    schedule = other.schedules.get()
    schedule.venue = VenueFactory(town="Lossiemouth", area=AreaFactory(name="Lossie"))
    schedule.save()
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


def test_it_suggests_wider_searches_that_would_find_something(client):
    elgin = AreaFactory(name="Elgin")
    keith = AreaFactory(name="Keith")
    keith.nearby.add(elgin)
    AreaFactory(name="Online", is_online=True)
    anxiety = TopicFactory(name="Anxiety")
    group_with_schedule(name="Elgin group").topics.add(anxiety)
    group_with_schedule(name="Elgin other group")
    group_with_schedule(name="Phone group", phone=True, schedule_kwargs={"venue": None})
    response = client.get("/?area=keith&topic=anxiety")
    assert "0 groups" in response.text
    assert "We couldn't find a group for all of those choices." in response.text
    suggestions = {s["label"]: s["count"] for s in response.context["suggestions"]}
    assert suggestions == {
        "Without “Keith”": 1,
        "Also in nearby Elgin": 1,
    }
    assert 'href="?topic=anxiety">Without “Keith”</a> (1 group)' in response.text
    assert 'href="?area=keith&amp;area=elgin&amp;topic=anxiety"' in response.text


def test_it_suggests_online_groups_when_they_would_match(client):
    AreaFactory(name="Keith")
    AreaFactory(name="Online", is_online=True)
    group_with_schedule(name="Phone group", phone=True, schedule_kwargs={"venue": None})
    response = client.get("/?area=keith")
    suggestions = [(s["label"], s["count"]) for s in response.context["suggestions"]]
    assert ("Also groups online or by phone", 1) in suggestions


def test_a_search_that_finds_nothing_offers_all_groups_but_no_without_link_to_them(client):
    # "Without “zzzz”" would only have listed every group again, under another name.
    group_with_schedule(name="Baby Natter")
    response = client.get("/?q=zzzz")
    assert response.context["suggestions"] == []
    assert '<a href="?">All groups across Moray</a>' in response.text


def test_with_no_groups_at_all_it_says_so_plainly(client):
    response = client.get("/")
    assert "No groups are listed just now." in response.text
    assert response.context["suggestions"] == []


def test_it_says_plainly_when_a_filter_value_is_not_recognised(client):
    response = client.get("/?area=atlantis")
    assert "We didn't recognise some of the choices for Area" in response.text


def test_an_unknown_value_does_not_throw_away_the_known_ones(client):
    AreaFactory(name="Forres")
    group_with_schedule(
        name="Forres Calm Parents",
        schedule_kwargs={"venue": VenueFactory(area=AreaFactory(name="Forres"), town="Forres")},
    )
    group_with_schedule(name="Elgin Natter")
    response = client.get("/?area=forres&area=atlantis&format=teleport&format=drop-in")
    assert "Forres Calm Parents" in response.text
    assert "Elgin Natter" not in response.text
    assert "didn't recognise some of the choices for Area, How it runs" in response.text


EVERY_FILTER = (
    "q=natter&area=elgin&format=drop-in&format=in-person&topic=anxiety&audience=dads"
    "&practical=step-free&practical=free&when=week&when=morning"
)


def test_list_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    elgin = AreaFactory(name="Elgin")
    anxiety, dads = TopicFactory(name="Anxiety"), AudienceFactory(name="Dads")

    def add_groups(count):
        for _ in range(count):
            group = group_with_schedule(
                name="Natter", schedule_kwargs={"venue": VenueFactory(area=elgin, step_free=True)}
            )
            group.topics.add(anxiety)
            group.audiences.add(dads)

    add_groups(3)
    # The terms read once (5), the list (4, with the cards' topics), the choices' counts (one
    # query for the filters a choice leaves alone, one for each filter it changes: 4).
    with django_assert_max_num_queries(14) as few:
        assert len(client.get(f"/?{EVERY_FILTER}").context["groups"]) == 3
    add_groups(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"/?{EVERY_FILTER}").context["groups"]) == 18


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


def names_found(client, query):
    return {group.name for group in client.get(f"/?{query}").context["groups"]}


def test_choices_within_a_filter_are_alternatives(client):
    forres, keith = AreaFactory(name="Forres"), AreaFactory(name="Keith")
    for area in (forres, keith):
        group_with_schedule(
            name=f"{area.name} group", schedule_kwargs={"venue": VenueFactory(area=area)}
        )
    group_with_schedule(name="Elgin group")
    assert names_found(client, "area=forres&area=keith") == {"Forres group", "Keith group"}


def test_different_filters_must_all_hold(client):
    forres = AreaFactory(name="Forres")
    anxiety = TopicFactory(name="Anxiety")
    both = group_with_schedule(name="Both", schedule_kwargs={"venue": VenueFactory(area=forres)})
    both.topics.add(anxiety)
    group_with_schedule(name="Place only", schedule_kwargs={"venue": VenueFactory(area=forres)})
    group_with_schedule(name="Topic only").topics.add(anxiety)
    assert names_found(client, "area=forres&topic=anxiety") == {"Both"}


def test_formats_of_one_kind_are_alternatives_and_kinds_must_all_hold(client):
    group_with_schedule(name="Hall drop-in", in_person=True, drop_in=True)
    group_with_schedule(name="Video drop-in", in_person=False, online=True, drop_in=True)
    group_with_schedule(name="Hall booking", in_person=True, drop_in=False)
    group_with_schedule(name="Hall 1-2-1", in_person=True, drop_in=True, one_to_one=True)
    assert names_found(client, "format=in-person&format=online") == {
        "Hall drop-in",
        "Video drop-in",
        "Hall booking",
        "Hall 1-2-1",
    }
    assert names_found(client, "format=online&format=drop-in") == {"Video drop-in"}
    assert names_found(client, "format=drop-in&format=one-to-one") == {"Hall 1-2-1"}
    assert names_found(client, "format=drop-in&format=booking") == {
        "Hall drop-in",
        "Video drop-in",
        "Hall booking",
        "Hall 1-2-1",
    }


def test_practical_needs_must_all_be_met_at_one_venue(client):
    group_with_schedule(
        name="Step-free with parking",
        schedule_kwargs={"venue": VenueFactory(step_free=True, parking=True)},
    )
    split = group_with_schedule(
        name="Split across two halls", schedule_kwargs={"venue": VenueFactory(step_free=True)}
    )
    ScheduleFactory(group=split, venue=VenueFactory(parking=True))
    group_with_schedule(name="Free creche", creche=True, is_free=True)
    group_with_schedule(name="Paid creche", creche=True, is_free=False)
    assert names_found(client, "practical=step-free&practical=parking") == {
        "Step-free with parking"
    }
    assert names_found(client, "practical=creche&practical=free") == {"Free creche"}


def test_it_filters_by_who_the_group_is_for(client):
    dads = AudienceFactory(name="Dads")
    group_with_schedule(name="Dads Den").audiences.add(dads)
    group_with_schedule(name="Bump Club")
    assert names_found(client, "audience=dads") == {"Dads Den"}


def test_every_word_searched_must_match_somewhere(client):
    forres = AreaFactory(name="Forres")
    group_with_schedule(
        name="Dads Den", schedule_kwargs={"venue": VenueFactory(area=forres, town="Forres")}
    )
    group_with_schedule(name="Dads Elgin")
    group_with_schedule(name="Forres Bumps", schedule_kwargs={"venue": VenueFactory(area=forres)})
    assert names_found(client, "q=dads+forres") == {"Dads Den"}
    assert names_found(client, "q=DADS") == {"Dads Den", "Dads Elgin"}


def test_search_finds_topics_and_areas_by_name(client):
    speyside = AreaFactory(name="Speyside")
    group_with_schedule(
        name="Aberlour Natter",
        schedule_kwargs={"venue": VenueFactory(area=speyside, town="Aberlour")},
    )
    group_with_schedule(name="Worry Less").topics.add(TopicFactory(name="Anxiety"))
    assert names_found(client, "q=speyside") == {"Aberlour Natter"}
    assert names_found(client, "q=anxiety") == {"Worry Less"}


def test_the_filtered_list_is_shareable_and_shows_the_choices(client):
    AreaFactory(name="Forres")
    response = client.get("/?area=forres&format=drop-in")
    assert '<a href="?format=drop-in" aria-label="Remove Forres">' in response.text

    assert re.search(
        r'<input type="checkbox" name="area" value="forres"[^>]* checked>', response.text
    )


def test_when_this_week_keeps_groups_meeting_in_the_next_7_days(client):
    soon = timezone.localdate() + datetime.timedelta(days=7)
    later = timezone.localdate() + datetime.timedelta(days=8)
    group_with_schedule(
        name="Seventh Day", schedule_kwargs={"weekday": soon.weekday(), "starts_on": soon}
    )
    group_with_schedule(
        name="Eighth Day", schedule_kwargs={"weekday": later.weekday(), "starts_on": later}
    )
    assert names_found(client, "when=week") == {"Seventh Day"}


def test_when_weekends_and_mornings_must_both_hold(client):
    saturday, tuesday = 5, 1
    group_with_schedule(name="Saturday Morning", schedule_kwargs={"weekday": saturday})
    group_with_schedule(
        name="Saturday Evening",
        schedule_kwargs={
            "weekday": saturday,
            "start_time": datetime.time(18),
            "end_time": datetime.time(19),
        },
    )
    group_with_schedule(name="Tuesday Morning", schedule_kwargs={"weekday": tuesday})
    assert names_found(client, "when=weekend&when=morning") == {"Saturday Morning"}
    assert names_found(client, "when=weekend") == {"Saturday Morning", "Saturday Evening"}


def test_every_filter_choice_says_how_many_groups_it_finds(client):
    forres, elgin = AreaFactory(name="Forres"), AreaFactory(name="Elgin")
    anxiety = TopicFactory(name="Anxiety")
    for name in ("Forres One", "Forres Two"):
        group = group_with_schedule(
            name=name, schedule_kwargs={"venue": VenueFactory(area=forres, town="Forres")}
        )
        group.topics.add(anxiety)
    group_with_schedule(name="Elgin One", schedule_kwargs={"venue": VenueFactory(area=elgin)})
    text = client.get("/").text
    assert re.search(r'value="forres"[^>]*> Forres \(2\)</label>', text)
    assert re.search(r'value="elgin"[^>]*> Elgin \(1\)</label>', text)
    assert re.search(r'value="anxiety"[^>]*> Anxiety \(2\)</label>', text)
    assert re.search(r'value="in-person"[^>]*> In person \(3\)</label>', text)


def test_whats_on_filters_show_no_group_counts(client):
    AreaFactory(name="Forres")
    group_with_schedule()
    text = client.get("/whats-on/").text
    assert re.search(r'value="forres"[^>]*> Forres</label>', text)


def test_a_result_that_may_be_out_of_date_says_so(client):
    group_with_schedule(name="Not Checked Lately", last_confirmed=None)
    group_with_schedule(name="Checked This Week")
    text = client.get("/").text
    card = text[text.index("Not Checked Lately") :]
    assert "This listing may be out of date" in card[: card.index("</article>")]
    fresh = text[text.index("Checked This Week") :]
    assert "may be out of date" not in fresh[: fresh.index("</article>")]
