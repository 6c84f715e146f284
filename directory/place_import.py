"""Reading the official open datasets of places a deployer downloads, for `manage.py
import_places` (directory.places explains how places are used).

- ONS Postcode Directory (ONSPD), CSV with a header row: each live Moray postcode with its
  latitude and longitude, and from them each postcode sector and district, at the middle of
  its postcodes. https://geoportal.statistics.gov.uk/ (search "ONS Postcode Directory"),
  Open Government Licence v3.0.
- Ordnance Survey Open Names, CSV files without a header row: Moray's cities, towns,
  villages, hamlets and suburban areas, their National Grid points turned into latitude and
  longitude (directory.osgrid), and each Gaelic name as an alias.
  https://osdatahub.os.uk/downloads/open/OpenNames, Open Government Licence v3.0.

Rows without coordinates are skipped, never guessed. A place already in the directory (by
name and kind) is left as it is, so a moderator's edits stay.
"""

import csv
from collections import defaultdict

from django.db import transaction

from directory.models import Place, PlaceAlias, place_key
from directory.osgrid import grid_to_wgs84
from directory.places import mean_point, normal_postcode

ONSPD_SOURCE = (
    "ONS Postcode Directory, Open Government Licence v3.0, "
    "https://geoportal.statistics.gov.uk/ (contains OS data, Royal Mail data and "
    "National Statistics data © Crown copyright and database right)"
)
OPEN_NAMES_SOURCE = (
    "OS Open Names, Open Government Licence v3.0, "
    "https://osdatahub.os.uk/downloads/open/OpenNames (contains OS data © Crown copyright and "
    "database right)"
)
# Moray Council's GSS code, in ONSPD's local authority column (oslaua).
MORAY_COUNCIL = "S12000020"
# ONSPD gives a postcode with no grid reference this latitude (and longitude 0).
ONSPD_NO_POINT_LATITUDE = "99.999999"

# OS Open Names' columns, in order (its CSV files have no header row); see the product
# guide's "Open Names header" file.
OPEN_NAMES_COLUMNS = [
    "ID", "NAMES_URI", "NAME1", "NAME1_LANG", "NAME2", "NAME2_LANG", "TYPE", "LOCAL_TYPE",
    "GEOMETRY_X", "GEOMETRY_Y", "MOST_DETAIL_VIEW_RES", "LEAST_DETAIL_VIEW_RES", "MBR_XMIN",
    "MBR_YMIN", "MBR_XMAX", "MBR_YMAX", "POSTCODE_DISTRICT", "POSTCODE_DISTRICT_URI",
    "POPULATED_PLACE", "POPULATED_PLACE_URI", "POPULATED_PLACE_TYPE", "DISTRICT_BOROUGH",
    "DISTRICT_BOROUGH_URI", "DISTRICT_BOROUGH_TYPE", "COUNTY_UNITARY", "COUNTY_UNITARY_URI",
    "COUNTY_UNITARY_TYPE", "REGION", "REGION_URI", "COUNTRY", "COUNTRY_URI",
    "RELATED_SPATIAL_OBJECT", "SAME_AS_DBPEDIA", "SAME_AS_GEONAMES",
]  # fmt: skip
OPEN_NAMES_KINDS = {
    "City": Place.Kind.TOWN,
    "Town": Place.Kind.TOWN,
    "Village": Place.Kind.VILLAGE,
    "Hamlet": Place.Kind.VILLAGE,
    "Suburban Area": Place.Kind.VILLAGE,
}
MORAY = "Moray"


def onspd_places(lines, council=MORAY_COUNCIL):
    """(name, kind, latitude, longitude) for each live postcode of `council` with a point,
    then each of their sectors and districts at the mean of its postcodes."""
    postcodes = []
    by_code = defaultdict(list)
    for row in csv.DictReader(lines):
        if council and row.get("oslaua") != council:
            continue
        if row.get("doterm", "").strip():  # a postcode no longer in use
            continue
        lat, lon = row.get("lat", "").strip(), row.get("long", "").strip()
        if not lat or not lon or lat == ONSPD_NO_POINT_LATITUDE:
            continue
        parts = normal_postcode(row.get("pcds") or row.get("pcd") or "")
        if parts is None or parts[2] is None:
            continue
        district, sector, postcode = parts
        point = (float(lat), float(lon))
        postcodes.append((postcode, Place.Kind.POSTCODE, *point))
        by_code[(sector, Place.Kind.SECTOR)].append(point)
        by_code[(district, Place.Kind.DISTRICT)].append(point)
    yield from postcodes
    for (code, kind), points in by_code.items():
        yield (code, kind, *mean_point(points))


def open_names_places(lines, county=MORAY):
    """(name, kind, latitude, longitude, other name) for each populated place in `county`."""
    for values in csv.reader(lines):
        row = dict(zip(OPEN_NAMES_COLUMNS, values, strict=False))
        kind = OPEN_NAMES_KINDS.get(row.get("LOCAL_TYPE", ""))
        if kind is None or (county and row.get("COUNTY_UNITARY") != county):
            continue
        try:
            easting, northing = float(row["GEOMETRY_X"]), float(row["GEOMETRY_Y"])
        except (KeyError, ValueError):
            continue
        yield (row["NAME1"], kind, *grid_to_wgs84(easting, northing), row.get("NAME2", ""))


@transaction.atomic
def add_places(rows, source):
    """Add the places in `rows` ((name, kind, latitude, longitude[, alias])) that the
    directory lacks; returns (places added, aliases added)."""
    known = set(Place.objects.values_list("key", "kind"))
    known_aliases = set(PlaceAlias.objects.values_list("key", flat=True))
    new_places, aliases = [], []
    for name, kind, lat, lon, *alias in rows:
        key = place_key(name)
        if (key, kind) not in known:
            known.add((key, kind))
            new_places.append(
                Place(
                    name=name,
                    key=key,
                    kind=kind,
                    latitude=round(lat, 5),
                    longitude=round(lon, 5),
                    source=source,
                )
            )
        if alias and alias[0] and place_key(alias[0]) not in known_aliases:
            known_aliases.add(place_key(alias[0]))
            aliases.append((alias[0], key, kind))
    Place.objects.bulk_create(new_places, batch_size=500)
    if aliases:
        places = {
            (place.key, place.kind): place
            for place in Place.objects.filter(key__in={key for _alias, key, _kind in aliases})
        }
        PlaceAlias.objects.bulk_create(
            [
                PlaceAlias(name=name, key=place_key(name), place=places[(key, kind)])
                for name, key, kind in aliases
            ]
        )
    return len(new_places), len(aliases)
