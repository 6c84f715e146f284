"""On PostgreSQL a page of the list is found among a few small sets of groups instead of
sorting them all (pagination.SoonestFirst): every page holds the groups sorting them all gives,
in that order, for the list, a search and filters."""

import datetime
import random
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from directory.models import Group, Topic
from directory.pagination import SoonestFirst
from tests.factories import OrganisationFactory, group_with_schedule, online_group

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Wednesday at 4pm: this morning's groups have met, tonight's are still to come, and one
# is meeting now.
NOW = datetime.datetime(2027, 1, 13, 16, 0, tzinfo=LONDON)
TIMES = [(9, 30), (10, 0), (13, 0), (15, 30), (18, 30), (19, 0)]


@pytest.fixture
def directory():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite sorts every group: the sets are read on PostgreSQL only")
    with time_machine.travel(NOW, tick=False):
        call_command("load_terms", verbosity=0)
        rng = random.Random(3)
        organisation = OrganisationFactory()
        feeding = Topic.objects.get(slug="feeding")
        for n in range(36):
            hour, minute = rng.choice(TIMES)
            group = group_with_schedule(
                organisation=organisation,
                name=f"{'Feeding Swap' if n % 5 == 0 else 'Cuppa'} {n:02}",
                description="Bring a toy to swap." if n % 4 == 0 else "A cuppa and a chat.",
                booked_service=n % 9 == 0,
                schedule_kwargs={
                    "weekday": rng.randrange(7),
                    "start_time": datetime.time(hour, minute),
                    "end_time": datetime.time(hour + 1, minute),
                },
            )
            if n % 3 == 0:
                group.topics.add(feeding)
        for n in range(3):
            online_group(organisation=organisation, name=f"Online {n}")
        # The nightly refresh ran this morning: today's groups still have today's sessions
        # stored, whether they have been, are on now, or are still to come.
        for group in Group.objects.all():
            first_today = group.sessions.filter(date=NOW.date()).order_by("starts_at").first()
            if first_today:
                Group.objects.filter(pk=group.pk).update(next_session_at=first_today.starts_at)
        yield


def every_page(groups, most):
    soonest = SoonestFirst(groups)
    # Up to `most`, the groups are all sorted; at least that many, read in the index's order.
    soonest.count_up_to(most)
    count = groups.count()
    return [group.pk for start in range(0, count, 3) for group in soonest[start : start + 3]]


@pytest.mark.parametrize(
    "narrowed",
    [
        lambda groups: groups,
        lambda groups: groups.search("swap"),
        lambda groups: groups.search("feeding"),
        lambda groups: groups.search("breastfeeding swap"),
        lambda groups: groups.filter(topics__slug="feeding"),
    ],
    ids=["list", "words in names", "a topic's word", "everyday words", "a filter"],
)
def test_every_page_holds_the_groups_sorting_them_all_gives_in_that_order(directory, narrowed):
    with time_machine.travel(NOW, tick=False):
        groups = narrowed(Group.objects.published().by_next_session())
        sorted_all = list(groups.values_list("pk", flat=True))
        assert len(sorted_all) > 3
        # Among them, groups whose stored next session has begun (met this morning, or on now).
        assert groups.filter(next_session_at__lt=NOW).exists()
        assert every_page(groups, most=501) == sorted_all
        assert every_page(groups, most=2) == sorted_all
