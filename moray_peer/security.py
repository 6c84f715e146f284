"""Headers Django does not set by itself, and two-factor authentication for moderators.

Moderators (staff) can change every organisation's listings, so their accounts must be
protected by a second factor: a signed-in staff member without an authenticator app is sent to
set one up before anything else, and cannot switch it off again.
"""

import hashlib
from functools import wraps

from allauth.core import context
from allauth.mfa import signals as mfa_signals
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

# Powerful browser features the site never uses; interest-cohort opts out of FLoC. Its own
# pages may ask for the location ("Use my location", static/js/where.js); no embedded frame may.
PERMISSIONS_POLICY = (
    ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "camera",
            "gyroscope",
            "interest-cohort",
            "magnetometer",
            "microphone",
            "payment",
            "usb",
        )
    )
    + ", geolocation=(self)"
)

# Where a staff member without two-factor authentication may still go: setting it up
# (which may ask for the password again) and signing out.
MFA_SETUP_URL_NAMES = {"account_logout", "account_reauthenticate"}
# What a browser fetches by itself, never a page a person asked for.
NOT_PAGES = ("/favicon.ico", "/robots.txt", "/apple-touch-icon")
# How long a secret shown on the set-up page stays on offer before a new one is made.
PENDING_SECRET_SECONDS = 7 * 24 * 60 * 60
# The page a moderator was opening when sent to set up two-factor, for "Continue" after it.
GOING_TO_SESSION_KEY = "mfa_going_to"


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


def is_page_load(request):
    """A page the person asked for (a link, a typed address, a form), not an icon, a file or
    a script's background request, which the browser makes by itself."""
    path = request.path_info
    if path.startswith(NOT_PAGES) or path.startswith(settings.STATIC_URL):
        return False
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return False
    # Sent by every current browser; "document" for the page itself, "empty" for fetch(). A
    # page the offline worker fetches on the page's behalf still asks for HTML.
    destination = request.headers.get("Sec-Fetch-Dest", "document")
    if destination in ("document", "iframe", "frame"):
        return True
    return "text/html" in request.headers.get("Accept", "")


class StaffMFARequiredMiddleware:
    """Send a signed-in moderator without an authenticator app to set one up.

    Only a page load is sent there. What the browser fetches by itself (its icon, a script's
    request) is refused instead: a redirect would load the set-up page behind the page on
    screen, which used to make a new secret and so reject the code for the one shown.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path_info
        if path.startswith(NOT_PAGES) or not needs_mfa(user) or is_mfa_setup_page(path):
            return self.get_response(request)
        if has_totp(user):
            request.session.pop(GOING_TO_SESSION_KEY, None)  # arrived: nothing to go back to
            return self.get_response(request)
        if not is_page_load(request):
            return HttpResponseForbidden(
                "Set up two-factor authentication first.", content_type="text/plain"
            )
        if request.method in ("GET", "HEAD"):
            request.session[GOING_TO_SESSION_KEY] = request.get_full_path()
        messages.info(
            request,
            "Moderator accounts need two-factor authentication. Set up an authenticator "
            "app to carry on.",
        )
        return redirect("mfa_activate_totp")


def continue_after_setup(request):
    """Where "Continue" goes once two-factor is set up: the page the moderator was opening
    when sent to set it up, else where signing in lands (the dashboard, which sends a
    moderator outside any organisation on to the moderation page)."""
    going_to = request.session.get(GOING_TO_SESSION_KEY, "")
    if going_to and url_has_allowed_host_and_scheme(
        going_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return going_to
    return reverse(settings.LOGIN_REDIRECT_URL)


def pending_secret_key(user):
    # Tied to the password as well as the account: once the password changes (say, after
    # someone else learnt it and saw the secret), a new secret is offered.
    password = hashlib.sha256(user.password.encode()).hexdigest()[:16]
    return f"mfa:pending-totp-secret:{user.pk}:{password}"


class SteadyActivateTOTPForm(ActivateTOTPForm):
    """allauth's set-up form, but the secret on offer stays the same until it is used.

    allauth makes a new secret each time the page loads, so a reload, a second tab or signing
    in again after closing the browser would reject the code from the QR code already
    scanned. The secret on offer is kept for the account and its password (in the shared
    cache, for a week), not the browser session, and forgotten once an authenticator app is
    set up with it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        key = pending_secret_key(self.user)
        kept = cache.get(key)
        if kept:
            self.secret = kept
        else:
            cache.set(key, self.secret, PENDING_SECRET_SECONDS)
        if context.request is not None:
            context.request.session[SECRET_SESSION_KEY] = self.secret


@receiver(mfa_signals.authenticator_added)
def forget_pending_secret(sender, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        cache.delete(pending_secret_key(user))


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
