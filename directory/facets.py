"""The facet terms parents filter on (areas, topics, audiences), read once and kept in the
shared cache, so the filter form, its checks and the open data taxonomy need no query of their
own on each request.

The terms change only when a moderator edits them in the admin. Every such save starts a new
generation of cached pages (directory.page_cache), and the terms are kept under the
generation they were read in, so an edit shows at once; a bulk change made without a save
shows within TERMS_SECONDS.
"""

from directory.models import Area, Audience, Topic
from directory.page_cache import GENERATION_KEY, page_store, safely

TERMS_KEY = "facet-terms"
TERMS_SECONDS = 300


def terms(model):
    """All the terms of `model` (Area, Topic or Audience) in their usual order; each area
    comes with its nearby areas."""
    return _all_terms()[model._meta.model_name]


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
