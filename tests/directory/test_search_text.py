"""What a search looks in stays up to date whichever part of it changes (directory.search)."""

import pytest

from directory import search
from directory.models import Group
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    TopicFactory,
    VenueFactory,
    group_with_schedule,
)

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


def test_audiences_added_removed_or_deleted_change_what_finds_it(group):
    dads = AudienceFactory(name="Dads")
    group.audiences.add(dads)
    assert found("dads") == ["Tea and Talk"]
    group.audiences.remove(dads)
    assert found("dads") == []
    group.audiences.set([dads])
    assert found("dads") == ["Tea and Talk"]
    dads.delete()
    assert found("tea") == ["Tea and Talk"]
    assert "=audience" not in Group.objects.get(pk=group.pk).search_marks


def test_a_group_is_found_by_the_area_of_a_venue_moved_to_another_area(group):
    forres = AreaFactory(name="Forres")
    assert found("forres") == []
    venue = group.schedules.get().venue
    keith = venue.area
    venue.area = forres
    venue.save()
    assert found("forres") == ["Tea and Talk"]
    marks = Group.objects.get(pk=group.pk).search_marks
    assert search.mark("area", forres.pk) in marks
    assert search.mark("area", keith.pk) not in marks


def test_a_group_starting_to_meet_online_is_found_by_the_online_area(group):
    AreaFactory(name="Online and phone", slug="online", is_online=True)
    assert found("online and phone") == []
    group.phone = True
    group.save(update_fields=["phone", "updated"])
    assert found("online and phone") == ["Tea and Talk"]


def test_an_area_made_to_stand_for_online_groups_finds_them_by_its_name(group):
    from tests.factories import online_group

    anywhere = AreaFactory(name="Anywhere")
    online_group(name="Evening Chat")
    assert found("anywhere") == []
    anywhere.is_online = True
    anywhere.save()
    assert found("anywhere") == ["Evening Chat"]


def test_a_mark_written_into_a_listing_does_not_give_it_a_topic(group):
    anxiety = TopicFactory(name="Anxiety")
    group.description = f"Not about {search.mark('topic', anxiety.pk)} at all."
    group.save()
    assert found("anxiety") == []


def test_a_mark_cannot_be_typed(group):
    loneliness = group.topics.get()
    for typed in (search.mark("topic", loneliness.pk), f"topic{loneliness.pk}", "topic", "area"):
        assert found(typed) == [], typed


def test_the_migration_gives_existing_groups_the_marks_a_save_would(group):
    from importlib import import_module
    from types import SimpleNamespace

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = import_module("directory.migrations.0018_search_marks")
    # The models as they stood at 0018, as the migration is given them.
    apps = (
        MigrationExecutor(connection).loader.project_state(("directory", "0018_search_marks")).apps
    )
    group.audiences.add(AudienceFactory(name="Dads"))
    saved = Group.objects.get(pk=group.pk).search_marks
    Group.objects.filter(pk=group.pk).update(search_marks="", search_vector=None)
    assert found("dads") == []

    def execute(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    migration.add_marks(apps, SimpleNamespace(connection=connection, execute=execute))
    assert Group.objects.get(pk=group.pk).search_marks == saved
    assert found("dads keith") == ["Tea and Talk"]
