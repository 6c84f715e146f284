"""Where a parent is, and how far each group is from her.

She says where she is in her own words: a Moray town or village ("Lossie" as well as
"Lossiemouth"), a postcode, its sector or district ("IV30 1AB", "IV30 1", "IV30"), or the
coordinates "Use my location" puts in the field (static/js/where.js). Places come from open
data named in each row's `source`: GeoNames' Moray towns ship with the site (load_places, run
with load_terms); Ordnance Survey Open Names and the ONS Postcode Directory are imported by
`manage.py import_places`. The directory's own venues count too: a postcode or town a venue
has, with its map point.

Distances are as the crow flies (haversine), in miles, computed in Python over the venues
of the filtered groups nearest her (on PostgreSQL an index gives those first; NearestFirst):
a few queries however many groups match. The location is never stored,
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
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Func, Q, Value, When

from directory.models import (
    ExtraSession,
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
    # Its own name before an alias another place has, in one query.
    place = (
        Place.objects.filter(Q(key=key, kind__in=named) | Q(aliases__key=key))
        .annotate(by_name=Case(When(key=key, kind__in=named, then=0), default=1))
        .order_by("by_name", "pk")
        .first()
    )
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

# PostgreSQL finds the venues nearest a point through a GiST index on their map points
# (migration 0015) drawn flat: a degree of longitude as long as it is at 57.5°N, the middle of
# Moray. That flat distance is within 15% of the real one for any two points between 54°N and
# 62°N (cos 54° and cos 62° are within 15% of cos 57.5°), which is how far a venue the index
# did not return may be from what it seemed; the nearest groups are then found asking for
# FIRST_VENUES venues, then VENUES_GROWTH times as many, until enough groups are sure.
FLAT_LONGITUDE_SCALE = 0.5373  # cos 57.5°
FLAT_ERROR = 0.15
FLAT_LATITUDES = (54, 62)
FIRST_VENUES = 64
VENUES_GROWTH = 8


class FlatDistance(Func):
    """A venue's distance from `point` as the GiST index of migration 0015 measures it (the
    same expression, so the index serves an ORDER BY of it). PostgreSQL only."""

    output_field = FloatField()

    def __init__(self, point):
        latitude, longitude = point
        super().__init__(
            F("longitude"),
            F("latitude"),
            Value(longitude * FLAT_LONGITUDE_SCALE),
            Value(float(latitude)),
        )

    def as_sql(self, compiler, connection, **extra):
        (lon, lon_params), (lat, lat_params), (x, x_params), (y, y_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        sql = (
            f"point(({lon})::float8 * {FLAT_LONGITUDE_SCALE}, ({lat})::float8) <-> point({x}, {y})"
        )
        return sql, (*lon_params, *lat_params, *x_params, *y_params)


def flat_index_serves(point):
    return connection.vendor == "postgresql" and FLAT_LATITUDES[0] <= point[0] <= FLAT_LATITUDES[1]


def nearest_venues(point, how_many):
    """The ids of the `how_many` fixed venues nearest `point` by the flat distance, with every
    venue without a map point of its own (its town's place stands for it); and the real
    distance in miles within which no other fixed venue can be (None when every venue was
    given)."""
    nearest = (
        fixed_venues()
        .order_by(FlatDistance(point))
        .annotate(fixed=Value(True))
        .values_list("pk", "latitude", "longitude", "fixed")[:how_many]
    )
    unfixed = (
        Venue.objects.filter(
            Q(agreed_place=True) | Q(latitude__isnull=True) | Q(longitude__isnull=True)
        )
        .annotate(fixed=Value(False))
        .values_list("pk", "latitude", "longitude", "fixed")
    )
    rows = list(nearest.union(unfixed, all=True))
    fixed = [(lat, lon) for _pk, lat, lon, is_fixed in rows if is_fixed]
    ids = [pk for pk, _lat, _lon, _fixed in rows]
    if len(fixed) < how_many:
        return ids, None
    farthest = max(miles_between(point, (float(lat), float(lon))) for lat, lon in fixed)
    return ids, farthest * (1 - FLAT_ERROR) / (1 + FLAT_ERROR)


def group_points(groups, venues=None):
    """{group id: [(latitude, longitude), ...]} for the current venues of `groups` (a
    queryset): each venue's map point, or else its town's place; only the venues `venues`
    (ids) when given.
    One query for the venues, read as plain rows however many groups there are, and one for
    the towns."""
    where = Q(group__in=groups.order_by().values("pk"), venue__isnull=False)
    if venues is not None:
        where &= Q(venue__in=venues)
    meetings = (
        Schedule.objects.current()
        .filter(where)
        .order_by()
        .values_list("group_id", "venue_id", *VENUE_COLUMNS)
        .union(
            ExtraSession.objects.upcoming()
            .filter(where)
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
    for group_id, venues_of_group in venues_by_group.items():
        for own, town in venues_of_group.values():
            point = own or town_points.get(town)
            if point:
                points.setdefault(group_id, []).append(point)
    return points


class NearestFirst:
    """The filtered groups in order of distance from `point`, nearest first, for a
    CappedPaginator: groups with a known distance (within `radius` miles, when one is
    chosen), then in-person groups whose distance we can't tell (unless a radius is chosen),
    then groups that meet only online or by phone, which have no distance. Within each, the
    list's usual order. Each group a page shows carries `distance` (miles) and
    `distance_words`.

    A page near the top reads only the groups meeting near her: on PostgreSQL the nearest
    venues come from an index (nearest_venues), as many as it takes to be sure of the page's
    groups. SQLite, a point far from Scotland and the pages after the groups with a distance
    read every venue."""

    def __init__(self, groups, point, radius=None):
        self.groups = groups
        self.point = point
        self.radius = radius
        self._found = None

    ordered = True  # for the paginator: the order is the point

    def count_up_to(self, most):
        """How many groups are listed, or `most` when there are at least that many."""
        if self.radius is None:
            return self.groups.order_by()[:most].count()
        located = self._located(most)
        if not located.every:
            return most
        return min(len(located.ids) + self._remote()[:most].count(), most)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        located = self._located(stop)
        if len(located.ids) >= stop:
            groups = self._nearest_cards(located, start, stop)
        else:
            groups = self._nearest_cards(located, start, len(located.ids))
            skip = max(start - len(located.ids), 0)
            more = stop - start - len(groups)
            groups += list(self._after(located).for_cards()[skip : skip + more])
        for group in groups:
            group.distance = located.distances.get(group.pk)
            if group.distance is not None:
                group.distance_words = distance_words(group.distance)
        return groups

    def _located(self, needed):
        """The groups with a distance (within the radius), nearest first, as far as reading
        the venues nearest her makes at least `needed` of them sure, or all of them."""
        if self._found and (self._found.every or len(self._found.ids) >= needed):
            return self._found
        how_many = FIRST_VENUES if flat_index_serves(self.point) else None
        in_person = self.groups.filter(in_person=True)
        while True:
            if how_many is None:
                points, sure_within = group_points(in_person), None
            else:
                venues, sure_within = nearest_venues(self.point, how_many)
                points = group_points(in_person, venues)
            distances = {
                pk: min(miles_between(self.point, p) for p in found) for pk, found in points.items()
            }
            limits = [limit for limit in (self.radius, sure_within) if limit is not None]
            ids = sorted(
                (pk for pk, miles in distances.items() if not limits or miles <= min(limits)),
                key=distances.__getitem__,
            )
            every = sure_within is None or (self.radius is not None and sure_within >= self.radius)
            if every or len(ids) >= needed:
                self._found = Located(ids, distances, every)
                return self._found
            how_many *= VENUES_GROWTH

    def _nearest_cards(self, located, start, stop):
        """The cards of located.ids[start:stop]; groups as far away as each other (at one
        venue) in the list's usual order, which may move one across the page's edge."""
        if start >= stop:
            return []
        distances = located.distances
        first, last = distances[located.ids[start]], distances[located.ids[stop - 1]]
        before = sum(1 for pk in located.ids if distances[pk] < first)
        window = [pk for pk in located.ids if first <= distances[pk] <= last]
        cards = list(self.groups.filter(pk__in=window).for_cards())
        position = {group.pk: n for n, group in enumerate(cards)}
        cards.sort(key=lambda group: (distances[group.pk], position[group.pk]))
        return cards[start - before : stop - before]

    def _remote(self):
        return self.groups.filter(in_person=False)

    def _after(self, located):
        """The groups listed after those with a distance: with a radius, the groups that meet
        only online or by phone; else the in-person groups with no distance, then those. In
        the list's usual order."""
        if self.radius is not None:
            return self._remote()
        after = self.groups.exclude(pk__in=list(located.distances))
        return after.order_by("-in_person", *self.groups.query.order_by)


@dataclass
class Located:
    """What NearestFirst has found of the groups with a distance."""

    ids: list  # nearest first
    distances: dict  # {group id: miles}, for these and perhaps more
    every: bool  # whether ids are all the groups with a distance (within the radius)


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
