"""Every kind of response carries the security headers (issue: production-ready)."""

import pytest
from allauth.account.models import EmailAddress
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from tests.factories import (
    PASSWORD,
    MembershipFactory,
    ModeratorFactory,
    UserFactory,
    group_with_schedule,
)

pytestmark = pytest.mark.django_db


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def public_paths():
    group = group_with_schedule(name="Bumps and Babies")
    return [
        "/",
        "/?q=baby&area=nowhere",
        "/whats-on/",
        f"/groups/{group.slug}/",
        f"/groups/{group.slug}/calendar.ics",
        f"/organisations/{group.organisation.slug}/",
        "/help/",
        "/accounts/login/",
        "/no-such-page/",
    ]


def assert_security_headers(response):
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] in (["'self'"], ["'none'"])
    for name, sources in directives.items():
        assert "'unsafe-inline'" not in sources, name
        assert "'unsafe-eval'" not in sources, name
        assert "nonce" not in sources, f"{name} has a bare 'nonce' placeholder"
        third_party = [s for s in sources if s.startswith(("http:", "https:", "*"))]
        assert not third_party, f"{name} allows {third_party}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "interest-cohort"):
        assert f"{feature}=()" in policy
    # "Use my location" asks on the site's own pages only, never in a frame of another site.
    assert "geolocation=(self)" in policy


def test_public_pages_carry_every_security_header(client):
    for path in public_paths():
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_security_headers(response)


def test_the_open_data_api_carries_every_security_header(client):
    group_with_schedule()
    for path in ("/api/openreferral/services", "/api/openreferral/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)


def test_organiser_and_moderator_pages_carry_every_security_header(client):
    group = group_with_schedule()
    client.force_login(MembershipFactory(organisation=group.organisation).user)
    for path in ("/manage/", f"/manage/groups/{group.pk}/edit/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)
    client.force_login(ModeratorFactory())
    response = client.get("/moderation/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_cookies_are_secure_httponly_and_samesite(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_the_health_check_carries_the_security_headers(client):
    assert_security_headers(client.get("/healthz"))


def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get("/")


def test_script_and_style_nonces_reach_the_policy():
    """A template that needs an inline script uses {{ request.csp_nonce }}; the header allows
    exactly that nonce."""

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">go()</script>')

    response = CSPMiddleware(view)(RequestFactory().get("/"))
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    directives = csp_directives(response)
    assert f"'nonce-{nonce}'" in directives["script-src"]
    assert f"'nonce-{nonce}'" in directives["style-src"]


def test_a_page_that_uses_no_nonce_allows_no_inline_code(client):
    directives = csp_directives(client.get("/"))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
