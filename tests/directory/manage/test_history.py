"""Every change is kept: who changed what and when, and putting an earlier version back."""

import pytest
from django.urls import reverse

from directory.models import Cancellation, Group, Schedule
from tests.accounts.organiser_world import make_world
from tests.directory.manage.test_edit_conflicts import opened_form_data_from
from tests.factories import TopicFactory, group_with_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def edit_group(client, group, **changes):
    url = reverse("group_edit", args=[group.pk])
    data = opened_form_data_from(client.get(url).context["form"])
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    group.refresh_from_db()


def history_page(client, group):
    return client.get(reverse("group_history", args=[group.pk]))


def test_it_shows_who_changed_which_field_from_what_to_what(client, world):
    client.force_login(world.editor)
    edit_group(client, world.group, summary="Now on Fridays too.", drop_in="")
    client.force_login(world.admin)
    response = history_page(client, world.group)
    assert response.status_code == 200
    latest = response.context["entries"][0]
    assert latest.who == world.editor
    assert latest.summary == "changed the group's details"
    changes = {c.label: (c.before, c.after) for c in latest.changes}
    assert changes["Summary"] == (
        "A relaxed drop-in for parents and babies.",
        "Now on Fridays too.",
    )
    assert changes["Drop in, no need to book"] == ("Yes", "No")
    assert world.editor.email in response.text
    assert "Now on Fridays too." in response.text


def test_topics_changes_read_as_names(client, world):
    TopicFactory(name="Anxiety")
    loneliness = TopicFactory(name="Loneliness")
    client.force_login(world.admin)
    edit_group(client, world.group, topics=[loneliness.pk])
    latest = history_page(client, world.group).context["entries"][0]
    assert [(c.label, c.before, c.after) for c in latest.changes if c.label == "Topics"] == [
        ("Topics", "(none)", "Loneliness")
    ]


def test_changes_to_times_and_dates_are_in_the_groups_history(client, world):
    client.force_login(world.admin)
    client.post(
        reverse("date_cancel", args=[world.group.pk, world.session_dates[0].isoformat()]),
        {"note": "Poorly"},
    )
    client.post(reverse("schedule_delete", args=[world.group.pk, world.schedule.pk]))
    summaries = [e.summary for e in history_page(client, world.group).context["entries"]]
    day = world.session_dates[0]
    assert summaries[0].startswith("removed a regular time: Every")
    assert summaries[1] == f"cancelled {day:%A} {day.day} {day:%B %Y}"


def test_restoring_an_earlier_version_puts_the_details_and_topics_back(client, world):
    anxiety = TopicFactory(name="Anxiety")
    client.force_login(world.admin)
    edit_group(client, world.group, topics=[anxiety.pk])
    before = world.group.history.order_by("-history_date", "-history_id").first()
    edit_group(client, world.group, name="Renamed by mistake", topics=[])
    world.group.status = Group.Status.PAUSED
    world.group.save()

    entry = next(
        e for e in history_page(client, world.group).context["entries"] if e.record == before
    )
    assert entry.restorable
    response = client.post(
        reverse("group_restore", args=[world.group.pk, "group", before.history_id])
    )
    assert response["Location"] == reverse("group_history", args=[world.group.pk])
    world.group.refresh_from_db()
    assert world.group.name == "Cuppa and Chat Elgin"
    assert list(world.group.topics.all()) == [anxiety]
    # Restoring content never changes whether it's published: that is the moderators' and
    # the pause button's business.
    assert world.group.status == Group.Status.PAUSED
    latest = history_page(client, world.group).context["entries"][0]
    assert latest.restored


def test_restoring_bumps_the_version_so_open_edit_forms_see_a_clash(client, world):
    client.force_login(world.admin)
    first = world.group.history.earliest("history_date")
    version = world.group.version
    client.post(reverse("group_restore", args=[world.group.pk, "group", first.history_id]))
    world.group.refresh_from_db()
    assert world.group.version == version + 1


def test_a_removed_time_can_be_brought_back_with_its_sessions(client, world):
    client.force_login(world.admin)
    client.post(reverse("schedule_delete", args=[world.group.pk, world.schedule.pk]))
    assert not world.group.sessions.filter(schedule__isnull=False).exists()
    deleted = Schedule.history.filter(id=world.schedule.pk, history_type="-").get()
    entry = history_page(client, world.group).context["entries"][0]
    assert entry.record == deleted and entry.restore_label == "Bring this back"
    client.post(reverse("group_restore", args=[world.group.pk, "schedule", deleted.history_id]))
    assert Schedule.objects.filter(pk=world.schedule.pk).exists()
    assert world.group.sessions.upcoming().filter(schedule_id=world.schedule.pk).exists()


def test_an_undone_cancellation_can_be_cancelled_again(client, world):
    client.force_login(world.admin)
    client.post(reverse("cancellation_undo", args=[world.group.pk, world.cancellation.pk]))
    deleted = Cancellation.history.get(id=world.cancellation.pk, history_type="-")
    client.post(reverse("group_restore", args=[world.group.pk, "cancellation", deleted.history_id]))
    assert Cancellation.objects.filter(pk=world.cancellation.pk).exists()
    assert world.group.sessions.get(date=world.cancellation.date, schedule__isnull=False).cancelled


def test_the_current_version_has_no_restore_button(client, world):
    client.force_login(world.admin)
    edit_group(client, world.group, name="New name")
    entries = history_page(client, world.group).context["entries"]
    group_entries = [e for e in entries if e.kind.slug == "group"]
    assert not group_entries[0].restorable
    assert group_entries[1].restorable


def test_a_record_from_another_group_cannot_be_restored_through_this_one(client, world):
    other = group_with_schedule(organisation=world.organisation, name="Other group")
    record = other.history.earliest("history_date")
    client.force_login(world.admin)
    response = client.post(
        reverse("group_restore", args=[world.group.pk, "group", record.history_id])
    )
    assert response.status_code == 404
    other_schedule = other.schedules.get()
    record = other_schedule.history.earliest("history_date")
    response = client.post(
        reverse("group_restore", args=[world.group.pk, "schedule", record.history_id])
    )
    assert response.status_code == 404


def test_an_unknown_kind_is_not_found(client, world):
    client.force_login(world.admin)
    url = reverse("group_restore", args=[world.group.pk, "organisation", 1])
    assert client.post(url).status_code == 404


def test_a_moderator_may_read_the_history(client, world):
    client.force_login(world.moderator)
    assert history_page(client, world.group).status_code == 200


def test_the_history_page_query_count_does_not_grow_with_the_changes(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.admin)
    for n in range(8):
        edit_group(client, world.group, name=f"Name {n}")
        client.post(
            reverse("date_cancel", args=[world.group.pk, world.session_dates[n + 2].isoformat()]),
            {"note": f"Note {n}"},
        )
    with django_assert_max_num_queries(25):
        response = history_page(client, world.group)
    assert len(response.context["entries"]) > 16


def test_venue_history_shows_changes_and_restores(client, world):
    client.force_login(world.admin)
    url = reverse("venue_edit", args=[world.venue.pk])
    data = opened_form_data_from(client.get(url).context["form"])
    data["postcode"] = "IV30 9ZZ"
    client.post(url, data)
    response = client.get(reverse("venue_history", args=[world.venue.pk]))
    latest = response.context["entries"][0]
    assert [(c.label, c.before, c.after) for c in latest.changes] == [
        ("Postcode", "IV30 1AA", "IV30 9ZZ")
    ]
    first = world.venue.history.earliest("history_date")
    client.post(reverse("venue_restore", args=[world.venue.pk, first.history_id]))
    world.venue.refresh_from_db()
    assert world.venue.postcode == "IV30 1AA"


def test_one_edit_writes_one_record_topics_included(client, world):
    anxiety = TopicFactory(name="Anxiety")
    client.force_login(world.admin)
    count = world.group.history.count()
    edit_group(client, world.group, name="Renamed", topics=[anxiety.pk])
    assert world.group.history.count() == count + 1
    latest = world.group.history.order_by("-history_id").first()
    assert latest.name == "Renamed"
    assert list(latest.topics.values_list("topic_id", flat=True)) == [anxiety.pk]


def test_a_new_groups_first_record_holds_its_topics(client, world):
    from tests.directory.manage.test_groups import create

    anxiety = TopicFactory(name="Anxiety")
    client.force_login(world.admin)
    create(client, world, topics=[anxiety.pk])
    group = Group.objects.get(name="Bumps and Babies Forres")
    (record,) = group.history.all()
    assert record.history_type == "+"
    assert record.history_user == world.admin
    assert list(record.topics.values_list("topic_id", flat=True)) == [anxiety.pk]
    entries = history_page(client, group).context["entries"]
    assert [e.summary for e in entries] == ["created the group"]
