""" "Is it still on?": the page a reminder email links to, with one button that confirms the
listing the same way "Still correct" does."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from directory.models import Group
from tests.accounts.organiser_world import make_world
from tests.conftest import LONDON

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)


@pytest.fixture
def world():
    with time_machine.travel(MORNING, tick=False):
        world = make_world()
        world.group.confirm(on=datetime.date(2026, 12, 6))
        yield world


def page(world):
    return reverse("group_still_on", args=[world.group.pk])


def say_yes(client, world):
    return client.post(reverse("group_confirm", args=[world.group.pk]), {"back": "still_on"})


def test_the_owner_sees_what_parents_see_the_deadline_and_one_button(client, world):
    client.force_login(world.admin)
    response = client.get(page(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Is Cuppa and Chat Elgin still on?" in html
    assert "Last checked 6 December 2026" in html
    assert "Please check it by 6 March 2027" in html
    assert "Elgin Community Centre" in html
    confirm_url = reverse("group_confirm", args=[world.group.pk])
    assert html.count(f'action="{confirm_url}"') == 1
    assert "Yes, it's all still on</button>" in html


def test_yes_records_the_check_as_still_correct_does_and_comes_back_here(client, world):
    Group.objects.filter(pk=world.group.pk).update(stale_reminders_sent=2)
    client.force_login(world.editor)
    response = say_yes(client, world)
    assert response.status_code == 302
    assert response.url == page(world)
    world.group.refresh_from_db()
    assert world.group.last_confirmed == datetime.date(2027, 3, 1)
    assert world.group.stale_reminders_sent == 0
    html = client.get(page(world)).content.decode()
    assert "Checked today" in html
    assert "until after 30 May 2027" in html
    assert "all still on</button>" not in html


def test_a_listing_past_its_date_says_parents_see_the_note_now(client, world):
    world.group.confirm(on=datetime.date(2026, 11, 1))
    client.force_login(world.admin)
    html = client.get(page(world)).content.decode()
    assert "Parents now see a note that it may be out of date." in html


def test_a_colleague_from_another_organisation_gets_not_found_and_cannot_confirm(client, world):
    client.force_login(world.stranger)
    assert client.get(page(world)).status_code == 404
    assert say_yes(client, world).status_code == 404
    world.group.refresh_from_db()
    assert world.group.last_confirmed == datetime.date(2026, 12, 6)


def test_someone_signed_out_is_asked_to_sign_in_first_and_comes_back(client, world):
    response = client.get(page(world))
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    assert response.url.endswith("?next=" + page(world))


def test_the_page_only_shows_the_button_never_confirms_on_a_visit(client, world):
    client.force_login(world.admin)
    client.get(page(world))
    world.group.refresh_from_db()
    assert world.group.last_confirmed == datetime.date(2026, 12, 6)
