"""Walk the URLconf: every route, its view, the HTTP methods the view accepts, and its URL
arguments filled with objects of one organisation.

The access-matrix and hostile-input tests enumerate URLs from here, so a new view is tested
the moment it is routed. A route whose arguments or methods cannot be worked out raises
`Underivable`, and those tests fail naming it.
"""

import re
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Invitation, Membership
from directory.models import Report
from directory.services import rebuild_sessions
from tests.factories import (
    CancellationFactory,
    ExtraSessionFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    PauseFactory,
    group_with_schedule,
)

ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


class Underivable(Exception):
    """What a route needs cannot be worked out from the URLconf."""


@dataclass
class Route:
    route: str  # e.g. "manage/groups/<int:pk>/edit/"
    name: str
    view: object

    @property
    def label(self):
        return f"{self.name or '(unnamed)'} /{self.route}"


def routes(prefixes):
    """Every route starting with one of `prefixes` (e.g. "manage/")."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route.startswith(prefixes):
                found.append(Route(route, entry.name, entry.callback))

    walk(get_resolver().url_patterns, "")
    return found


def allowed_methods(view):
    """The methods a view built with require_http_methods (require_POST, require_safe...)
    accepts, read from the decorator itself."""
    function = view
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = function.__closure__[code.co_freevars.index("request_method_list")]
            return set(cell.cell_contents)
        function = getattr(function, "__wrapped__", None)
    raise Underivable("its view does not declare its HTTP methods (require_http_methods)")


class World:
    """One organisation with everything an organiser can touch, its people, another
    organisation's admin, and a moderator."""

    def __init__(self):
        self.organisation = OrganisationFactory()
        self.group = group_with_schedule(organisation=self.organisation)
        self.schedule = self.group.schedules.get()
        self.venue = self.schedule.venue
        self.pause = PauseFactory(group=self.group)
        self.extra = ExtraSessionFactory(group=self.group, venue=self.venue)
        self.cancellation = CancellationFactory(
            group=self.group, date=self.group.sessions.upcoming().last().date
        )
        rebuild_sessions(self.group)
        self.day = self.group.sessions.upcoming().filter(cancelled=False).first().date
        self.admin = self.person(Membership.Role.ADMIN)
        self.editor_membership = MembershipFactory(
            organisation=self.organisation, role=Membership.Role.EDITOR
        )
        self.editor = self.editor_membership.user
        self.other_admin = MembershipFactory(role=Membership.Role.ADMIN).user
        self.moderator = ModeratorFactory()
        for user in (self.admin, self.editor, self.other_admin, self.moderator):
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        self.invitation = Invitation.objects.create(
            organisation=self.organisation,
            email="invited@example.org",
            role=Membership.Role.EDITOR,
            invited_by=self.admin,
        )
        self.report = Report.objects.create(group=self.group, kind=Report.Kind.OTHER)
        self.history_kind = "group"

    def person(self, role):
        return MembershipFactory(organisation=self.organisation, role=role).user

    def people(self):
        return {
            "anonymous": None,
            "other organisation's admin": self.other_admin,
            "editor": self.editor,
            "admin": self.admin,
            "moderator": self.moderator,
        }

    def argument(self, segment, name):
        """The value for URL argument `name`, which follows the path segment `segment`."""
        values = {
            ("groups", "pk"): lambda: self.group.pk,
            ("venues", "pk"): lambda: self.venue.pk,
            ("organisations", "slug"): lambda: self.organisation.slug,
            ("members", "membership_pk"): lambda: self.editor_membership.pk,
            ("invitations", "invitation_pk"): lambda: self.invitation.pk,
            ("invitations", "token"): lambda: self.invitation.token,
            ("times", "schedule_pk"): lambda: self.schedule.pk,
            ("breaks", "pause_pk"): lambda: self.pause.pk,
            ("cancellations", "cancellation_pk"): lambda: self.cancellation.pk,
            ("extra-dates", "extra_pk"): lambda: self.extra.pk,
            ("dates", "day"): lambda: self.day.isoformat(),
            ("reports", "pk"): lambda: self.report.pk,
            ("history", "kind"): lambda: self.history_kind,
            ("<kind>", "record_pk"): lambda: self.group.history.latest().history_id,
            ("history", "record_pk"): lambda: self.venue.history.latest().history_id,
        }
        key = (segment, name)
        if key not in values:
            raise Underivable(f"no object for <{name}> after '{segment}/'")
        return values[key]()

    def path(self, route):
        """The route with every argument filled in from this world."""
        path, segment = "", None
        for piece in re.split(r"(<[^>]+>)", route.route):
            match = ARGUMENT.fullmatch(piece)
            if match:
                path += str(self.argument(segment, match["name"]))
                segment = f"<{match['name']}>"
            else:
                path += piece
                words = [word for word in piece.split("/") if word]
                segment = words[-1] if words else segment
        return "/" + path
