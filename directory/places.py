"""Where a parent is, and how far each group is from her.

She says where she is in her own words: a Moray town or village ("Lossie" as well as
"Lossiemouth"), a postcode, its sector or district ("IV30 1AB", "IV30 1", "IV30"), or the
coordinates "Use my location" puts in the field (static/js/where.js). Places come from open
data named in each row's `source`: GeoNames' Moray towns ship with the site (load_places, run
with load_terms); Ordnance Survey Open Names and the ONS Postcode Directory are imported by
`manage.py import_places`. The directory's own venues count too: a postcode or town a venue
has, with its map point.

Distances are as the crow flies (haversine), in miles, computed in Python over the filtered
groups' venues: a few queries however many groups match. The location is never stored,
logged or counted: it lives only in the page's address (`near` is not one of the filters the
evidence counts keep, and pages with it are not kept in the page cache).
"""

import csv
import difflib
import math
import pathlib
import re
from dataclasses import dataclass, field

from django import forms
from django.db import transaction

from directory.models import (
    ExtraSession,
    Group,
    Place,
    PlaceAlias,
    Schedule,
    Venue,
    place_key,
)
from moray_peer.text import plain_text

SEED_FILE = pathlib.Path(__file__).parent / "data" / "geonames_moray.csv"
GEONAMES_SOURCE = "GeoNames cities1000, CC BY 4.0, https://www.geonames.org/"
# Other names parents use for the seeded towns: a nickname, and the usual spelling of the
# village GeoNames writes "Lhanbryd".
SEED_ALIASES = {"Lossie": "Lossiemouth", "Lhanbryde": "Lhanbryd"}

EARTH_RADIUS_MILES = 3958.8
RADIUS_CHOICES = [("5", "5 miles"), ("10", "10 miles"), ("20", "20 miles")]
NEAR_MAX_LENGTH = 60
SUGGESTIONS_SHOWN = 3

# A UK postcode, its sector or its district, spaces optional: "IV30 1AB", "iv301", "IV30".
POSTCODE = re.compile(
    r"^(?P<district>[A-Z]{1,2}[0-9][A-Z0-9]?)\s*(?:(?P<sector>[0-9])(?P<unit>[A-Z]{2})?)?$"
)
COORDINATES = re.compile(r"^(?P<lat>-?\d{1,2}(?:\.\d+)?)\s*,\s*(?P<lon>-?\d{1,3}(?:\.\d+)?)$")
# "Use my location" rounds to 2 decimals (about 1 km) before sending; finer ones typed by hand
# are rounded the same before use.
COORDINATE_DECIMALS = 2


def load_places():
    """Add the seeded Moray towns and their aliases a database lacks; a place already there
    keeps whatever a moderator made of it. Returns how many were added."""
    added = 0
    with transaction.atomic():
        for row in csv.DictReader(line for line in seed_lines() if not line.startswith("#")):
            _place, created = Place.objects.get_or_create(
                key=place_key(row["name"]),
                kind=Place.Kind.TOWN,
                defaults={
                    "name": row["name"],
                    "latitude": row["lat"],
                    "longitude": row["lon"],
                    "source": GEONAMES_SOURCE,
                },
            )
            added += created
        for alias, name in SEED_ALIASES.items():
            place = Place.objects.filter(key=place_key(name)).first()
            if place and not PlaceAlias.objects.filter(key=place_key(alias)).exists():
                PlaceAlias.objects.create(name=alias, place=place)
                added += 1
    return added


def seed_lines():
    with SEED_FILE.open(encoding="utf-8") as seed:
        yield from seed


def miles_between(one, other):
    """Distance as the crow flies between two (latitude, longitude) points (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*one, *other))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


def distance_words(miles):
    """How a card says it: "less than a mile away", "about 1 mile away", "about 4 miles away"."""
    if miles < 0.75:
        return "less than a mile away"
    rounded = round(miles) if miles < 10 else 5 * round(miles / 5)
    return f"about {rounded} mile{'s' if rounded != 1 else ''} away"


def normal_postcode(text):
    """(district, sector, postcode) as far as `text` gives them, in the usual form
    ("IV30", "IV30 1", "IV30 1AB"), or None when it is not shaped like a postcode."""
    match = POSTCODE.match(text.upper().strip())
    if not match:
        return None
    district, sector, unit = match["district"], match["sector"], match["unit"]
    return (
        district,
        f"{district} {sector}" if sector else None,
        f"{district} {sector}{unit}" if unit else None,
    )


@dataclass
class Whereabouts:
    """What a parent's "Where are you?" was taken to mean."""

    typed: str = ""
    point: tuple | None = None
    label: str = ""
    # Said when we used less than she typed ("We don’t know IV30 9ZZ, so we used IV30").
    note: str = ""
    problem: str = ""
    suggestions: list = field(default_factory=list)


def find(text):
    """Whereabouts for what a parent typed; a problem and suggestions when we can't tell."""
    typed = plain_text(text, NEAR_MAX_LENGTH)
    if not typed:
        return Whereabouts()
    coordinates = COORDINATES.match(typed)
    if coordinates:
        lat, lon = (round(float(v), COORDINATE_DECIMALS) for v in coordinates.groups())
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Whereabouts(typed, (lat, lon), "your location")
        return Whereabouts(typed, problem="Those don’t look like a place’s coordinates.")
    postcode = normal_postcode(typed)
    if postcode:
        return postcode_whereabouts(typed, postcode)
    return named_whereabouts(typed)


def postcode_whereabouts(typed, postcode):
    district, sector, full = postcode
    asked = full or sector or district
    kinds = [Place.Kind.POSTCODE, Place.Kind.SECTOR, Place.Kind.DISTRICT]
    for code, kind in zip((full, sector, district), kinds, strict=True):
        if code is None:
            continue
        place = Place.objects.filter(key=place_key(code), kind=kind).first()
        point = place.point if place else venues_point(**_venue_postcodes(code, kind))
        if point:
            note = "" if code == asked else f"We don’t know {asked}, so we used {code}."
            return Whereabouts(typed, point, code, note=note)
    return Whereabouts(
        typed,
        problem=f"We couldn’t find the postcode {asked} in Moray.",
        suggestions=suggest(typed),
    )


def _venue_postcodes(code, kind):
    """The lookup for the directory's own venues in a postcode, or in a sector or district
    (their middle stands for it, as import_places makes sectors and districts from the ONS
    postcodes): "IV30" is the venues whose postcodes start "IV30 "."""
    if kind == Place.Kind.POSTCODE:
        return {"postcode__iexact": code}
    if kind == Place.Kind.SECTOR:
        return {"postcode__istartswith": code}
    return {"postcode__istartswith": f"{code} "}


def named_whereabouts(typed):
    key = place_key(typed)
    named = [Place.Kind.TOWN, Place.Kind.VILLAGE]
    place = Place.objects.filter(key=key, kind__in=named).first()
    if place is None:
        alias = PlaceAlias.objects.select_related("place").filter(key=key).first()
        place = alias.place if alias else None
    if place is not None:
        return Whereabouts(typed, place.point, place.name)
    point = venues_point(town__iexact=typed)
    if point:
        return Whereabouts(typed, point, typed.title())
    return Whereabouts(
        typed,
        problem=f"We couldn’t find “{typed}” in Moray.",
        suggestions=suggest(typed),
    )


def venues_point(**lookup):
    """The middle of the directory's own venues matching `lookup` that have a map point."""
    points = [venue.map_point for venue in fixed_venues().filter(**lookup)]
    return mean_point([p for p in points if p])


def fixed_venues():
    return Venue.objects.filter(
        agreed_place=False, latitude__isnull=False, longitude__isnull=False
    ).only("latitude", "longitude", "agreed_place")


def mean_point(points):
    if not points:
        return None
    return (
        sum(lat for lat, _ in points) / len(points),
        sum(lon for _, lon in points) / len(points),
    )


def suggest(typed):
    """Names of towns and villages close in spelling to what was typed: "Did you mean Rothes?"."""
    names = list(
        Place.objects.filter(kind__in=[Place.Kind.TOWN, Place.Kind.VILLAGE]).values_list(
            "name", flat=True
        )
    )
    names += PlaceAlias.objects.values_list("name", flat=True)
    by_key = {place_key(name): name for name in names}
    close = difflib.get_close_matches(place_key(typed), list(by_key), n=SUGGESTIONS_SHOWN)
    return [by_key[key] for key in close]


class WhereForm(forms.Form):
    """The `near` and `within` of the list's address; each is read on its own, so a distance
    we don't offer (a hand-edited link) still leaves the place."""

    near = forms.CharField(required=False)
    within = forms.TypedChoiceField(
        choices=RADIUS_CHOICES, required=False, coerce=int, empty_value=None
    )

    def whereabouts(self):
        self.is_valid()
        return find(self.cleaned_data.get("near") or "")

    def radius(self):
        self.is_valid()
        return self.cleaned_data.get("within")


# What group_points reads of each meeting's venue, as plain rows.
VENUE_COLUMNS = ("venue__latitude", "venue__longitude", "venue__agreed_place", "venue__town")


def group_points(groups):
    """{group id: [(latitude, longitude), ...]} for the current venues of `groups` (a
    queryset): each venue's map point, or else its town's place.
    One query for the venues, read as plain rows however many groups there are, and one for
    the towns."""
    chosen = groups.order_by().values("pk")
    meetings = (
        Schedule.objects.current()
        .filter(group__in=chosen, venue__isnull=False)
        .order_by()
        .values_list("group_id", "venue_id", *VENUE_COLUMNS)
        .union(
            ExtraSession.objects.upcoming()
            .filter(group__in=chosen, venue__isnull=False)
            .order_by()
            .values_list("group_id", "venue_id", *VENUE_COLUMNS)
        )
    )
    venues_by_group, towns = {}, set()
    for group_id, venue_id, latitude, longitude, agreed_place, town in meetings:
        own = Venue.point_from(latitude, longitude, agreed_place)
        if own is None and town:
            towns.add(place_key(town))
        venues_by_group.setdefault(group_id, {})[venue_id] = (own, place_key(town or ""))
    town_points = {}
    if towns:
        for place in Place.objects.filter(
            key__in=towns, kind__in=[Place.Kind.TOWN, Place.Kind.VILLAGE]
        ).order_by("pk"):
            town_points.setdefault(place.key, place.point)
    points = {}
    for group_id, venues in venues_by_group.items():
        for own, town in venues.values():
            point = own or town_points.get(town)
            if point:
                points.setdefault(group_id, []).append(point)
    return points


class NearestFirst:
    """The filtered groups in order of distance from `point`, nearest first, for a paginator:
    groups with a known distance (within `radius` miles, when one is chosen), then in-person
    groups whose distance we can't tell (unless a radius is chosen), then groups that meet
    only online or by phone, which have no distance. Within each, the list's usual order.
    Each group a page shows carries `distance` (miles) and `distance_words`."""

    ordered = True  # for the paginator: the order is the point

    def __init__(self, groups, point, radius=None):
        self.groups = groups
        self.point = point
        self.radius = radius
        self.ids = self._order()

    def _order(self):
        rows = list(self.groups.values_list("pk", "in_person"))
        points = group_points(self.groups)
        near, unknown, remote = [], [], []
        for position, (pk, in_person) in enumerate(rows):
            if pk in points:
                miles = min(miles_between(self.point, p) for p in points[pk])
                if self.radius is None or miles <= self.radius:
                    near.append((miles, position, pk))
            elif in_person:
                if self.radius is None:
                    unknown.append((None, position, pk))
            else:
                remote.append((None, position, pk))
        near.sort()
        self.distances = {pk: miles for miles, _position, pk in near}
        return [pk for _miles, _position, pk in near + unknown + remote]

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index]
        if isinstance(index, int):
            ids = [ids]
        by_id = Group.objects.filter(pk__in=ids).for_cards().in_bulk()
        groups = [by_id[pk] for pk in ids if pk in by_id]
        for group in groups:
            group.distance = self.distances.get(group.pk)
            if group.distance is not None:
                group.distance_words = distance_words(group.distance)
        return groups[0] if isinstance(index, int) else groups


def page_links(whereabouts, query):
    """The links the list offers around a "Where are you?": each suggested spelling, each
    distance to narrow to, and the list without the place."""
    from directory.filters import query_replacing, query_without

    without_place = query.copy()
    without_place.pop("within", None)
    return {
        "suggestions": [
            (name, query_replacing(without_place, "near", name)) for name in whereabouts.suggestions
        ],
        "radii": [
            (int(value), label, query_replacing(query, "within", value))
            for value, label in RADIUS_CHOICES
        ],
        "any_distance": query_without(query, "within"),
        "without_place": query_without(without_place, "near"),
    }
