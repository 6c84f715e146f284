"""Maps of where groups meet, drawn only when a visitor asks for one."""

from csp.decorators import csp_update
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from directory.filters import GroupFilter
from directory.models import ExtraSession, Group, Schedule, Venue
from directory.public.lookups import clean_query, public_group

# Map pictures come from here, and only once the visitor has asked for a map.
MAP_TILE_HOST = "https://tile.openstreetmap.org"
MAP_TILE_URL = MAP_TILE_HOST + "/{z}/{x}/{y}.png"


def venues_with_groups(groups):
    """The venues `groups` meet at now or soon, each with `map_groups`, in town order."""
    group_ids = groups.values("pk")
    pairs = set(
        Schedule.objects.current()
        .filter(group__in=group_ids, venue__isnull=False)
        .values_list("venue_id", "group_id")
    ) | set(
        ExtraSession.objects.upcoming()
        .filter(group__in=group_ids, venue__isnull=False)
        .values_list("venue_id", "group_id")
    )
    venues = Venue.objects.in_bulk({v for v, _ in pairs})
    by_id = Group.objects.in_bulk({g for _, g in pairs})
    for venue in venues.values():
        venue.map_groups = sorted(
            (by_id[g] for v, g in pairs if v == venue.pk), key=lambda g: g.name
        )
    return sorted(venues.values(), key=lambda v: (v.town, v.name))


def map_points(venues):
    return [
        {
            "name": venue.name,
            "address": venue.full_address,
            "lat": venue.map_point[0],
            "lng": venue.map_point[1],
            "groups": [{"name": g.name, "url": g.get_absolute_url()} for g in venue.map_groups],
        }
        for venue in venues
        if venue.map_point
    ]


def map_page(request, *, heading, venues, back_url, back_label):
    return render(
        request,
        "directory/map.html",
        {
            "heading": heading,
            "venues": venues,
            "points": map_points(venues),
            "tile_url": MAP_TILE_URL,
            "tile_host": MAP_TILE_HOST.removeprefix("https://"),
            "back_url": back_url,
            "back_label": back_label,
            "noindex": True,
        },
    )


@require_safe
@csp_update({"img-src": [MAP_TILE_HOST]})
def groups_map(request):
    query = clean_query(request.GET)
    query.pop("page", None)
    filterset = GroupFilter(query, queryset=Group.objects.published())
    venues = venues_with_groups(filterset.qs)
    return map_page(
        request,
        heading="Where the groups meet",
        venues=venues,
        back_url=reverse("group_list") + (f"?{query.urlencode()}" if query else ""),
        back_label="Back to the list of groups",
    )


@require_safe
@csp_update({"img-src": [MAP_TILE_HOST]})
def group_map(request, slug):
    group = public_group(slug)
    venues = venues_with_groups(Group.objects.filter(pk=group.pk))
    return map_page(
        request,
        heading=f"Where {group.name} meets",
        venues=venues,
        back_url=group.get_absolute_url(),
        back_label=f"Back to {group.name}",
    )
