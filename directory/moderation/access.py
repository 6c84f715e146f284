from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def moderator_required(view):
    """Moderators only: anonymous visitors are sent to sign in, organisers get a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_moderator:
            raise PermissionDenied("Moderators only")
        return view(request, *args, **kwargs)

    return wrapper
