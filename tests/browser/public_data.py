"""A small directory for the public-page browser tests: three groups in two towns."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from directory.models import Group
from directory.timetable import rebuild_sessions
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    CancellationFactory,
    GroupFactory,
    OrganisationFactory,
    ScheduleFactory,
    TopicFactory,
    VenueFactory,
)


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def small_directory():
    elgin, forres = AreaFactory(name="Elgin"), AreaFactory(name="Forres")
    AreaFactory(name="Online", is_online=True)
    anxiety, loneliness = TopicFactory(name="Anxiety"), TopicFactory(name="Loneliness")
    AudienceFactory(name="New baby")
    hub = OrganisationFactory(
        name="Moray Wellbeing Hub",
        summary="Peer support across Moray.",
        phone="01343 555 000",
        email="hello@example.org",
    )

    def group(name, area, days_ahead, topic, start=datetime.time(10), **fields):
        venue = VenueFactory(
            organisation=hub, area=area, town=area.name, name=f"{area.name} Hall", step_free=True
        )
        made = GroupFactory(organisation=hub, name=name, **fields)
        made.topics.add(topic)
        ScheduleFactory(
            group=made,
            venue=venue,
            weekday=in_days(days_ahead).weekday(),
            start_time=start,
            end_time=(
                datetime.datetime.combine(in_days(0), start) + datetime.timedelta(hours=1)
            ).time(),
        )
        return made

    calm = group(
        "Forres Calm Parents",
        forres,
        2,
        anxiety,
        summary="A gentle group for parents feeling anxious.",
        contact_phone="01309 123 456",
        contact_email="calm@example.org",
        leadership=Group.Leadership.PEER,
    )
    CancellationFactory(group=calm, date=in_days(9), note="The hall is closed")
    natter = group("Elgin Natter", elgin, 1, loneliness, start=datetime.time(19))
    cuppa = group("Forres Cuppa", forres, 3, loneliness)
    for each in (calm, natter, cuppa):
        rebuild_sessions(each)
    return SimpleNamespace(calm=calm, natter=natter, cuppa=cuppa, organisation=hub)
