"""Scenario: an account is locked after failed sign-ins, then a flood of visits to distinct
public addresses (each query string and path new) tries to push the lockout out of the cache.

The lockout still holds afterwards, on Redis and on the database cache alike: rate limits
live in a store that page caching never writes to (moray_peer/settings.py, CACHES). When
they shared the database cache with the pages (300 entries, culled a third at a time in key
order) 450 such visits cleared the lockout.
"""

import concurrent.futures
from types import SimpleNamespace

import pytest

from accounts.demo import DEMO_PASSWORD, organisation_account_email
from reliability import harness
from reliability.conftest import record
from reliability.workload import Site

TOO_MANY = "Too many failed login attempts"
FLOOD = 600


def flood_paths(site):
    """FLOOD public addresses, no two alike."""
    paths = []
    for n in range(FLOOD):
        slug = site.group_slugs[n % len(site.group_slugs)]
        paths.append(
            [
                f"/?q=flood-{n}",
                f"/groups/{slug}/?from=flood-{n}",
                f"/whats-on/?week=flood-{n}",
                f"/flood-{n}/",
            ][n % 4]
        )
    return paths


@pytest.mark.parametrize("store", ["redis", "database"])
def test_a_sign_in_lockout_survives_a_flood_of_distinct_public_addresses(
    store, postgres, demo_database, static_root, servers, redis_cache
):
    name, url = demo_database
    extra = {}
    if store == "redis":
        cache_url, prefix = redis_cache
        extra = {"CACHE_URL": cache_url, "CACHE_KEY_PREFIX": prefix}
    server = servers.start(harness.app_env(url, static_root, **extra), workers=2, threads=4)
    site = Site.discover(postgres, name, server.base_url)
    email = organisation_account_email(
        SimpleNamespace(slug=sorted(site.groups_by_organisation)[0]), "admin"
    )

    def sign_in(password):
        browser = harness.Browser(server.base_url, host=harness.PUBLIC_HOST)
        response = browser.post_form("/accounts/login/", {"login": email, "password": password})
        return response, browser

    attempts = 0
    while attempts < 20:
        attempts += 1
        response, _ = sign_in("not-the-password")
        if TOO_MANY in response.text:
            break
    assert TOO_MANY in response.text, "the failed sign-ins were never limited"

    def visit(path):
        return harness.fetch(
            server.base_url, "GET", path, headers={"Host": harness.PUBLIC_HOST}
        ).status

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(visit, flood_paths(site)))

    response, owner = sign_in(DEMO_PASSWORD)
    if store == "database":
        tables = {
            table: postgres.query(name, f"select count(*) from {table}")[0][0]
            for table in ("cache_table", "page_cache_table")
        }
        kept = f"cache rows afterwards: {tables}"
    else:
        kept = "on Redis"
    record(
        f"lockout flood ({store})",
        f"locked after {attempts - 1} failed sign-ins; {FLOOD} distinct public addresses "
        f"({statuses.count(200)} answered 200, {statuses.count(404)} 404); the right password "
        f"afterwards still refused: {TOO_MANY in response.text}; {kept}",
    )
    assert all(status in (200, 404) for status in statuses)
    assert TOO_MANY in response.text
    assert "sessionid" not in owner.cookies
