"""The feed's query logic: the standard's filters, paging, postcodes and distances."""

import copy
import json
import math
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Avg, Q, Value
from django.db.models.functions import Length, Replace, Upper
from django.urls import reverse

from accounts.models import Organisation
from directory.models import Venue
from opendata.identifiers import service_at_location_id
from opendata.params import BadRequest
from opendata.queries import listed_groups, location_links

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
LICENCE_NAME = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
STANDARD_OPENAPI = Path(__file__).with_name("openreferral_uk_openapi.json")
EARTH_RADIUS = 6_371_000  # metres
METRES_PER_DEGREE = 111_320


def api_url(name, *args):
    return f"{settings.SITE_URL}{reverse(f'openreferral:{name}', args=args)}"


def api_details():
    return {"version": VERSION, "profile": PROFILE_URL, "openapi_url": api_url("openapi")}


@cache
def standard_openapi():
    return json.loads(STANDARD_OPENAPI.read_text(encoding="utf-8"))


def openapi_document():
    """The standard's OpenAPI document, describing this feed: our address, our licence."""
    document = copy.deepcopy(standard_openapi())
    document["info"].update(
        title="Moray Peer Support Directory: Open Referral UK feed",
        summary="Peer-support groups for parents and parents-to-be in Moray, Scotland.",
        description=(
            "Every published listing of the Moray Peer Support Directory in the Open Referral "
            "UK 3.0 format. Open to all, no key needed. Times are UK local time "
            "(Europe/London). `proximity` is in metres from the centre of the given "
            "`postcode`, a full postcode, a sector or a district.\n\n"
            "This description is adapted from the Open Referral UK 3.0 specification "
            "(Human Services Data Specification UK: an Open Referral UK resource, "
            "https://openreferraluk.org/), BSD 3-Clause License."
        ),
        contact={"name": "Moray Peer Support Directory", "url": open_data_page_url()},
        license={"name": LICENCE_NAME, "url": LICENCE_URL},
    )
    document["servers"] = [{"url": api_url("root").rstrip("/")}]
    declare_our_answers(document)
    return document


NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u0008\\u000a-\\u001f]*$"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["status", "error"],
    "properties": {
        "status": {"type": "integer"},
        "error": {"type": "string"},
        "parameter": {"type": "string"},
    },
}


def tighten(parameter):
    """Ids are UUIDs; other text may hold no control character but a tab."""
    schema = parameter["schema"]
    if schema.get("type") != "string":
        return
    if parameter["name"].endswith("_id"):
        schema["format"] = "uuid"
    elif "format" not in schema and "enum" not in schema:
        schema["pattern"] = NO_CONTROL_CHARACTERS


def declare_our_answers(document):
    """What the standard leaves unsaid and this feed does: ids are UUIDs, paging is bounded,
    a bad parameter is a 400 and an unknown id a 404, each with a JSON body."""
    from opendata.params import MAX_PAGE, MAX_PER_PAGE

    document["components"]["schemas"]["Error"] = ERROR_SCHEMA
    parameters = document["components"]["parameters"]
    parameters["page"]["schema"].update(minimum=1, maximum=MAX_PAGE)
    parameters["format"]["schema"]["enum"] = ["json"]
    # A full postcode, a sector or a district; a distance in metres.
    parameters["postcode"]["schema"]["pattern"] = (
        "^ *[A-Za-z]{1,2}[0-9][A-Za-z0-9]?( *[0-9]([A-Za-z]{2})?)? *$"
    )
    parameters["proximity"]["schema"]["pattern"] = "^[0-9]{1,6}([.][0-9]{1,6})?$"
    # JSON Schema's name for a timestamp (the standard writes "datetime", which no tool knows).
    parameters["modified_after"]["schema"]["format"] = "date-time"
    parameters["per_page"]["schema"].update(minimum=1, maximum=MAX_PER_PAGE)
    for parameter in parameters.values():
        tighten(parameter)

    def answer(description):
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        return {"description": description, "content": content}

    for path, item in document["paths"].items():
        for parameter in item.get("parameters", []):
            if parameter.get("in") == "path":
                parameter["schema"]["format"] = "uuid"
        operation = item["get"]
        for parameter in operation.get("parameters", []):
            if "name" in parameter:
                tighten(parameter)
        responses = operation["responses"]
        if "{id}" in path:
            responses["404"] = answer("No listed record has this id.")
            responses["400"] = answer("The id is not a UUID.")
        if operation.get("parameters"):
            responses["400"] = answer("A parameter is not one this endpoint can take.")


def open_data_page_url():
    return f"{settings.SITE_URL}{reverse('open_data')}"


# --- Filters ----------------------------------------------------------------------------


def filter_groups(groups, params, vocabulary, today):
    """Apply the standard's service filters to a queryset of listed groups."""
    search = params.search()
    organisation = params.uuid("organization_id")
    term_ids = params.uuids("taxonomy_term_id")
    taxonomy_id = params.uuid("taxonomy_id")
    modified_after = params.moment("modified_after")
    if search:
        groups = groups.search(search)
    if organisation:
        groups = groups.filter(organisation__uuid=organisation)
    if term_ids:
        terms = [vocabulary.term(term_id) for term_id in term_ids]
        condition = Q(pk__in=[])
        for term in terms:
            if term is not None:
                condition |= term.taxonomy.condition(term)
        groups = groups.filter(condition)
    if taxonomy_id:
        taxonomy = vocabulary.taxonomy(taxonomy_id)
        groups = groups.filter(taxonomy.any_condition()) if taxonomy else groups.none()
    if modified_after:
        if "last_modified" not in groups.query.annotations:
            groups = groups.with_last_modified(today)
        groups = groups.filter(last_modified__gte=modified_after)
    return groups


def search_organisations(organisations, text):
    if not text:
        return organisations
    return organisations.filter(
        Q(name__icontains=text) | Q(summary__icontains=text) | Q(description__icontains=text)
    )


def matches_text(text, *values):
    return not text or any(text.lower() in value.lower() for value in values)


# --- Paging -----------------------------------------------------------------------------


def page_of(items, params):
    """One page of a queryset or list, and the standard's page fields."""
    page, per_page = params.page(), params.per_page()
    total = len(items) if isinstance(items, list) else items.count()
    start = (page - 1) * per_page
    rows = list(items[start : start + per_page])
    total_pages = math.ceil(total / per_page)
    fields = {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(rows),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not rows,
    }
    return rows, fields


# --- Places -----------------------------------------------------------------------------


def normalised_postcodes(venues):
    return venues.annotate(
        compact_postcode=Replace(Upper("postcode"), Value(" "), Value("")),
    ).annotate(compact_length=Length("compact_postcode"))


def venues_in(postcode):
    """Venues whose postcode is the given postcode, or lies in the given sector or district."""
    return normalised_postcodes(Venue.objects.all()).filter(
        compact_postcode__startswith=postcode.prefix,
        compact_length=len(postcode.prefix) + postcode.rest,
    )


def centre_of(postcode):
    """Where a postcode is, from our own venues there (we look nothing up elsewhere): the
    average position of venues with that postcode, else in its sector, else its district."""
    prefix = postcode.prefix
    outward = prefix[:-3] if postcode.rest == 0 else prefix[:-1] if postcode.rest == 2 else prefix
    candidates = [(prefix, postcode.rest)]
    if postcode.rest == 0:
        candidates.append((prefix[:-2], 2))
    if postcode.rest < 3:
        candidates.append((outward, 3))
    placed = normalised_postcodes(
        Venue.objects.filter(
            organisation__status=Organisation.Status.APPROVED,
            latitude__isnull=False,
            longitude__isnull=False,
        )
    )
    for start, rest in candidates:
        centre = placed.filter(
            compact_postcode__startswith=start, compact_length=len(start) + rest
        ).aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
        if centre["latitude"] is not None:
            return float(centre["latitude"]), float(centre["longitude"])
    raise BadRequest(
        "postcode",
        f"We can't place {postcode.text}: no venue in the directory is in that postcode district.",
    )


def distance(latitude, longitude, other_latitude, other_longitude):
    """Metres between two points on the Earth's surface (haversine formula)."""
    phi1, phi2 = math.radians(latitude), math.radians(other_latitude)
    dphi = phi2 - phi1
    dlambda = math.radians(other_longitude - longitude)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(math.sqrt(a))


def venues_near(latitude, longitude, metres):
    """Venues in the box around a circle: a cheap prefilter for the exact distance."""
    dlat = metres / METRES_PER_DEGREE
    dlng = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return Venue.objects.filter(
        latitude__range=(round(latitude - dlat, 5), round(latitude + dlat, 5)),
        longitude__range=(round(longitude - dlng, 5), round(longitude + dlng, 5)),
    )


def service_at_location_links(groups, params, today):
    """The links for the service_at_locations list: by postcode or by distance if asked."""
    postcode, proximity = params.postcode(), params.proximity()
    if proximity is not None and postcode is None:
        raise BadRequest("proximity", "proximity needs a postcode to measure from.")
    if postcode is None:
        return location_links(groups, today)
    if proximity is None:
        return location_links(groups, today, venues=venues_in(postcode))
    latitude, longitude = centre_of(postcode)
    links = location_links(groups, today, venues=venues_near(latitude, longitude, proximity))
    measured = [
        (distance(latitude, longitude, link.latitude, link.longitude), link) for link in links
    ]
    return [link for metres, link in sorted(measured, key=lambda m: m[0]) if metres <= proximity]


def find_link(sal_id, today):
    """The listed group-and-place link with this service_at_location id, or None."""
    for link in location_links(listed_groups(), today):
        if service_at_location_id(link.group_uuid, link.venue_uuid) == sal_id:
            return link
    return None
