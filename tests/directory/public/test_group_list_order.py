"""The list in the order that is true right now: by each group's real next session at the
moment of the request, then the services parents arrange."""

import datetime

import pytest
from django.utils import timezone

from directory.models import Group
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).weekday()


def names_in_order(text, *names):
    return sorted(names, key=text.index)


def test_a_group_whose_stored_next_session_has_passed_sorts_by_its_real_next_one(client):
    later = group_with_schedule(name="Later Group", schedule_kwargs={"weekday": in_days(5)})
    sooner = group_with_schedule(name="Sooner Group", schedule_kwargs={"weekday": in_days(3)})
    # This morning's session has been and gone; the nightly refresh has not run yet.
    Group.objects.filter(pk=later.pk).update(
        next_session_at=timezone.now() - datetime.timedelta(hours=2)
    )
    text = client.get("/").text
    assert names_in_order(text, "Later Group", "Sooner Group") == ["Sooner Group", "Later Group"]
    ordered = list(Group.objects.published().by_next_session().values_list("pk", flat=True))
    assert ordered == [sooner.pk, later.pk]


def test_the_stored_next_session_is_used_while_it_is_still_to_come(client):
    group = group_with_schedule(name="Steady Group", schedule_kwargs={"weekday": in_days(3)})
    found = Group.objects.published().by_next_session().get(pk=group.pk)
    assert found.next_at == group.sessions.upcoming().first().starts_at


def test_services_parents_arrange_come_after_the_groups_whatever_their_hours(client):
    group_with_schedule(
        name="Home Visits", booked_service=True, schedule_kwargs={"weekday": in_days(2)}
    )
    group_with_schedule(name="Weekly Natter", schedule_kwargs={"weekday": in_days(6)})
    text = client.get("/").text
    assert names_in_order(text, "Home Visits", "Weekly Natter") == ["Weekly Natter", "Home Visits"]


def test_a_service_parents_arrange_is_shown_as_one_not_as_a_session(client):
    group_with_schedule(
        name="Home Visits",
        booked_service=True,
        schedule_kwargs={"start_time": datetime.time(9, 30), "end_time": datetime.time(15)},
    )
    card = client.get("/").text.split("Home Visits", 1)[1].split("</article>", 1)[0]
    assert "A service you arrange" in card
    assert "9:30am–3:00pm" not in card
    page = client.get("/groups/home-visits/").text
    assert "A service you arrange, not a group to turn up to" in page
