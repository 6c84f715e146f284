"""Each POST (or other unsafe request) commits all its writes together or none of them.

A worker killed mid-request, a lost database connection or a bug halfway through a view leaves
no half-written listing. Django's ATOMIC_REQUESTS would do this for every request; reads (most
of the traffic) do not need the extra round trip, and views change state only by POST.
"""

from django.db import transaction

from moray_peer.health import database_outage

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class AtomicWritesMiddleware:
    """Last in MIDDLEWARE, so it wraps the view alone. A view's exception reaches here already
    turned into a 500 response, which rolls the transaction back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        if response.status_code < 500:
            database_outage.answered()  # a write went through: tell a recovery, if any
        return response


class CacheRouter:
    """Send the database cache's reads and writes to the "cache" connection (settings)."""

    def db_for_read(self, model, **hints):
        return "cache" if model._meta.app_label == "django_cache" else None

    db_for_write = db_for_read
