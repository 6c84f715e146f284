"""What the feed publishes, as querysets: listed groups, their current meetings and places.

One definition of "current" serves both the JSON records (built from prefetched lists) and the
database filters, so a filter finds exactly the records whose published data match it.
"""

from typing import NamedTuple

from django.db.models import Exists, OuterRef, Prefetch, Q

from accounts.models import Organisation
from directory.models import Cancellation, ExtraSession, Group, Pause, Schedule


def listed_organisations():
    return Organisation.objects.approved().order_by("name", "pk")


def listed_groups():
    """Published groups of approved organisations: nothing else ever leaves the site."""
    return Group.objects.published()


def meets_at_venue(today, **venue_lookup):
    """A condition on Group: a current schedule or upcoming extra date at a matching venue."""
    lookup = {f"venue__{key}": value for key, value in venue_lookup.items()}
    return Exists(Schedule.objects.current(today).filter(group=OuterRef("pk"), **lookup)) | Exists(
        ExtraSession.objects.upcoming(today).filter(group=OuterRef("pk"), **lookup)
    )


def meets_remotely(today):
    """A condition on Group: it meets online or by phone, so it has a virtual location."""
    return Q(online=True) | Q(phone=True) | meets_at_venue(today, isnull=True)


def services(today):
    """Listed groups with everything their records show, in a fixed number of queries."""
    groups = (
        listed_groups()
        .select_related("organisation")
        .with_current_meetings(today)
        .prefetch_related(
            "topics",
            "audiences",
            Prefetch(
                "cancellations",
                queryset=Cancellation.objects.filter(date__gte=today).order_by("date"),
                to_attr="upcoming_cancellations",
            ),
            # Every break, past ones too: a schedule's record starts after the last one.
            Prefetch("pauses", queryset=Pause.objects.order_by("starts_on", "pk")),
        )
    )
    return groups.with_last_modified(today).order_by("name", "pk")


def has_virtual_location(group):
    """The Python side of meets_remotely(), for a group from services()."""
    return (
        group.online
        or group.phone
        or any(meeting.venue_id is None for meeting in group.running_schedules())
        or any(meeting.venue_id is None for meeting in group.coming_extras())
    )


class Link(NamedTuple):
    """A group at one venue, or (no venue) the group's online and phone meetings."""

    group_id: int
    group_uuid: object
    venue_id: int | None = None
    venue_uuid: object = None
    latitude: float | None = None
    longitude: float | None = None


def location_links(groups, today, venues=None):
    """Every place the listed `groups` meet, as Links in a stable order (group name, then
    place, online last). With `venues` (a Venue queryset), only the links to those venues."""
    group_ids = groups.values("pk")
    columns = (
        "group__name",
        "group_id",
        "venue__town",
        "venue__name",
        "venue_id",
        "group__uuid",
        "venue__uuid",
        "venue__latitude",
        "venue__longitude",
    )
    physical = [
        meetings.filter(group__in=group_ids, venue__isnull=False).order_by()
        for meetings in (Schedule.objects.current(today), ExtraSession.objects.upcoming(today))
    ]
    if venues is not None:
        physical = [meetings.filter(venue__in=venues) for meetings in physical]
    pairs = physical[0].values_list(*columns).union(physical[1].values_list(*columns))
    rows = [
        (name, group_id, False, town, place, venue_id, *rest)
        for name, group_id, town, place, venue_id, *rest in pairs
    ]
    if venues is None:
        remote = groups.filter(meets_remotely(today)).order_by().values_list("name", "pk", "uuid")
        rows += [
            (name, pk, True, "", "", None, uuid, None, None, None) for name, pk, uuid in remote
        ]
    rows.sort(key=lambda row: row[:6])
    return [
        Link(group_id, group_uuid, venue_id, venue_uuid, _float(lat), _float(lng))
        for _, group_id, _, _, _, venue_id, group_uuid, venue_uuid, lat, lng in rows
    ]


def _float(value):
    return None if value is None else float(value)
