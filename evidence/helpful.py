"""A rate limit on "Was this helpful?" answers, so no one can flood the counts.

The limit is kept in the shared cache under a keyed hash of the visitor's IP address: the
address itself is never stored, and the entry vanishes when its window ends.
"""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.utils.crypto import salted_hmac

ANSWERS_PER_WINDOW = 20
WINDOW_SECONDS = 60 * 60


def _limit_key(request):
    # The same client IP allauth's own rate limits use (it knows about trusted proxies).
    ip = get_adapter(request).get_client_ip(request)
    return "helpful-limit:" + salted_hmac("evidence.helpful", ip).hexdigest()


def take_answer(request):
    """Use up one answer from this visitor's allowance; False when none is left."""
    key = _limit_key(request)
    # add() starts the window only if none is running; incr() keeps its expiry.
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        used = 1
    return used <= ANSWERS_PER_WINDOW
