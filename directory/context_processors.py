import time

from django.conf import settings

from accounts.models import Organisation

_demo_flag = {"value": False, "checked_at": 0.0}
DEMO_FLAG_SECONDS = 60


def demo_data_loaded():
    """Whether demo listings are in the database; checked at most once a minute per process."""
    now = time.monotonic()
    if now - _demo_flag["checked_at"] > DEMO_FLAG_SECONDS:
        _demo_flag["value"] = Organisation.objects.filter(is_demo=True).exists()
        _demo_flag["checked_at"] = now
    return _demo_flag["value"]


def forget_demo_flag():
    _demo_flag["checked_at"] = 0.0


def site(request):
    return {"demo_data": demo_data_loaded(), "quick_exit_url": settings.QUICK_EXIT_URL}
