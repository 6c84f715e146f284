"""Where a group meets from today: one definition for every page, feed and file."""

import datetime

import pytest

from directory.models import Group, Schedule
from tests.factories import ExtraSessionFactory, GroupFactory, ScheduleFactory, VenueFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 10)  # a Wednesday


def test_it_lists_running_schedules_in_the_order_of_the_week_then_extra_dates():
    group = GroupFactory()
    hall, library, cafe, church = (
        VenueFactory(organisation=group.organisation, name=name)
        for name in ("Hall", "Library", "Cafe", "Church")
    )
    ScheduleFactory(group=group, venue=library, weekday=Schedule.Weekday.THURSDAY)
    ScheduleFactory(group=group, venue=hall, weekday=Schedule.Weekday.MONDAY)
    ScheduleFactory(group=group, venue=hall, weekday=Schedule.Weekday.FRIDAY)
    ScheduleFactory(group=group, venue=None, weekday=Schedule.Weekday.TUESDAY)
    ScheduleFactory(
        group=group,
        venue=cafe,
        weekday=Schedule.Weekday.MONDAY,
        ends_on=TODAY - datetime.timedelta(days=1),
    )
    ExtraSessionFactory(group=group, venue=church, date=TODAY + datetime.timedelta(days=4))
    ExtraSessionFactory(group=group, venue=cafe, date=TODAY - datetime.timedelta(days=1))
    assert [v.name for v in group.current_venues(TODAY)] == ["Hall", "Library", "Church"]


def test_prefetched_groups_give_the_same_venues_without_a_query_each(django_assert_num_queries):
    group = GroupFactory()
    hall = VenueFactory(organisation=group.organisation, name="Hall")
    ScheduleFactory(group=group, venue=hall, weekday=Schedule.Weekday.MONDAY)
    ExtraSessionFactory(group=group, venue=None, date=TODAY)
    groups = list(Group.objects.with_current_meetings(TODAY))
    with django_assert_num_queries(0):
        assert [v.name for v in groups[0].current_venues(TODAY)] == ["Hall"]
