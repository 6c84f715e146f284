import datetime
import json
import re
from html.parser import HTMLParser

import pytest

from directory.shortlist import encode
from directory.timetable import rebuild_sessions
from tests.factories import (
    CancellationFactory,
    GroupFactory,
    ScheduleFactory,
    TopicFactory,
    group_with_schedule,
    online_group,
)

pytestmark = pytest.mark.django_db


class HeadReader(HTMLParser):
    """Collects <title>, <meta>, <link rel=canonical> and JSON-LD blocks from a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.title, self.json_ld = {}, {}, "", []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.links["canonical"] = attrs["href"]
        elif tag == "title":
            self._in = "title"
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json_ld"
            self.json_ld.append({"nonce": attrs.get("nonce"), "text": ""})

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json_ld":
            self.json_ld[-1]["text"] += data


def read(response):
    reader = HeadReader()
    reader.feed(response.text)
    return reader


def graph_of(response):
    (block,) = read(response).json_ld
    return json.loads(block["text"])["@graph"]


@pytest.fixture
def public_pages(db):
    group = group_with_schedule(name="Bumps and Babies Elgin")
    group.topics.add(TopicFactory(name="Anxiety"))
    return [
        "/",
        "/whats-on/",
        "/organisations/",
        group.organisation.get_absolute_url(),
        group.get_absolute_url(),
        "/help/",
        "/areas/elgin/",
        "/topics/anxiety/",
        "/map/",
        f"/s/{encode([group.pk])}/",
    ]


def test_every_public_page_has_a_title_description_canonical_and_preview_tags(
    client, public_pages, settings
):
    settings.SITE_URL = "https://peer.example.org"
    for url in public_pages:
        page = read(client.get(url))
        assert page.title.strip(), url
        assert page.meta["description"].strip(), url
        assert page.links["canonical"] == f"https://peer.example.org{url}", url
        assert page.meta["og:url"] == page.links["canonical"]
        for key in ("og:title", "og:description", "og:image", "og:type", "twitter:card"):
            assert page.meta[key], (url, key)
        assert page.meta["og:image"].startswith("https://peer.example.org/static/")


def test_the_canonical_address_drops_filters_and_shortlists_but_keeps_the_page(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    page = read(client.get("/?area=elgin&shortlist=1&page=2"))
    assert page.links["canonical"] == "https://peer.example.org/?page=2"
    page = read(client.get("/?page=abc"))
    assert page.links["canonical"] == "https://peer.example.org/"


def test_a_group_page_previews_as_the_group(client):
    group = group_with_schedule(name="Dads Den Forres", summary="Dads and partners, every Friday.")
    page = read(client.get(group.get_absolute_url()))
    assert page.meta["og:title"] == "Dads Den Forres"
    assert page.meta["og:description"] == "Dads and partners, every Friday."
    assert page.meta["twitter:card"] == "summary_large_image"


def test_a_group_page_describes_itself_in_schema_org_terms(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    group = group_with_schedule(name="Cuppa and Chat Elgin")
    graph = graph_of(client.get(group.get_absolute_url()))
    by_type = {node["@type"]: node for node in graph}
    assert set(by_type) == {"Organization", "Place", "EventSeries"}
    assert by_type["Organization"]["name"] == group.organisation.name
    place = by_type["Place"]
    assert place["address"]["@type"] == "PostalAddress"
    assert place["address"]["addressCountry"] == "GB"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 57.649, "longitude": -3.318}
    series = by_type["EventSeries"]
    assert series["url"] == f"https://peer.example.org/groups/{group.slug}/"
    assert series["organizer"] == {"@id": by_type["Organization"]["@id"]}
    assert series["isAccessibleForFree"] is True
    events = series["subEvent"]
    sessions = list(group.sessions.upcoming(include_cancelled=True)[: len(events)])
    assert len(events) == 8
    for event, session in zip(events, sessions, strict=True):
        assert event["@type"] == "Event"
        start = datetime.datetime.fromisoformat(event["startDate"])
        end = datetime.datetime.fromisoformat(event["endDate"])
        assert start.tzinfo is not None
        assert start == session.starts_at
        assert end == session.ends_at
        assert event["location"] == {"@id": place["@id"]}
        assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
        assert event["eventStatus"] == "https://schema.org/EventScheduled"


def test_cancelled_sessions_are_marked_cancelled(client):
    group = GroupFactory()
    ScheduleFactory(group=group)
    first_date = datetime.date.today() + datetime.timedelta(days=2)
    CancellationFactory(group=group, date=first_date)
    rebuild_sessions(group)
    events = graph_of(client.get(group.get_absolute_url()))[-1]["subEvent"]
    statuses = {e["startDate"][:10]: e["eventStatus"] for e in events}
    assert statuses[first_date.isoformat()] == "https://schema.org/EventCancelled"
    assert list(statuses.values()).count("https://schema.org/EventCancelled") == 1


def test_online_groups_have_a_virtual_location(client):
    group = online_group(is_free=False)
    graph = graph_of(client.get(group.get_absolute_url()))
    assert [node["@type"] for node in graph] == ["Organization", "EventSeries"]
    series = graph[-1]
    assert series["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert series["isAccessibleForFree"] is False
    event = series["subEvent"][0]
    assert event["location"]["@type"] == "VirtualLocation"
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_organiser_text_cannot_break_out_of_the_json_ld(client):
    group = group_with_schedule(name="</script><script>alert(1)</script> & <!--")
    response = client.get(group.get_absolute_url())
    (block,) = re.findall(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.text, re.S
    )
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["@graph"][-1]["name"] == "</script><script>alert(1)</script> & <!--"


def test_the_json_ld_has_no_nonce_so_every_visitor_gets_the_same_page(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    group = group_with_schedule()
    first = client.get(group.get_absolute_url())
    (block,) = read(first).json_ld
    assert block["nonce"] is None
    assert client.get(group.get_absolute_url())["ETag"] == first["ETag"]


def test_a_place_agreed_with_each_person_gets_no_made_up_address(client):
    group = group_with_schedule(
        schedule_kwargs={
            "venue__agreed_place": True,
            "venue__name": "At home or a place near you",
            "venue__address": "",
            "venue__postcode": "",
            "venue__latitude": None,
            "venue__longitude": None,
        }
    )
    rebuild_sessions(group)
    response = client.get(group.get_absolute_url())
    places = [node for node in graph_of(response) if node["@type"] == "Place"]
    text = json.dumps(graph_of(response))
    assert "PostalAddress" not in text and "streetAddress" not in text
    assert "no fixed address" in response.text.lower()
    assert "Directions in your maps app" not in response.text
    assert places == [] or all("address" not in place for place in places)


@pytest.mark.parametrize(
    ("fields", "offer"),
    [
        ({"is_free": True}, {"price": 0}),
        ({"is_free": False, "cost": "£2 a session"}, {"price": 2.0, "description": "£2 a session"}),
        ({"is_free": False, "cost": "£2, or £5 a family"}, {"description": "£2, or £5 a family"}),
    ],
)
def test_each_event_carries_an_image_and_what_it_costs(client, fields, offer):
    group = group_with_schedule(**fields)
    rebuild_sessions(group)
    event = graph_of(client.get(group.get_absolute_url()))[-1]["subEvent"][0]
    assert event["image"][0].startswith("http")
    expected = {"@type": "Offer", "priceCurrency": "GBP", **offer}
    assert {key: event["offers"][key] for key in expected} == expected
    assert ("price" in event["offers"]) == ("price" in offer)
