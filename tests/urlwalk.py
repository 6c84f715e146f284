"""Walk the URLconf: every route, its view, the HTTP methods the view accepts, and its URL
arguments filled with objects of one organisation.

The access-matrix and hostile-input tests enumerate URLs from here, so a new view is tested
the moment it is routed. A route whose arguments or methods cannot be worked out raises
`Underivable`, and those tests fail naming it.
"""

import re
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Invitation, Membership
from directory.models import Report, SessionQuestion
from directory.timetable import rebuild_sessions
from tests.factories import (
    CancellationFactory,
    ExtraSessionFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    PauseFactory,
    group_with_schedule,
)

# A URL argument, as a route (<int:pk>) or a regular expression ((?P<pk>[^/]+)).
ARGUMENT = re.compile(r"<(?:\w+:)?(?P<name>\w+)>|\(\?P<(?P<regex_name>\w+)>[^)]*\)")


# Organiser pages only an organisation's admins may use (its editors get a 403): the one
# access rule the URLconf cannot tell.
ADMIN_ONLY = {
    "member_list",
    "member_invite",
    "member_role",
    "member_remove",
    "invitation_withdraw",
    "group_history",
    "group_restore",
    "venue_history",
    "venue_restore",
}


# Organiser pages whose signed link is the proof (the "is it still on?" answers): whoever holds
# the link may use it, signed in or not, for that one date and action.
SIGNED_LINK = {"session_answer"}


class Underivable(Exception):
    """What a route needs cannot be worked out from the URLconf."""


@dataclass
class Route:
    route: str  # e.g. "manage/groups/<int:pk>/edit/" (regular expressions without ^ and $)
    name: str  # with its namespace, e.g. "openreferral:services"
    view: object

    @property
    def label(self):
        return f"{self.name or '(unnamed)'} /{self.route}"

    def arguments(self):
        """(segment before it, name) of each URL argument, e.g. ("groups", "pk")."""
        found, segment, position = [], None, 0
        for match in ARGUMENT.finditer(self.route):
            words = [w for w in self.route[position : match.start()].split("/") if w]
            segment = words[-1] if words else segment
            name = match["name"] or match["regex_name"]
            found.append((segment, name))
            segment = f"<{name}>"
            position = match.end()
        return found

    def path(self, values):
        """The path with each argument replaced by values[(segment, name)]."""
        kwargs = {name: values(segment, name) for segment, name in self.arguments()}
        if self.name:
            return reverse(self.name, kwargs=kwargs)
        path, position = "", 0
        for match in ARGUMENT.finditer(self.route):
            path += self.route[position : match.start()] + str(kwargs[match["name"]])
            position = match.end()
        return "/" + path + self.route[position:]


def routes(prefixes):
    """Every route starting with one of `prefixes` (e.g. "manage/")."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, route, inner)
            elif isinstance(entry, URLPattern) and route.startswith(prefixes):
                name = f"{namespace}{entry.name}" if entry.name else None
                found.append(Route(route, name, entry.callback))

    walk(get_resolver().url_patterns, "", "")
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
        session = self.group.sessions.get(date=self.day, cancelled=False)
        self.question = SessionQuestion.objects.create(
            user=self.admin, group=self.group, starts_at=session.starts_at, ends_at=session.ends_at
        )
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
            ("still-on", "token"): lambda: self.question.link_token("cancel"),
            ("times", "schedule_pk"): lambda: self.schedule.pk,
            ("breaks", "pause_pk"): lambda: self.pause.pk,
            ("cancellations", "cancellation_pk"): lambda: self.cancellation.pk,
            ("extra-dates", "extra_pk"): lambda: self.extra.pk,
            ("dates", "day"): lambda: self.day.isoformat(),
            ("reports", "pk"): lambda: self.report.pk,
            ("reports", "report_pk"): lambda: self.report.pk,
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
        return route.path(self.argument)
