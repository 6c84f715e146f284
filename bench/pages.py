"""The page types the benchmark measures, each with a rotation of real URLs at this size.

Rotating through many URLs (different groups, organisations, searches and filters) keeps the
figures honest: one URL hit over and over would measure only the hottest rows and caches.
Pages that are not built yet (the Open Referral API, say) are left out rather than failing.
"""

import json
import random
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from accounts.models import Organisation
from directory.models import Area, Group, Topic

SEARCH_TERMS = [
    "Forres",
    "sleep",
    "dads",
    "buggy walk",
    "Keith",
    "twins",
    "feeding",
    "evening",
    "Buckie",
    "worry",
]
# What parents type in their own words (directory.vocabulary): everyday words for topics,
# villages and postcodes for areas, a misspelling, and two things at once.
EVERYDAY_TERMS = [
    "worried",
    "PND",
    "Kinloss",
    "IV36 3BN",
    "anxeity",
    "lonely dads",
    "breastfeeding",
    "worried in elgin",
]
# "Where are you?": towns and an alias from the seeded places (postcodes need the ONS import,
# which a bench directory lacks), a narrowed radius, a phone's place.
NEAR_QUERIES = [
    {"near": "Lossie"},
    {"near": "Buckie"},
    {"near": "Keith"},
    {"near": "Forres", "within": "10"},
    {"near": "57.65,-3.32"},
]
API_LIST_PATHS = ["/api/openreferral/services", "/api/openreferral/services/"]
GROUP_SAMPLE = 100
ORGANISATION_SAMPLE = 30
FILTER_SAMPLE = 12


@dataclass
class Page:
    key: str
    label: str
    paths: list = field(default_factory=list)
    html: bool = True


def discover(seed=7):
    """The page types that exist in this build of the site, with their URLs."""
    rng = random.Random(seed)
    home = reverse("group_list")
    pages = [
        Page("list", "Home / list", [home]),
        Page("filters", "List, 3 filters", _filtered(rng, home)),
        Page("search", "Search", [f"{home}?{urlencode({'q': term})}" for term in SEARCH_TERMS]),
        Page(
            "words",
            "Search, everyday words",
            [f"{home}?{urlencode({'q': term})}" for term in EVERYDAY_TERMS],
        ),
        Page("near", "Near a place", [f"{home}?{urlencode(query)}" for query in NEAR_QUERIES]),
        Page("group", "Group page", _groups(rng)),
        Page("whats_on", "What's on (7 days)", [reverse("whats_on")]),
        Page("organisation", "Organisation page", _organisations(rng)),
        Page("embed", "Embed (organisation)", _organisations(rng, "organisation_embed")),
    ]
    api_list = next((p for p in API_LIST_PATHS if _resolves(p)), None)
    if api_list:
        pages.append(Page("api_list", "API services list", [api_list], html=False))
        details = _api_details(rng, api_list)
        if details:
            pages.append(Page("api_detail", "API service detail", details, html=False))
    return [page for page in pages if page.paths]


def _resolves(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _filtered(rng, home):
    areas = list(Area.objects.filter(is_online=False).values_list("slug", flat=True))
    topics = list(Topic.objects.values_list("slug", flat=True))
    pairs = [(area, topic) for area in areas for topic in topics]
    chosen = rng.sample(pairs, min(FILTER_SAMPLE, len(pairs)))
    return [
        f"{home}?{urlencode({'area': area, 'topic': topic, 'format': 'drop-in'})}"
        for area, topic in chosen
    ]


def _groups(rng):
    slugs = list(Group.objects.published().order_by("pk").values_list("slug", flat=True))
    chosen = rng.sample(slugs, min(GROUP_SAMPLE, len(slugs)))
    return [reverse("group_detail", args=[slug]) for slug in chosen]


def _organisations(rng, url_name="organisation_detail"):
    slugs = list(
        Organisation.objects.approved()
        .filter(groups__status=Group.Status.PUBLISHED)
        .distinct()
        .order_by("pk")
        .values_list("slug", flat=True)
    )
    chosen = rng.sample(slugs, min(ORGANISATION_SAMPLE, len(slugs)))
    try:
        return [reverse(url_name, args=[slug]) for slug in chosen]
    except NoReverseMatch:
        return []


def _api_details(rng, api_list):
    """Service URLs: by group UUID when the API uses those, else the ids the list gives."""
    client = Client()
    uuids = list(Group.objects.published().order_by("pk").values_list("uuid", flat=True))
    chosen = [str(u) for u in rng.sample(uuids, min(GROUP_SAMPLE, len(uuids)))]
    for template in (f"{api_list.rstrip('/')}/{{}}", f"{api_list.rstrip('/')}/{{}}/"):
        paths = [template.format(uuid) for uuid in chosen]
        if paths and _resolves(paths[0]) and client.get(paths[0]).status_code == 200:
            return paths
    reply = client.get(api_list)
    if reply.status_code != 200:
        return []
    data = json.loads(reply.content)
    items = data.get("contents", []) if isinstance(data, dict) else data
    for template in (f"{api_list.rstrip('/')}/{{}}", f"{api_list.rstrip('/')}/{{}}/"):
        paths = [template.format(item["id"]) for item in items if "id" in item]
        if paths and _resolves(paths[0]) and client.get(paths[0]).status_code == 200:
            return paths
    return []
