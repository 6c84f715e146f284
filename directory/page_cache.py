"""Whole public pages, kept for a short while for visitors who are not signed in.

A parent's request carries no session cookie, so every such request for the same address gets
the same page: it can be served from the shared cache (Redis in production) without running
the view's queries or its templates, which is what keeps the directory fast on a busy day and
flat as it grows; each worker also keeps the pages it served lately (RecentPages). Signed-in
organisers and moderators always get a freshly made page, so they see their own edits at once.
Everyone else sees a change within a second of its being saved through a model (each save
starts a new generation of cached pages, which workers check at most
PUBLIC_PAGE_RECHECK_SECONDS apart), and anything else — a session that has just ended, a bulk
update — within PUBLIC_PAGE_CACHE_SECONDS.

A page is never kept when it is specific to one request: when it sets a cookie, carries a CSRF
token or a CSP nonce, says it is private, or is not a plain 200.

What a cached page counts for the evidence counters (evidence.counting) is kept with it and
counted again for each visitor it is served to, so the counts do not depend on the cache. A page
is kept gzipped (moray_peer.compression), so it is compressed once, not per visit.
"""

import datetime
import hashlib
import logging
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from functools import wraps
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from evidence import counting
from moray_peer import compression, health
from moray_peer.outages import Outage
from moray_peer.redis_cache import SharedCacheUnavailable, shared

GENERATION_KEY = "public-page:generation"
ENTRY_FORMAT = 2
UNCACHEABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")
# More choices than a parent ticks at once; a page for more is made fresh each time.
MOST_KEPT_QUERY_VALUES = 8
MOST_KEPT_PAGE_NUMBER = 50

logger = logging.getLogger(__name__)
outage = Outage("The page cache", logger)


def cache_public_page(view):
    """Serve `view` from the cache to visitors without a session; see the module notes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or not keeps_query(request.META.get("QUERY_STRING", ""))
        ):
            return view(request, *args, **kwargs)
        key = page_key(request)
        entry, generation = kept_page(key)
        if entry is not None:
            counting.replay(request, entry["counts"])
            return compression.send_compressed(request, entry["response"], entry.get("gzipped"))
        response = view(request, *args, **kwargs)
        if is_reusable(request, response):
            gzipped = compression.compress_once(response)
            entry = {
                "generation": generation,
                "expires": time.time() + seconds,
                "response": compression.without_body(response, gzipped),
                "gzipped": gzipped,
                "counts": getattr(request, "evidence_counts", []),
            }
            if safely(page_store().set, key, entry, seconds, failed=False) is not False:
                recent_pages.keep(key, entry)
        return response

    return wrapper


def keeps_query(query_string):
    """Whether pages are kept for an address with this query string: none, or one made only
    of what the filter forms and page links send (known areas, topics and audiences, the
    offered formats, practical things, days and times, a page number, a "what's on" start
    date in the dates we hold), each value once and a few at most. A search's free text,
    unknown names or values, repeats: the page is made fresh and not kept, so the addresses
    pages are kept for are bounded by the directory's own terms, and a flood of made-up
    addresses cannot churn the page cache."""
    if not query_string:
        return True
    try:
        pairs = parse_qsl(
            query_string, keep_blank_values=True, strict_parsing=True, max_num_fields=100
        )
    except ValueError:
        return False
    if len(pairs) > MOST_KEPT_QUERY_VALUES or len(set(pairs)) != len(pairs):
        return False
    offered = offered_query_values()
    return all(
        value == "" if name == "q" else (name in offered and offered[name](value))
        for name, value in pairs
    )


def offered_query_values():
    """{query parameter: whether a value is one our own forms and links send}."""
    from directory import facets, filters
    from directory.models import Area, Audience, Topic

    def one_of(choices):
        return lambda value: value == "" or value in choices

    def term_slug(model):
        return lambda value: value == "" or any(t.slug == value for t in facets.terms(model))

    def page_number(value):
        return value.isdigit() and 1 <= int(value) <= MOST_KEPT_PAGE_NUMBER

    def start_date(value):
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            return value == ""
        today = timezone.localdate()
        return today <= day <= today + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS)

    return {
        "area": term_slug(Area),
        "topic": term_slug(Topic),
        "audience": term_slug(Audience),
        "format": one_of(dict(filters.FORMAT_CHOICES)),
        "practical": one_of(dict(filters.PRACTICAL_CHOICES)),
        "when": one_of(dict(filters.WHEN_CHOICES)),
        "page": page_number,
        "start": start_date,
    }


def kept_page(key):
    """(the current page kept for `key` or None, the current generation or None): from this
    worker's memory when it can vouch for it, else from the shared cache."""
    entry = recent_pages.get(key)
    if entry is not None:
        return entry, entry["generation"]
    found = safely(page_store().get_many, [GENERATION_KEY, key])
    if found is None:
        return None, None
    if _unretired.is_set():
        # A save made while the shared cache was away could not retire the pages kept there.
        retire_pages()
        return None, None
    generation = found.get(GENERATION_KEY)
    recent_pages.saw_generation(generation)
    entry = found.get(key)
    if entry is None or entry["generation"] != generation:
        return None, generation
    recent_pages.keep(key, entry)
    return entry, generation


class RecentPages:
    """The pages this worker served lately, so a popular page costs no trip to the shared
    cache: that trip was most of what a kept page cost to send.

    A page is used only while the generation it was made in is still the current one, as
    this worker last read it from the shared cache, at most PUBLIC_PAGE_RECHECK_SECONDS ago
    (a save made through this worker retires its pages at once). Each page is kept pickled,
    as the shared cache keeps it, so every visitor gets a copy of their own to send.
    """

    def __init__(self, size):
        self.size = size
        self._lock = threading.Lock()
        self._pages = OrderedDict()
        self._generation = None
        self._checked_at = None

    def get(self, key):
        """A copy of the kept page, or None when there is none, or none known to be current."""
        recheck = settings.PUBLIC_PAGE_RECHECK_SECONDS
        with self._lock:
            if self._checked_at is None or time.monotonic() - self._checked_at >= recheck:
                return None
            kept = self._pages.get(key)
            if kept is None:
                return None
            generation, expires, pickled = kept
            if generation != self._generation or expires <= time.time():
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
        return pickle.loads(pickled)

    def keep(self, key, entry):
        pickled = pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            if entry["generation"] != self._generation:
                return
            self._pages[key] = (entry["generation"], entry["expires"], pickled)
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def saw_generation(self, generation):
        """Note the current generation, just read from (or written to) the shared cache."""
        with self._lock:
            if generation != self._generation:
                self._pages.clear()
                self._generation = generation
            self._checked_at = time.monotonic()

    def forget(self):
        with self._lock:
            self._pages.clear()
            self._generation = None
            self._checked_at = None


# A few hundred pages of about 5 KB (kept gzipped): a couple of megabytes a worker.
recent_pages = RecentPages(size=300)


def page_store():
    """The "pages" cache (settings.CACHES): kept pages may be dropped there at any time, and
    nothing that must last (rate limits, sign-in lockouts) is kept beside them. Its shared
    face only: a page kept in one process's memory while Redis is away could outlive a save
    made through another."""
    return shared(caches["pages"])


def safely(action, *args, failed=None):
    """A cache that is down costs speed, never a page or a saved change: give `failed`
    instead of what `action` would have returned, and tell the outage (once, not per page).

    `action` is an operation of the shared cache itself (`shared(cache)`): a page kept only in
    this process's memory could not be retired by a save made through another."""
    try:
        result = action(*args)
    except SharedCacheUnavailable:
        return failed  # the cache backend has told the outage
    except Exception as exc:
        if not health.note_database_error(exc):  # the database cache, taking no writes
            outage.failed()
        return failed
    outage.answered()
    return result


def page_key(request):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    # The format version keeps a new release from reading pages an older one kept.
    return f"public-page:{ENTRY_FORMAT}:" + hashlib.sha256(address.encode()).hexdigest()


def is_reusable(request, response):
    """Whether `response` is the same page any visitor without a session would get."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not isinstance(getattr(request, "_csp_nonce", None), str)
        and not any(word in cache_control for word in UNCACHEABLE_CACHE_CONTROL)
    )


def retire_pages():
    """Start a new generation: every page cached so far is out of date."""
    generation = uuid.uuid4().hex
    if safely(page_store().set, GENERATION_KEY, generation, None, failed=False) is False:
        recent_pages.forget()  # unknown now: ask the shared cache next time
        _unretired.set()  # and retire them once it answers again
    else:
        _unretired.clear()
        recent_pages.saw_generation(generation)


# Set while pages kept in the shared cache may be older than a save this process made.
_unretired = threading.Event()


def data_changed(**_signal_kwargs):
    """Retire cached pages now, and again once the change is committed: a page made from the
    old data in between (another request, not seeing the uncommitted change) must not last."""
    retire_pages()
    transaction.on_commit(retire_pages)


def connect_signals():
    """Start a new generation whenever a model that public pages show is saved or deleted."""
    from accounts.models import Organisation
    from directory import models

    shown = [
        Organisation,
        models.Area,
        models.Topic,
        models.Audience,
        models.SearchWord,
        models.Venue,
        models.Group,
        models.Schedule,
        models.Pause,
        models.Cancellation,
        models.ExtraSession,
        models.SchoolHoliday,
        models.SessionConfirmation,
    ]
    for model in shown:
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(data_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(data_changed, sender=model, dispatch_uid=uid)
    for through in (
        models.Group.topics.through,
        models.Group.audiences.through,
        models.Area.nearby.through,
    ):
        m2m_changed.connect(
            data_changed, sender=through, dispatch_uid=f"page-cache-{through._meta.label_lower}"
        )
