"""The Open Referral UK feed (read-only JSON, open to all) and the page that explains it."""

from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from directory.models import Venue
from directory.page_cache import cache_public_page
from directory.terms import YOUNG_PARENTS_UP_TO
from opendata import feed
from opendata.params import BadRequest, Params, parse_uuid
from opendata.queries import listed_groups, listed_organisations, services
from opendata.records import Publisher, compact
from opendata.taxonomies import Vocabulary

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Listings change a few times a week: consumers may keep a response for a few minutes.
CACHE_SECONDS = 300


class NotFound(Exception):
    pass


def error(status, message, parameter=None):
    body = {"status": status, "error": message}
    if parameter:
        body["parameter"] = parameter
    return JsonResponse(body, status=status)


def api_view(view):
    """JSON in and out for every method: GET and HEAD answered, OPTIONS for CORS preflights,
    anything else a 405; bad parameters a 400 and unknown ids a 404, each with a JSON body.
    Every response may be read from any origin, as the standard asks."""

    @csrf_exempt  # Nothing here changes anything; other methods only get a 405.
    @cache_public_page  # the same for every caller, so kept for a minute (directory.page_cache)
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = error(405, f"Only {ALLOWED_METHODS} are allowed.")
            response["Allow"] = ALLOWED_METHODS
        else:
            try:
                Params(request.GET).require_json()
                response = JsonResponse(
                    view(request, *args, **kwargs), json_dumps_params={"ensure_ascii": False}
                )
                response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
            except BadRequest as problem:
                response = error(400, problem.message, problem.parameter)
            except (NotFound, Http404):
                response = error(404, "Nothing with that id is published here.")
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def context():
    """The params-independent parts of a request: today, the vocabulary, a record builder."""
    today = timezone.localdate()
    vocabulary = Vocabulary(today)
    return today, vocabulary, Publisher(vocabulary, today)


def path_id(value):
    return parse_uuid("id", value)


def listing(fields, contents):
    return {**fields, "contents": contents}


@api_view
def root(request):
    return feed.api_details()


@api_view
def openapi(request):
    return feed.openapi_document()


@api_view
def not_found(request, rest=""):
    raise NotFound


# --- Services ---------------------------------------------------------------------------


@api_view
def service_list(request):
    params = Params(request.GET)
    full, minimal = params.boolean("full"), params.boolean("minimal")
    today, vocabulary, publisher = context()
    groups = feed.filter_groups(services(today), params, vocabulary, today)
    rows, fields = feed.page_of(groups, params)
    if minimal:
        return listing(fields, [publisher.minimal_service(group) for group in rows])
    return listing(fields, [publisher.service(group, full=full) for group in rows])


@api_view
def service_detail(request, service_id):
    service_id = path_id(service_id)
    today, vocabulary, publisher = context()
    group = services(today).filter(uuid=service_id).first()
    if group is None:
        raise NotFound
    return publisher.service(group, full=True)


# --- Organisations ----------------------------------------------------------------------


@api_view
def organization_list(request):
    params = Params(request.GET)
    full = params.boolean("full")
    organisations = feed.search_organisations(listed_organisations(), params.search())
    rows, fields = feed.page_of(organisations, params)
    # Organisation records carry no taxonomy terms: no vocabulary needed.
    publisher = Publisher(None, timezone.localdate())
    return listing(fields, [publisher.organization(o, full=full) for o in rows])


@api_view
def organization_detail(request, organization_id):
    organization_id = path_id(organization_id)
    full_service = Params(request.GET).boolean("full_service")
    organisation = listed_organisations().filter(uuid=organization_id).first()
    if organisation is None:
        raise NotFound
    today, vocabulary, publisher = context()
    groups = services(today).filter(organisation=organisation)
    return compact(
        {
            **publisher.organization(organisation, full=True),
            "services": [
                publisher.service(group, full=full_service, with_organization=False)
                for group in groups
            ],
        }
    )


# --- Taxonomies -------------------------------------------------------------------------


@api_view
def taxonomy_list(request):
    params = Params(request.GET)
    search = params.search()
    today, vocabulary, publisher = context()
    taxonomies = [
        taxonomy
        for taxonomy in vocabulary.taxonomies
        if feed.matches_text(search, taxonomy.name, taxonomy.description)
    ]
    rows, fields = feed.page_of(taxonomies, params)
    return listing(fields, [publisher.taxonomy(taxonomy) for taxonomy in rows])


@api_view
def taxonomy_detail(request, taxonomy_id):
    taxonomy_id = path_id(taxonomy_id)
    today, vocabulary, publisher = context()
    taxonomy = vocabulary.taxonomy(taxonomy_id)
    if taxonomy is None:
        raise NotFound
    return publisher.taxonomy(taxonomy, with_terms=True)


@api_view
def taxonomy_term_list(request):
    params = Params(request.GET)
    search = params.search()
    taxonomy_id = params.uuid("taxonomy_id")
    # Our terms have no parents: every term is a top-level one, and none has a parent.
    params.boolean("top_only")
    parent_id = params.uuid("parent_id")
    today, vocabulary, publisher = context()
    terms = [
        term
        for term in vocabulary.all_terms()
        if (taxonomy_id is None or term.taxonomy.id == taxonomy_id)
        and parent_id is None
        and feed.matches_text(search, term.name, term.description)
    ]
    rows, fields = feed.page_of(terms, params)
    return listing(fields, [publisher.taxonomy_term(term) for term in rows])


@api_view
def taxonomy_term_detail(request, term_id):
    term_id = path_id(term_id)
    today, vocabulary, publisher = context()
    term = vocabulary.term(term_id)
    if term is None:
        raise NotFound
    return publisher.taxonomy_term(term)


# --- Services at locations --------------------------------------------------------------


@api_view
def service_at_location_list(request):
    params = Params(request.GET)
    full = params.boolean("full")
    today, vocabulary, publisher = context()
    groups = feed.filter_groups(listed_groups(), params, vocabulary, today)
    links = feed.service_at_location_links(groups, params, today)
    rows, fields = feed.page_of(links, params)
    return listing(fields, service_at_locations(rows, today, publisher, full))


@api_view
def service_at_location_detail(request, sal_id):
    sal_id = path_id(sal_id)
    today, vocabulary, publisher = context()
    link = feed.find_link(sal_id, today)
    if link is None:
        raise NotFound
    return service_at_locations([link], today, publisher, full=True)[0]


def service_at_locations(links, today, publisher, full):
    """Records for `links`, in their order, fetching each group and venue once."""
    groups = services(today).in_bulk([link.group_id for link in links])
    venues = Venue.objects.select_related("area").in_bulk(
        [link.venue_id for link in links if link.venue_id]
    )
    return [
        publisher.service_at_location(groups[link.group_id], venues.get(link.venue_id), full=full)
        for link in links
    ]


# --- The page for people ----------------------------------------------------------------


@require_safe
def open_data_page(request):
    today, vocabulary, publisher = context()
    ctx = {
        "api_root": feed.api_url("root"),
        "openapi_url": feed.api_url("openapi"),
        "taxonomies": vocabulary.taxonomies,
        "licence_name": feed.LICENCE_NAME,
        "licence_url": feed.LICENCE_URL,
        "young_parents_up_to": YOUNG_PARENTS_UP_TO,
    }
    return render(request, "opendata/open_data.html", ctx)
