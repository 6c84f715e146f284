"""Scenario: a visitor sends X-Forwarded-For and X-Forwarded-Proto of their own choosing.

Through the production nginx they change nothing: the rate limit on problem reports still
counts the visitor's real address, and plain HTTP is still plain HTTP. Gunicorn reached
directly (as docker-compose.yml once published it) believes both headers, so the same
visitor sends as many reports as they like (which shows this test can fail).
"""

import secrets

from reliability import harness
from reliability.conftest import record
from reliability.workload import Site

ATTEMPTS = 8
REPORTS_PER_WINDOW = 5  # directory.public.reports.REPORT_LIMIT
ORIGIN = f"https://{harness.PUBLIC_HOST}"


def report(base_url, slug, headers):
    """One problem report, sent as a parent's browser sends it from the form page."""
    browser = harness.Browser(base_url, host=harness.PUBLIC_HOST)
    path = f"/groups/{slug}/report/"
    page = browser.get(path, headers=headers)
    if page.status != 200:
        return page.status
    data = {"kind": "wrong_time", "details": "reliability-" + secrets.token_hex(6)}
    sent = {**headers, "Origin": ORIGIN, "Referer": ORIGIN + path}
    return browser.request("POST", path, data=data, headers=sent).status


def test_forwarded_headers_a_visitor_sends_are_ignored_through_the_proxy(
    postgres, demo_database, static_root, servers, proxies
):
    name, url = demo_database
    env = harness.app_env(
        url,
        static_root,
        BEHIND_PROXY="true",
        TRUSTED_PROXY_COUNT=1,
        FORWARDED_ALLOW_IPS="127.0.0.1",
        SECURE_SSL_REDIRECT="true",
    )
    server = servers.start(env, workers=2, threads=2)
    nginx = proxies.start(server)
    slug = Site.discover(postgres, name, nginx.https_url).group_slugs[0]

    # Straight to gunicorn: each made-up address gets a fresh allowance, and "https" is taken
    # on trust.
    direct = [
        report(
            server.base_url,
            slug,
            {"X-Forwarded-For": f"198.51.100.{n}", "X-Forwarded-Proto": "https"},
        )
        for n in range(ATTEMPTS)
    ]
    # Through nginx over HTTPS, with a new made-up address (or chain of them) every time.
    proxied = [
        report(
            nginx.https_url,
            slug,
            {"X-Forwarded-For": f"203.0.113.{n}" + (", 192.0.2.1" if n % 2 else "")},
        )
        for n in range(ATTEMPTS)
    ]
    # Plain HTTP through nginx claiming to be HTTPS is still sent to HTTPS.
    claimed = harness.fetch(
        nginx.base_url,
        "GET",
        "/",
        headers={"Host": harness.PUBLIC_HOST, "X-Forwarded-Proto": "https"},
    )
    # As in docker-compose.yml: plain HTTP is sent to HTTPS by nginx itself, but for /healthz.
    redirecting = proxies.start(server, https_redirect="on")
    page_over_http = harness.fetch(
        redirecting.base_url,
        "GET",
        f"/groups/{slug}/?from=poster",
        headers={"Host": harness.PUBLIC_HOST},
    )
    health_over_http = harness.fetch(redirecting.base_url, "GET", "/healthz")
    record("forwarded headers", f"{ATTEMPTS} reports with made-up addresses: statuses")
    record("forwarded headers", f"  straight to gunicorn: {direct}")
    record("forwarded headers", f"  through nginx: {proxied}")
    record(
        "forwarded headers",
        f"plain HTTP through nginx claiming X-Forwarded-Proto https: {claimed.status} "
        f"to {claimed.headers.get('Location')}",
    )
    assert direct == [302] * ATTEMPTS, "the old exposure is no longer shown"
    assert proxied == [302] * REPORTS_PER_WINDOW + [429] * (ATTEMPTS - REPORTS_PER_WINDOW)
    assert claimed.status == 301
    assert claimed.headers["Location"] == f"https://{harness.PUBLIC_HOST}/"
    assert page_over_http.status == 301
    assert page_over_http.headers["Location"] == f"{ORIGIN}/groups/{slug}/?from=poster"
    assert health_over_http.status == 200
