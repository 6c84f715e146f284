"""What a search looks in stays up to date whichever part of it changes (directory.search)."""

import pytest

from directory.models import Group
from tests.factories import AreaFactory, TopicFactory, VenueFactory, group_with_schedule

pytestmark = pytest.mark.django_db


def found(text):
    return sorted(Group.objects.published().search(text).values_list("name", flat=True))


@pytest.fixture
def group():
    keith = AreaFactory(name="Keith")
    venue = VenueFactory(name="Longmore Hall", town="Keith", area=keith)
    made = group_with_schedule(
        name="Tea and Talk", summary="A cuppa and a chat.", schedule_kwargs={"venue": venue}
    )
    made.topics.add(TopicFactory(name="Loneliness"))
    return made


def test_it_finds_a_group_by_every_part_of_its_text(group):
    for words in ("tea", "CUPPA", "lonel", "longmore", "keith", group.organisation.name):
        assert found(words) == ["Tea and Talk"], words
    assert found("tea keith") == ["Tea and Talk"]
    assert found("tea forres") == []


def test_a_renamed_group_is_found_by_its_new_name(group):
    group.name = "Coffee Morning"
    group.save()
    assert found("coffee") == ["Coffee Morning"]
    assert found("tea") == []


def test_a_renamed_organisation_venue_area_or_topic_is_found_by_its_new_name(group):
    organisation = group.organisation
    organisation.name = "Speyside Parents Network"
    organisation.save()
    venue = group.schedules.get().venue
    venue.name, venue.town = "Church Hall", "Newmill"
    venue.save()
    area = venue.area
    area.name = "Strathisla"
    area.save()
    topic = group.topics.get()
    topic.name = "Feeling alone"
    topic.save()
    for words in ("speyside", "church hall", "newmill", "strathisla", "alone"):
        assert found(words) == ["Tea and Talk"], words
    for words in ("longmore", "keith", "lonel"):
        assert found(words) == [], words


def test_topics_added_removed_cleared_or_deleted_change_what_finds_it(group):
    anxiety = TopicFactory(name="Anxiety")
    group.topics.add(anxiety)
    assert found("anxiety") == ["Tea and Talk"]
    group.topics.remove(anxiety)
    assert found("anxiety") == []
    group.topics.set([anxiety])
    assert found("anxiety") == ["Tea and Talk"]
    group.topics.clear()
    assert found("anxiety") == []
    group.topics.add(anxiety)
    anxiety.delete()
    assert found("anxiety") == []
    assert found("tea") == ["Tea and Talk"]


def test_a_group_no_longer_meeting_at_a_venue_is_not_found_by_it(group):
    group.schedules.get().delete()
    assert found("longmore") == []
    assert found("tea") == ["Tea and Talk"]


def test_unpublished_groups_stay_hidden_from_search(group):
    group.status = Group.Status.DRAFT
    group.save()
    assert found("tea") == []


def test_a_save_of_fields_a_search_does_not_show_leaves_the_text_alone(group, monkeypatch):
    from directory import search

    refreshed = []
    monkeypatch.setattr(search, "refresh", lambda groups: refreshed.append(list(groups)))
    group.confirm()  # "Still correct"
    group.status = Group.Status.PAUSED
    group.save(update_fields=["status", "updated"])
    organisation = group.organisation
    organisation.save(update_fields=["status", "decline_reason", "updated"])
    assert refreshed == []
    group.save(update_fields=["name", "updated"])
    assert len(refreshed) == 1
