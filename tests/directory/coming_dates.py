"""An organisation whose groups meet tomorrow and later in the week, at a fixed moment.

Sunday 7 March 2027, 8:45am in Moray: "Monday Cuppa" meets every Monday 10am–11:30am at the
Elgin Community Centre, "Thursday Evening Chat" every Thursday 6pm–7pm at the Forres Hall.
The admin has chosen "the day before", the editor "weekly", a third member nothing.
"""

import datetime
from dataclasses import dataclass

from accounts.models import Membership
from directory.models import Group, SessionQuestion
from directory.timetable import rebuild_sessions
from tests.conftest import LONDON
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    ScheduleFactory,
    VenueFactory,
)

NOW = datetime.datetime(2027, 3, 7, 8, 45, tzinfo=LONDON)  # a Sunday
TOMORROW = datetime.date(2027, 3, 8)
THURSDAY = datetime.date(2027, 3, 11)
SUNDAY = 6


@dataclass
class ComingDates:
    organisation: object
    day_before: Membership
    weekly: Membership
    never: Membership
    stranger: object
    monday: Group
    thursday: Group
    venue: object

    def session(self, group, day):
        return group.sessions.get(date=day)


def make_coming_dates():
    organisation = OrganisationFactory(name="Moray Parents Together")
    day_before = MembershipFactory(
        organisation=organisation,
        role=Membership.Role.ADMIN,
        session_emails=Membership.SessionEmails.DAY_BEFORE,
    )
    weekly = MembershipFactory(
        organisation=organisation,
        role=Membership.Role.EDITOR,
        session_emails=Membership.SessionEmails.WEEKLY,
    )
    never = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    venue = VenueFactory(organisation=organisation, name="Elgin Community Centre", town="Elgin")
    hall = VenueFactory(organisation=organisation, name="Forres Hall", town="Forres")
    monday = GroupFactory(organisation=organisation, name="Monday Cuppa")
    thursday = GroupFactory(organisation=organisation, name="Thursday Evening Chat")
    starts_on = datetime.date(2027, 1, 4)
    ScheduleFactory(group=monday, venue=venue, weekday=0, starts_on=starts_on)
    ScheduleFactory(
        group=thursday,
        venue=hall,
        weekday=3,
        starts_on=starts_on,
        start_time=datetime.time(18, 0),
        end_time=datetime.time(19, 0),
    )
    rebuild_sessions(monday)
    rebuild_sessions(thursday)
    return ComingDates(
        organisation=organisation,
        day_before=day_before,
        weekly=weekly,
        never=never,
        stranger=MembershipFactory(role=Membership.Role.ADMIN).user,
        monday=monday,
        thursday=thursday,
        venue=venue,
    )


def question_about(user, session):
    return SessionQuestion.objects.create(
        user=user, group=session.group, starts_at=session.starts_at, ends_at=session.ends_at
    )
