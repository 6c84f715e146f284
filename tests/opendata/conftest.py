"""Validation against the official Open Referral UK 3.0 JSON Schemas, offline, and a small
directory that uses every kind of schedule and every optional field the feed publishes."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Organisation
from directory.models import Group, Schedule
from directory.timetable import rebuild_sessions
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    CancellationFactory,
    ExtraSessionFactory,
    GroupFactory,
    OrganisationFactory,
    PauseFactory,
    ScheduleFactory,
    TopicFactory,
    VenueFactory,
)

# The schemas name each other by these addresses; the registry maps them to the local files.
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"
API = "/api/openreferral"


def standard_folder():
    # In CI the repository is cloned elsewhere with a copy of shared/ beside it.
    return Path(settings.BASE_DIR).parent / "shared" / "standards" / "open-referral-uk-3.0"


@pytest.fixture(scope="session")
def schema_registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    folder = standard_folder() / "schema"
    if not folder.is_dir():
        pytest.skip(
            f"The Open Referral UK 3.0 schemas are not at {folder}: put a copy of the shared "
            "folder (shared/standards/open-referral-uk-3.0) beside the repository."
        )
    return Registry().with_resources(
        (
            SCHEMA_BASE + path.name,
            Resource.from_contents(
                json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
            ),
        )
        for path in sorted(folder.glob("*.json"))
    )


@pytest.fixture
def schema_errors(schema_registry):
    """schema_errors(instance, "service.json") -> readable errors, [] when the instance is valid."""
    from jsonschema import Draft202012Validator, FormatChecker

    def errors(instance, schema_name):
        validator = Draft202012Validator(
            {"$ref": SCHEMA_BASE + schema_name},
            registry=schema_registry,
            format_checker=FormatChecker(),
        )
        return [
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(instance)
        ]

    return errors


def get_json(client, path, **params):
    """GET a feed path; returns the response with its JSON body as `.data`."""
    response = client.get(API + path, params)
    response.data = json.loads(response.content) if response.content else None
    return response


def on_or_before(day, weekday):
    return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def directory(db):
    """Two approved organisations (one with no groups), every kind of schedule, an extra date
    at a venue and one online, a cancellation and a break, venues with and without a map
    position, and listings that must never appear (a draft, a pending organisation's)."""
    elgin = AreaFactory(name="Elgin", slug="elgin", description="Elgin and round about")
    forres = AreaFactory(name="Forres", slug="forres")
    online = AreaFactory(name="Online and phone", slug="online", is_online=True)
    anxiety = TopicFactory(name="Anxiety", slug="anxiety", description="Worry that won't stop")
    feeding = TopicFactory(name="Feeding", slug="feeding")
    new_baby = AudienceFactory(name="New baby (0-12 months)", slug="new-baby")

    hub = OrganisationFactory(
        name="Moray Wellbeing Hub",
        description="Peer support across Moray.",
        email="hello@hub.example.org",
        website="https://hub.example.org",
        charity_number="SC012345",
    )
    quiet = OrganisationFactory(name="Quiet Charity", summary="", description="")
    town_hall = VenueFactory(
        organisation=hub,
        name="Town Hall",
        address="1 High Street",
        town="Elgin",
        postcode="IV30 1AA",
        area=elgin,
        latitude="57.64900",
        longitude="-3.31800",
        step_free=True,
        accessible_toilet=True,
        baby_change=True,
        pram_space=True,
        parking=True,
        bus_route=True,
        accessibility_notes="The lift is by the back door.",
        directions="Upstairs, first room on the left.",
    )
    library = VenueFactory(
        organisation=hub,
        name="Library",
        address="2 Tolbooth Street",
        town="Forres",
        postcode="IV36 1PH",
        area=forres,
        latitude="57.61000",
        longitude="-3.61900",
    )
    cafe = VenueFactory(
        organisation=hub,
        name="Cafe",
        address="3 Station Road",
        town="Elgin",
        postcode="IV30 1XY",
        area=elgin,
        latitude=None,
        longitude=None,
    )

    cuppa = GroupFactory(
        organisation=hub,
        name="Cuppa and Chat",
        summary="A relaxed drop-in.",
        description="Tea and a chat.",
        what_to_expect="You don't have to talk.",
        online=True,
        phone=True,
        one_to_one=True,
        creche=True,
        is_free=False,
        cost="£2 a session",
        contact_name="Ann",
        contact_phone="01343 123456",
        contact_email="ann@hub.example.org",
        website="https://hub.example.org/cuppa",
        booking_url="https://hub.example.org/book",
        leadership=Group.Leadership.PEER,
    )
    cuppa.topics.set([anxiety, feeding])
    cuppa.audiences.set([new_baby])
    # Fixed weekdays, so the order of the week (Town Hall on Mondays first) is the same on
    # any day the suite runs.
    ScheduleFactory(
        group=cuppa,
        venue=town_hall,
        frequency=Schedule.Frequency.WEEKLY,
        weekday=Schedule.Weekday.MONDAY,
        starts_on=on_or_before(days_from_today(-7), Schedule.Weekday.MONDAY),
    )
    fortnight_start = on_or_before(days_from_today(-14), Schedule.Weekday.THURSDAY)
    ScheduleFactory(
        group=cuppa,
        venue=library,
        frequency=Schedule.Frequency.FORTNIGHTLY,
        starts_on=fortnight_start,
        ends_on=days_from_today(120),
        weekday=Schedule.Weekday.THURSDAY,
    )
    ScheduleFactory(
        group=cuppa,
        venue=town_hall,
        frequency=Schedule.Frequency.MONTHLY,
        week_of_month=Schedule.WeekOfMonth.FIRST,
        weekday=Schedule.Weekday.TUESDAY,
    )
    ScheduleFactory(
        group=cuppa,
        venue=None,
        frequency=Schedule.Frequency.MONTHLY,
        week_of_month=Schedule.WeekOfMonth.LAST,
        weekday=Schedule.Weekday.FRIDAY,
        start_time=datetime.time(19, 0),
        end_time=datetime.time(20, 0),
    )
    # Ended schedules say nothing about the future and are left out.
    ScheduleFactory(group=cuppa, venue=cafe, ends_on=days_from_today(-1))
    ExtraSessionFactory(group=cuppa, venue=library, date=days_from_today(5), note="Bring a friend")
    ExtraSessionFactory(group=cuppa, venue=None, date=days_from_today(6))
    CancellationFactory(group=cuppa, date=days_from_today(7), note="Hall closed")
    PauseFactory(group=cuppa, starts_on=days_from_today(10), ends_on=days_from_today(20))
    rebuild_sessions(cuppa)

    walk = GroupFactory(
        organisation=hub,
        name="Buggy Walk",
        is_free=True,
        contact_name="",
        what_to_expect="",
        children_welcome=True,
        leadership=Group.Leadership.PROFESSIONAL,
    )
    ScheduleFactory(group=walk, venue=cafe)

    GroupFactory(organisation=hub, name="Draft Group", status=Group.Status.DRAFT)
    waiting = OrganisationFactory(name="Waiting Org", status=Organisation.Status.PENDING)
    GroupFactory(organisation=waiting, name="Waiting Group")
    return {
        "hub": hub,
        "quiet": quiet,
        "cuppa": cuppa,
        "walk": walk,
        "town_hall": town_hall,
        "library": library,
        "cafe": cafe,
        "areas": (elgin, forres, online),
    }
