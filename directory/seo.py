"""What search engines and link previews (Facebook, WhatsApp, text messages) read from a page."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.safestring import mark_safe

from accounts.models import Organisation
from directory.models import Group

SITE_NAME = "Moray Peer Support"
DEFAULT_TITLE = "Peer support for parents in Moray"
DEFAULT_DESCRIPTION = (
    "Friendly, local peer-support groups for parents and parents-to-be across Moray. "
    "Find a group near you this week — no sign-up needed."
)
SHARE_IMAGE = "img/og-default.png"
SHARE_IMAGE_SIZE = (1200, 630)
SHARE_IMAGE_ALT = "Moray Peer Support: friendly groups for parents, near you"

SCHEMA = "https://schema.org/"
# Inside <script>, "</script>" or "<!--" in a group's text must not end or confuse the block.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(path):
    return settings.SITE_URL + path


def canonical_url(request):
    """The page's one public address: filters, shortlists and map choices are views of the same
    page, so only the page number of a long list is kept."""
    url = absolute_url(escape_uri_path(request.path))
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return url


def preview_for(context):
    """Title and description for link previews: the view's own `preview`, else the page's group
    or organisation, else the site's."""
    preview = context.get("preview")
    if preview:
        return preview
    group = context.get("group")
    if isinstance(group, Group):
        return {"title": group.name, "description": group.summary}
    organisation = context.get("organisation")
    if isinstance(organisation, Organisation):
        return {
            "title": organisation.name,
            "description": organisation.summary or f"Peer-support groups run by {organisation}.",
        }
    return {"title": DEFAULT_TITLE, "description": DEFAULT_DESCRIPTION}


def share_image_url():
    return absolute_url(static(SHARE_IMAGE))


def json_ld(data):
    """`data` as JSON that is safe inside a <script> element."""
    return mark_safe(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    )


def attendance_mode(in_person, remote):
    if in_person and remote:
        return SCHEMA + "MixedEventAttendanceMode"
    if remote:
        return SCHEMA + "OnlineEventAttendanceMode"
    return SCHEMA + "OfflineEventAttendanceMode"


def place_node(venue, page_url):
    if venue.agreed_place:
        # No street address to give, and none made up: the place is agreed with each person.
        return {
            "@type": "Place",
            "@id": f"{page_url}#venue-{venue.uuid}",
            "name": venue.name,
            "description": venue.directions or "A place agreed with each person",
        }
    node = {
        "@type": "Place",
        "@id": f"{page_url}#venue-{venue.uuid}",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.address,
            "addressLocality": venue.town,
            "postalCode": venue.postcode,
            "addressRegion": "Moray",
            "addressCountry": "GB",
        },
    }
    if venue.map_point:
        latitude, longitude = venue.map_point
        node["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    return node


def organisation_node(organisation):
    url = absolute_url(organisation.get_absolute_url())
    node = {
        "@type": "Organization",
        "@id": f"{url}#organisation",
        "name": organisation.name,
        "url": url,
    }
    if organisation.website:
        node["sameAs"] = organisation.website
    if organisation.email:
        node["email"] = organisation.email
    if organisation.phone:
        node["telephone"] = organisation.phone
    return node


def offer_node(group, page_url):
    """Free, or the cost the organiser gives (priced when it names one amount in pounds)."""
    offer = {"@type": "Offer", "url": page_url, "priceCurrency": "GBP"}
    if group.is_free:
        return {**offer, "price": 0}
    if group.single_price() is not None:
        offer["price"] = group.single_price()
    if group.cost:
        offer["description"] = group.cost
    return offer


def event_node(group, session, page_url, organiser_ref):
    event = {
        "@type": "Event",
        "name": group.name,
        "description": group.summary,
        "url": page_url,
        "startDate": timezone.localtime(session.starts_at).isoformat(),
        "endDate": timezone.localtime(session.ends_at).isoformat(),
        "eventStatus": SCHEMA + ("EventCancelled" if session.cancelled else "EventScheduled"),
        "organizer": organiser_ref,
        "isAccessibleForFree": group.is_free,
        # Google's recommended event fields: a picture and what it costs.
        "image": [share_image_url()],
        "offers": offer_node(group, page_url),
    }
    if session.venue:
        event["eventAttendanceMode"] = attendance_mode(True, False)
        event["location"] = {"@id": f"{page_url}#venue-{session.venue.uuid}"}
    else:
        event["eventAttendanceMode"] = attendance_mode(False, True)
        event["location"] = {"@type": "VirtualLocation", "url": page_url}
    return event


def group_graph(group, sessions):
    """schema.org data for a group page: who runs it, where, and its upcoming dates as an
    EventSeries whose sub-events are the sessions (cancelled ones marked as such)."""
    page_url = absolute_url(group.get_absolute_url())
    organisation = organisation_node(group.organisation)
    organiser_ref = {"@id": organisation["@id"]}
    venues = {s.venue.pk: s.venue for s in sessions if s.venue}
    places = [place_node(venue, page_url) for venue in venues.values()]
    series = {
        "@type": "EventSeries",
        "@id": f"{page_url}#group",
        "name": group.name,
        "description": group.summary,
        "url": page_url,
        "organizer": organiser_ref,
        "isAccessibleForFree": group.is_free,
        "eventAttendanceMode": attendance_mode(group.in_person, group.online or group.phone),
        "subEvent": [event_node(group, s, page_url, organiser_ref) for s in sessions],
    }
    if places:
        series["location"] = [{"@id": place["@id"]} for place in places]
    return {"@context": "https://schema.org", "@graph": [organisation, *places, series]}
