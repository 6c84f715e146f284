"""Limits on what one visitor may send to the public pages (problem reports, helpful votes)
and add to the evidence counts.

Each count is kept in the shared cache under a keyed hash of the visitor's IP address: the
address itself is never stored, and the count disappears when its window ends.

A limit never fails open and never fails the page: while the shared cache cannot be reached,
counts are kept in this process's memory (the Redis backend does so itself; this covers any
other cache), so each server process allows a visitor the same number again, no more.
"""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.crypto import salted_hmac

from moray_peer import health
from moray_peer.outages import Outage
from moray_peer.redis_cache import incr_in_window

_local = LocMemCache("public-limits", {"OPTIONS": {"MAX_ENTRIES": 5000}})
_outage = Outage("The cache holding public rate limits", __name__)


class PublicLimit:
    def __init__(self, name, per_window, window_seconds):
        self.name = name
        self.per_window = per_window
        self.window_seconds = window_seconds

    def _key(self, request):
        # The same client IP allauth's own rate limits use (it knows about trusted proxies).
        ip = get_adapter(request).get_client_ip(request)
        return f"{self.name}-limit:" + salted_hmac(f"ratelimit.{self.name}", ip).hexdigest()

    def used(self, request):
        key = self._key(request)
        return _guarded(lambda store: store.get(key, 0))

    def reached(self, request):
        return self.used(request) >= self.per_window

    def take(self, request):
        """Use up one from this visitor's allowance; False when none was left."""
        return self.take_up_to(request, 1) == 1

    def take_up_to(self, request, wanted):
        """Use up as many as `wanted` from this visitor's allowance, in one step: how many
        there were left to use (from 0 to `wanted`)."""
        key = self._key(request)
        used = _guarded(lambda store: incr_in_window(store, key, wanted, self.window_seconds))
        used_before = used - wanted
        return max(0, min(wanted, self.per_window - used_before))


def _guarded(use):
    """`use(cache)`, or `use(this process's memory)` when the cache fails."""
    try:
        result = use(cache)
    except Exception as exc:
        if not health.note_database_error(exc):  # the database cache, taking no writes
            _outage.failed()
        return use(_local)
    _outage.answered()
    return result
