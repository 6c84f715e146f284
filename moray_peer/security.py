"""Headers Django does not set by itself, and two-factor authentication for moderators.

Moderators (staff) can change every organisation's listings, so their accounts must be
protected by a second factor: a signed-in staff member without an authenticator app is sent to
set one up before anything else, and cannot switch it off again.
"""

from functools import wraps

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

# Powerful browser features the site never uses; interest-cohort opts out of FLoC.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

# Where a staff member without two-factor authentication may still go: setting it up
# (which may ask for the password again) and signing out.
MFA_SETUP_URL_NAMES = {"account_logout", "account_reauthenticate"}


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class SignedInNoStoreMiddleware:
    """A page made for someone signed in is theirs alone: no browser or proxy may keep it
    (the back button on a shared computer must not show an organiser's pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Expires", None)
        return response


def needs_mfa(user):
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def is_mfa_setup_page(path):
    try:
        url_name = resolve(path).url_name or ""
    except Resolver404:
        return False
    return url_name.startswith("mfa_") or url_name in MFA_SETUP_URL_NAMES


class StaffMFARequiredMiddleware:
    """Send a signed-in moderator without an authenticator app to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if needs_mfa(user) and not is_mfa_setup_page(request.path_info) and not has_totp(user):
            messages.info(
                request,
                "Moderator accounts need two-factor authentication. Set up an authenticator "
                "app to carry on.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class MFAAdapter(DefaultMFAAdapter):
    """Moderators keep their authenticator app; organisers may remove theirs."""

    def can_delete_authenticator(self, authenticator):
        user = authenticator.user
        if needs_mfa(user) and authenticator.type == Authenticator.Type.TOTP:
            return False
        return super().can_delete_authenticator(authenticator)


def from_this_site(request):
    """Whether a browser sent this request from one of our own pages, by what it says without
    any cookie: Sec-Fetch-Site (every current browser) or, without it, Origin. A request
    with neither comes from no browser, so it carries no visitor's standing to abuse."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == f"{request.scheme}://{request.get_host()}"


def public_post(view):
    """For a public form that must set no cookie (parents are promised none), so cannot carry
    Django's CSRF cookie: POSTs from other sites are refused by their browser's own headers
    instead (from_this_site), and everything else about the form is as usual."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not from_this_site(request):
            return HttpResponseForbidden(
                "This form can only be sent from our own site.",
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)
