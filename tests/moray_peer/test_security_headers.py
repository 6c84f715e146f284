"""Every kind of response carries the security headers (issue: production-ready)."""

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from tests.factories import group_with_schedule

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
    for feature in ("camera", "microphone", "geolocation", "interest-cohort"):
        assert f"{feature}=()" in policy


def test_public_pages_carry_every_security_header(client):
    for path in public_paths():
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_security_headers(response)


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
