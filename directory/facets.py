"""The facet terms parents filter on (areas, topics, audiences) and the everyday words they
search with (directory.vocabulary), read once and kept in the shared cache, so the filter
form, its checks, a search and the open data taxonomy need no query of their own on each
request.

The terms change only when a moderator edits them in the admin. Every such save starts a new
generation of cached pages (directory.page_cache), and the terms are kept under the
generation they were read in, so an edit shows at once; a bulk change made without a save
shows within TERMS_SECONDS.
"""

from directory.models import Area, Audience, SearchWord, Topic
from directory.page_cache import GENERATION_KEY, page_store, safely

TERMS_KEY = "facet-terms"
TERMS_SECONDS = 300


def terms(model):
    """All the terms of `model` (Area, Topic or Audience) in their usual order; each area
    comes with its nearby areas."""
    return _all_terms()[model._meta.model_name]


def search_words():
    """The everyday words parents search with, as (words, kind, term id, crisis) rows; read
    only by a search, so a page without one costs nothing more."""
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


def option_counts(count):
    """The number of groups each filter choice finds (directory.filters), counted by `count()`
    once a generation of cached pages, and at least every TERMS_SECONDS: "today" and "this
    week" move on, and a count a few minutes old is near enough beside a checkbox."""
    return _kept(COUNTS_KEY, count)


def _kept(key, build):
    """What `build()` gives, kept in the shared cache for this generation of pages."""
    found = safely(page_store().get_many, [GENERATION_KEY, key]) or {}
    generation = found.get(GENERATION_KEY)
    entry = found.get(key)
    if entry is None or entry["generation"] != generation:
        entry = {"generation": generation, "value": build()}
        safely(page_store().set, key, entry, TERMS_SECONDS)
    return entry["value"]
