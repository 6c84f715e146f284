"""British National Grid eastings and northings to WGS84 latitude and longitude.

Ordnance Survey's own method, from "A guide to coordinate systems in Great Britain"
(https://www.ordnancesurvey.co.uk/documents/resources/guide-coordinate-systems-great-britain.pdf):
the inverse transverse Mercator projection on the Airy 1830 ellipsoid gives OSGB36 latitude
and longitude (Annex C), then the 7-parameter Helmert transformation (section 6.6, the
published OSGB36 to WGS84 parameters) moves them onto WGS84. Good to about 5 metres, far
finer than "about 4 miles away" needs.
"""

import math

# Airy 1830 (OSGB36) and GRS80/WGS84 ellipsoids: semi-major and semi-minor axes, metres.
AIRY_1830 = (6377563.396, 6356256.909)
WGS84 = (6378137.000, 6356752.3142)
# The National Grid's projection: scale on the central meridian, true origin, false origin.
SCALE = 0.9996012717
ORIGIN_LATITUDE = math.radians(49)
ORIGIN_LONGITUDE = math.radians(-2)
FALSE_EASTING = 400000
FALSE_NORTHING = -100000
# OSGB36 to WGS84: translations (m), rotations (arc seconds), scale (parts per million).
HELMERT = {
    "tx": 446.448,
    "ty": -125.157,
    "tz": 542.060,
    "rx": 0.1502,
    "ry": 0.2470,
    "rz": 0.8421,
    "s": -20.4894,
}


def grid_to_osgb36(easting, northing):
    """OSGB36 (latitude, longitude) in degrees of a National Grid point (OS guide, C.2)."""
    a, b = AIRY_1830
    e2 = 1 - (b * b) / (a * a)
    n = (a - b) / (a + b)
    latitude = ORIGIN_LATITUDE
    meridian = 0.0
    while True:
        latitude = (northing - FALSE_NORTHING - meridian) / (a * SCALE) + latitude
        meridian = meridional_arc(b, n, latitude)
        if abs(northing - FALSE_NORTHING - meridian) < 0.00001:
            break
    sin_lat = math.sin(latitude)
    nu = a * SCALE / math.sqrt(1 - e2 * sin_lat**2)
    rho = a * SCALE * (1 - e2) / (1 - e2 * sin_lat**2) ** 1.5
    eta2 = nu / rho - 1
    tan_lat = math.tan(latitude)
    sec_lat = 1 / math.cos(latitude)
    vii = tan_lat / (2 * rho * nu)
    viii = tan_lat / (24 * rho * nu**3) * (5 + 3 * tan_lat**2 + eta2 - 9 * tan_lat**2 * eta2)
    ix = tan_lat / (720 * rho * nu**5) * (61 + 90 * tan_lat**2 + 45 * tan_lat**4)
    x = sec_lat / nu
    xi = sec_lat / (6 * nu**3) * (nu / rho + 2 * tan_lat**2)
    xii = sec_lat / (120 * nu**5) * (5 + 28 * tan_lat**2 + 24 * tan_lat**4)
    xiia = sec_lat / (5040 * nu**7) * (61 + 662 * tan_lat**2 + 1320 * tan_lat**4 + 720 * tan_lat**6)
    de = easting - FALSE_EASTING
    latitude = latitude - vii * de**2 + viii * de**4 - ix * de**6
    longitude = ORIGIN_LONGITUDE + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return math.degrees(latitude), math.degrees(longitude)


def meridional_arc(b, n, latitude):
    """The developed arc of the meridian from the true origin to `latitude` (OS guide, C.1)."""
    dl, sl = latitude - ORIGIN_LATITUDE, latitude + ORIGIN_LATITUDE
    return (
        b
        * SCALE
        * (
            (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * dl
            - (3 * n + 3 * n**2 + 21 / 8 * n**3) * math.sin(dl) * math.cos(sl)
            + (15 / 8 * n**2 + 15 / 8 * n**3) * math.sin(2 * dl) * math.cos(2 * sl)
            - 35 / 24 * n**3 * math.sin(3 * dl) * math.cos(3 * sl)
        )
    )


def to_cartesian(latitude, longitude, ellipsoid):
    a, b = ellipsoid
    e2 = 1 - (b * b) / (a * a)
    lat, lon = math.radians(latitude), math.radians(longitude)
    nu = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    return (
        nu * math.cos(lat) * math.cos(lon),
        nu * math.cos(lat) * math.sin(lon),
        (1 - e2) * nu * math.sin(lat),
    )


def from_cartesian(x, y, z, ellipsoid):
    a, b = ellipsoid
    e2 = 1 - (b * b) / (a * a)
    p = math.hypot(x, y)
    latitude = math.atan2(z, p * (1 - e2))
    for _ in range(10):  # converges to well under a millimetre in three or four
        nu = a / math.sqrt(1 - e2 * math.sin(latitude) ** 2)
        latitude = math.atan2(z + e2 * nu * math.sin(latitude), p)
    return math.degrees(latitude), math.degrees(math.atan2(y, x))


def helmert(x, y, z, tx, ty, tz, rx, ry, rz, s):
    rx, ry, rz = (math.radians(r / 3600) for r in (rx, ry, rz))
    scale = 1 + s / 1e6
    return (
        tx + scale * x - rz * y + ry * z,
        ty + rz * x + scale * y - rx * z,
        tz - ry * x + rx * y + scale * z,
    )


def grid_to_wgs84(easting, northing):
    """WGS84 (latitude, longitude) in degrees of a National Grid easting and northing."""
    latitude, longitude = grid_to_osgb36(easting, northing)
    x, y, z = helmert(*to_cartesian(latitude, longitude, AIRY_1830), **HELMERT)
    return from_cartesian(x, y, z, WGS84)
