"""The facet terms parents filter on (areas, topics, audiences) and the everyday words they
search with (directory.vocabulary), read once and kept in the shared cache, so the filter
form, its checks, a search and the open data taxonomy need no query of their own on each
request.

The terms change only when a moderator edits them in the admin. Every such save starts a new
generation of cached pages (directory.page_cache), and the terms are kept under the
generation they were read in, so an edit shows at once; a bulk change made without a save
shows within TERMS_SECONDS.
"""

import hashlib
import threading

from django.core.signals import request_finished, request_started
from django.utils import timezone

from directory.models import Area, Audience, SearchWord, Topic
from directory.page_cache import GENERATION_KEY, page_store, safely

TERMS_KEY = "facet-terms"
TERMS_SECONDS = 300


# What one request has read already: the form's choices, each filter's check, the search and
# the page cache's test of the address all ask for the same terms, and ask the shared cache
# once. Outside a request (commands, the shell) nothing is kept.
_request = threading.local()


def _begin_request(**_signal_kwargs):
    _request.memo = {}


def _end_request(**_signal_kwargs):
    _request.memo = None


def connect_signals():
    """At start-up (DirectoryConfig.ready): connected when this module was first imported, the
    memo missed the first request of each process, which imports it on its way."""
    request_started.connect(_begin_request, dispatch_uid="facets-request-memo")
    request_finished.connect(_end_request, dispatch_uid="facets-request-memo")


def once_per_request(key, make):
    """`make()`, made once per request under `key`; made every time outside a request."""
    memo = getattr(_request, "memo", None)
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


def terms(model):
    """All the terms of `model` (Area, Topic or Audience) in their usual order; each area
    comes with its nearby areas."""
    return _all_terms()[model._meta.model_name]


def search_words():
    """The everyday words parents search with, as (words, kind, term id, crisis) rows."""
    return _kept(SEARCH_WORDS_KEY, _search_word_rows)


def _search_word_rows():
    rows = []
    for words, topic, audience, area, crisis in SearchWord.objects.values_list(
        "words", "topic_id", "audience_id", "area_id", "crisis"
    ):
        kind, term_id = next(
            (
                (kind, pk)
                for kind, pk in (("topic", topic), ("audience", audience), ("area", area))
                if pk
            ),
            (None, None),
        )
        rows.append((words, kind, term_id, crisis))
    return rows


def _all_terms():
    return once_per_request(TERMS_KEY, _read_terms)


def _read_terms():
    found = safely(page_store().get_many, [GENERATION_KEY, TERMS_KEY]) or {}
    generation = found.get(GENERATION_KEY)
    entry = found.get(TERMS_KEY)
    if entry is None or entry["generation"] != generation:
        entry = {
            "generation": generation,
            "area": list(Area.objects.prefetch_related("nearby")),
            "topic": list(Topic.objects.all()),
            "audience": list(Audience.objects.all()),
        }
        safely(page_store().set, TERMS_KEY, entry, TERMS_SECONDS)
    return entry


COUNTS_KEY = "facet-option-counts"
SEARCH_WORDS_KEY = "search-words"


# Counts for more choices than this are made for the request only, as pages are
# (page_cache.MOST_KEPT_QUERY_VALUES): a flood of made-up addresses cannot fill the cache.
MOST_KEPT_CHOICES = 8


def option_counts(chosen, count):
    """The number of groups each filter choice would list, given the choices `chosen`
    (cleaned, as directory.filters gives them), counted by `count()`: once per request, and
    kept in the shared cache for the same choices once a generation of cached pages and at
    least every TERMS_SECONDS ("today" and "this week" move on, so the day is part of the
    key; a count a few minutes old is near enough beside a checkbox). No search words:
    they are never kept (GroupFilter.option_counts gives a search none)."""
    choices = tuple(
        sorted(
            (name, tuple(sorted(str(getattr(value, "slug", value)) for value in values)))
            for name, values in chosen.items()
        )
    )
    if sum(len(values) for _name, values in choices) > MOST_KEPT_CHOICES:
        return once_per_request((COUNTS_KEY, choices), count)
    described = repr((timezone.localdate().isoformat(), choices)).encode()
    return _kept(f"{COUNTS_KEY}:{hashlib.sha256(described).hexdigest()}", count)


def _kept(key, build):
    """What `build()` gives, kept in the shared cache for this generation of pages."""
    return once_per_request(key, lambda: _read_kept(key, build))


def _read_kept(key, build):
    found = safely(page_store().get_many, [GENERATION_KEY, key]) or {}
    generation = found.get(GENERATION_KEY)
    entry = found.get(key)
    if entry is None or entry["generation"] != generation:
        entry = {"generation": generation, "value": build()}
        safely(page_store().set, key, entry, TERMS_SECONDS)
    return entry["value"]
