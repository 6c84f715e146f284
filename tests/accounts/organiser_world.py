"""The people and listings most organiser tests start from.

One organisation with an admin and an editor, a stranger who runs another organisation, and
a moderator; a group meeting weekly (on the day after tomorrow), with a venue, a break, a
cancelled date, an extra date and an invitation waiting.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from accounts.models import Invitation, Membership
from directory.models import Group, Venue
from directory.timetable import rebuild_sessions
from tests.factories import (
    CancellationFactory,
    ExtraSessionFactory,
    GroupFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    PauseFactory,
    ScheduleFactory,
    VenueFactory,
)


def verified(user):
    """A user allauth lets sign in: their email address is confirmed."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@dataclass
class World:
    organisation: object
    admin: object
    editor: object
    stranger: object
    moderator: object
    group: Group
    venue: Venue
    spare_venue: Venue
    schedule: object
    pause: object
    cancellation: object
    extra: object
    invitation: Invitation
    editor_membership: Membership
    session_dates: list

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)


def make_world(**organisation_kwargs):
    organisation = OrganisationFactory(**organisation_kwargs)
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    editor_membership = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    stranger = MembershipFactory(role=Membership.Role.ADMIN).user
    group = GroupFactory(organisation=organisation, name="Cuppa and Chat Elgin")
    venue = VenueFactory(organisation=organisation, name="Elgin Community Centre")
    schedule = ScheduleFactory(group=group, venue=venue)
    rebuild_sessions(group)
    dates = list(group.sessions.upcoming().values_list("date", flat=True))
    cancellation = CancellationFactory(group=group, date=dates[1], note="Hall closed")
    pause = PauseFactory(group=group)
    extra = ExtraSessionFactory(group=group, venue=venue)
    rebuild_sessions(group)
    invitation = Invitation.objects.create(
        organisation=organisation, email="new.helper@example.org", role="editor", invited_by=admin
    )
    return World(
        organisation=organisation,
        admin=admin,
        editor=editor_membership.user,
        stranger=stranger,
        moderator=ModeratorFactory(),
        group=group,
        venue=venue,
        spare_venue=VenueFactory(organisation=organisation, name="Spare Room"),
        schedule=schedule,
        pause=pause,
        cancellation=cancellation,
        extra=extra,
        invitation=invitation,
        editor_membership=editor_membership,
        session_dates=dates,
    )
