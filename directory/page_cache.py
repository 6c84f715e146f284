"""Whole public pages, kept for a short while for visitors who are not signed in.

A parent's request carries no session cookie, so every such request for the same address gets
the same page: it can be served from the shared cache (Redis in production) without running
the view's queries or its templates, which is what keeps the directory fast on a busy day and
flat as it grows. Signed-in organisers and moderators always get a freshly made page, so they
see their own edits at once. Everyone else sees a change as soon as it is saved through a
model (each save starts a new generation of cached pages), and anything else — a session that
has just ended, a bulk update — within PUBLIC_PAGE_CACHE_SECONDS.

A page is never kept when it is specific to one request: when it sets a cookie, carries a CSRF
token or a CSP nonce, says it is private, or is not a plain 200.

What a cached page counts for the evidence counters (evidence.counting) is kept with it and
counted again for each visitor it is served to, so the counts do not depend on the cache. Its
gzipped copy is kept too (moray_peer.compression), so it is compressed once, not per visit.
"""

import hashlib
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from evidence import counting
from moray_peer import compression

GENERATION_KEY = "public-page:generation"
ENTRY_FORMAT = 1
UNCACHEABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")

logger = logging.getLogger(__name__)


def cache_public_page(view):
    """Serve `view` from the cache to visitors without a session; see the module notes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return view(request, *args, **kwargs)
        key = page_key(request)
        found = safely(cache.get_many, [GENERATION_KEY, key]) or {}
        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        if entry is not None and entry["generation"] == generation:
            counting.replay(request, entry["counts"])
            return compression.send_compressed(request, entry["response"], entry.get("gzipped"))
        response = view(request, *args, **kwargs)
        if is_reusable(request, response):
            entry = {
                "generation": generation,
                "response": response,
                "gzipped": compression.compress_once(response),
                "counts": getattr(request, "evidence_counts", []),
            }
            safely(cache.set, key, entry, seconds)
        return response

    return wrapper


def safely(action, *args):
    """A cache that is down costs speed, never a page or a saved change: log and go on."""
    try:
        return action(*args)
    except Exception:
        logger.warning("The page cache is not answering", exc_info=True)
        return None


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
    safely(cache.set, GENERATION_KEY, uuid.uuid4().hex, None)


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
        models.Venue,
        models.Group,
        models.Schedule,
        models.Pause,
        models.Cancellation,
        models.ExtraSession,
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
