"""On PostgreSQL, "Where are you?" reads only the venues nearest her (an index of their map
points), as many as the page needs: the pages and counts are the same as reading every venue."""

import random

import pytest
from django.core.management import call_command
from django.db import connection

from directory import places
from directory.models import Group
from tests.factories import (
    ExtraSessionFactory,
    OrganisationFactory,
    ScheduleFactory,
    VenueFactory,
    group_with_schedule,
    online_group,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

WHERE_SHE_IS = [
    (57.72136, -3.28341),  # Lossiemouth
    (57.60997, -3.62115),  # Forres, at the edge of the venues
    (57.65, -3.32),  # a phone's rounded place
    (57.15, -2.1),  # Aberdeen, outside them all
]


@pytest.fixture
def directory():
    """Ninety groups at random places across Moray: some sharing a venue, some meeting at
    two, a few at agreed places (their town's point stands for them), and online groups."""
    if connection.vendor != "postgresql":
        pytest.skip("the venues' map point index (GiST) is a PostgreSQL feature")
    call_command("load_terms", verbosity=0)
    rng = random.Random(7)
    organisation = OrganisationFactory()
    venues = [
        VenueFactory(
            organisation=organisation,
            latitude=f"{57.45 + rng.random() / 3:.5f}",
            longitude=f"{-3.6 + rng.random() / 1.5:.5f}",
        )
        for _ in range(60)
    ]
    venues += [
        VenueFactory(organisation=organisation, town="Forres", agreed_place=True),
        VenueFactory(organisation=organisation, town="Keith", latitude=None, longitude=None),
    ]
    for n in range(90):
        group = group_with_schedule(
            rebuild=False,
            organisation=organisation,
            name=f"Group {n:02}",
            schedule_kwargs={"venue": rng.choice(venues)},
        )
        if n % 7 == 0:
            ScheduleFactory(group=group, venue=rng.choice(venues))
        if n % 11 == 0:
            ExtraSessionFactory(group=group, venue=rng.choice(venues))
    for n in range(4):
        online_group(rebuild=False, organisation=organisation, name=f"Online {n}")


def pages(point, radius):
    """Every page's group names and the count, as the list shows them."""
    groups = Group.objects.published().by_next_session()
    nearest = places.NearestFirst(groups, point, radius)
    count = nearest.count_up_to(501)
    return count, [
        [(group.name, getattr(group, "distance", None)) for group in nearest[start : start + 20]]
        for start in range(0, count, 20)
    ]


def test_reading_the_nearest_venues_gives_the_pages_reading_every_venue_gives(
    directory, monkeypatch
):
    for point in WHERE_SHE_IS:
        for radius in (None, 5, 10):
            # Few venues at a time, so that finding enough takes more than one look.
            monkeypatch.setattr(places, "FIRST_VENUES", 3)
            monkeypatch.setattr(places, "VENUES_GROWTH", 2)
            through_the_index = pages(point, radius)
            with monkeypatch.context() as every_venue:
                every_venue.setattr(places, "flat_index_serves", lambda point: False)
                assert through_the_index == pages(point, radius), (point, radius)


def test_the_first_page_reads_the_nearest_venues_not_every_venue(directory, monkeypatch):
    monkeypatch.setattr(places, "FIRST_VENUES", 8)
    monkeypatch.setattr(places, "VENUES_GROWTH", 2)
    read = []
    group_points = places.group_points
    monkeypatch.setattr(
        places,
        "group_points",
        lambda groups, venues=None: read.append(venues) or group_points(groups, venues),
    )
    nearest = places.NearestFirst(Group.objects.published().by_next_session(), WHERE_SHE_IS[0])
    assert len(nearest[0:20]) == 20
    assert read and read[-1] is not None
    assert len(read[-1]) < 62  # of the 62 venues
