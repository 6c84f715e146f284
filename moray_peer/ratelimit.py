"""Limits on what one visitor may send to the public pages (problem reports, helpful votes).

Each count is kept in the shared cache under a keyed hash of the visitor's IP address: the
address itself is never stored, and the count disappears when its window ends.
"""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.utils.crypto import salted_hmac


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
        return cache.get(self._key(request), 0)

    def reached(self, request):
        return self.used(request) >= self.per_window

    def take(self, request):
        """Use up one from this visitor's allowance; False when none was left."""
        key = self._key(request)
        # add() starts the window only if none is running; incr() keeps its expiry.
        cache.add(key, 0, timeout=self.window_seconds)
        try:
            used = cache.incr(key)
        except ValueError:  # the window ended between the two calls
            cache.add(key, 1, timeout=self.window_seconds)
            used = 1
        return used <= self.per_window
