"""No lost edits: when two people edit the same listing at once, the second save never
silently overwrites the first."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from directory.manage.conflicts import EditConflict, save_if_unchanged
from directory.manage.forms import GroupForm
from directory.models import Group
from tests.accounts.organiser_world import make_world
from tests.directory.manage.test_groups import group_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def opened_form_data(client, group):
    """What an editor's browser would send back: the form as it was when they opened it."""
    form = client.get(reverse("group_edit", args=[group.pk])).context["form"]
    data = group_data(**{name: None for name in ("in_person", "drop_in", "children_welcome")})
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def test_the_second_of_two_overlapping_edits_is_shown_the_first_ones_changes(
    client, django_user_model, world
):
    from django.test import Client

    first, second = client, Client()
    first.force_login(world.admin)
    second.force_login(world.editor)
    url = reverse("group_edit", args=[world.group.pk])
    first_data = opened_form_data(first, world.group)
    second_data = opened_form_data(second, world.group)

    first_data["summary"] = "Now with a creche on Tuesdays."
    assert first.post(url, first_data).status_code == 302

    second_data["name"] = "Cuppa, Chat and Cake"
    second_data["summary"] = "A cake-fuelled drop-in."
    response = second.post(url, second_data)

    assert response.status_code == 409
    world.group.refresh_from_db()
    assert world.group.summary == "Now with a creche on Tuesdays."  # the first save stands
    assert world.group.name == "Cuppa and Chat Elgin"  # the second one is not saved yet
    assert "Someone else changed this group" in response.text
    clash = {c.name: c for c in response.context["conflict"].fields}
    assert set(clash) == {"summary"}
    assert clash["summary"].theirs == "Now with a creche on Tuesdays."
    assert clash["summary"].yours == "A cake-fuelled drop-in."
    assert clash["summary"].both_changed

    # The re-shown form holds their changes and yours, at the new version.
    form = response.context["form"]
    assert form["name"].value() == "Cuppa, Chat and Cake"
    assert form["summary"].value() == "A cake-fuelled drop-in."
    assert form["version"].value() == world.group.version


def test_keeping_yours_after_a_clash_saves_with_their_other_changes_kept(client, world):
    from django.test import Client

    other = Client()
    other.force_login(world.admin)
    client.force_login(world.editor)
    url = reverse("group_edit", args=[world.group.pk])
    theirs = opened_form_data(other, world.group)
    mine = opened_form_data(client, world.group)

    theirs["cost"] = "£2 for tea and cake"
    theirs["is_free"] = ""
    other.post(url, {k: v for k, v in theirs.items() if v != ""})
    mine["name"] = "Cuppa, Chat and Cake"
    clash = client.post(url, mine)
    assert clash.status_code == 409
    assert {c.name for c in clash.context["conflict"].fields} == {"cost", "is_free"}
    assert not any(c.both_changed for c in clash.context["conflict"].fields)

    merged = opened_form_data_from(clash.context["form"])
    response = client.post(url, merged)
    assert response.status_code == 302
    world.group.refresh_from_db()
    assert world.group.name == "Cuppa, Chat and Cake"
    assert world.group.cost == "£2 for tea and cake"
    assert world.group.is_free is False


def opened_form_data_from(form):
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def test_a_stale_version_changing_nothing_they_changed_saves_quietly(world):
    """Someone pressing "Still correct" meanwhile changes no field of the form."""
    opened = world.group.version
    form = GroupForm(group_data(version=opened, name="New name"), instance=world.group)
    assert form.is_valid(), form.errors
    Group.objects.filter(pk=world.group.pk).update(version=opened + 1)
    saved = save_if_unchanged(form)
    assert saved.name == "New name"
    assert Group.objects.get(pk=world.group.pk).version == opened + 2


def test_a_clash_on_a_venue_is_caught_too(client, world):
    from django.test import Client

    other = Client()
    other.force_login(world.admin)
    client.force_login(world.editor)
    url = reverse("venue_edit", args=[world.venue.pk])
    theirs = opened_form_data_from(other.get(url).context["form"])
    mine = opened_form_data_from(client.get(url).context["form"])
    theirs["postcode"] = "IV30 9ZZ"
    assert other.post(url, theirs).status_code == 302
    mine["postcode"] = "IV30 1BB"
    response = client.post(url, mine)
    assert response.status_code == 409
    world.venue.refresh_from_db()
    assert world.venue.postcode == "IV30 9ZZ"
    assert "Someone else changed this venue" in response.text


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_saves_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time, so saves cannot overlap there")
    world = make_world()
    barrier = threading.Barrier(2)
    outcomes = []

    def save(name):
        from django.db import connection as thread_connection

        try:
            group = Group.objects.get(pk=world.group.pk)
            form = GroupForm(group_data(version=group.version, name=name), instance=group)
            assert form.is_valid()
            barrier.wait()
            save_if_unchanged(form)
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Group.objects.get(pk=world.group.pk).version == 2
