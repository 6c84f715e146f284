"""Two app servers on one database and one Redis: no state lives in a process.

Requests carry the same Host header on both servers, as they would behind a load balancer
(allauth keys its per-account login limits by site and address).
"""

import secrets
import time
from types import SimpleNamespace

from accounts.demo import DEMO_PASSWORD, organisation_account_email
from reliability import harness
from reliability.conftest import record
from reliability.workload import Site

TOO_MANY = "Too many failed login attempts"
RECHECK_SECONDS = 1  # PUBLIC_PAGE_RECHECK_SECONDS, as in production


def next_meeting(postgres, database, group_pk):
    """The date of the group's next stored, not cancelled session."""
    rows = postgres.query(
        database,
        "select date from directory_session where group_id = %s and not cancelled "
        "and starts_at > now() order by starts_at limit 1",
        (group_pk,),
    )
    return rows[0][0]


def group_slug(postgres, database, group_pk):
    return postgres.query(database, "select slug from directory_group where id = %s", (group_pk,))[
        0
    ][0]


def test_an_edit_through_one_server_is_served_by_the_other_within_a_second(
    postgres, demo_database, static_root, servers, redis_cache
):
    name, url = demo_database
    cache_url, prefix = redis_cache
    env = harness.app_env(url, static_root, CACHE_URL=cache_url, CACHE_KEY_PREFIX=prefix)
    server_a = servers.start(env, workers=2, threads=2, name="a")
    server_b = servers.start(env, workers=2, threads=2, name="b")
    site = Site.discover(postgres, name, server_a.base_url)
    organisation = sorted(site.groups_by_organisation)[0]
    group_pk = next(
        pk
        for pk in site.groups_by_organisation[organisation]
        if group_slug(postgres, name, pk) in site.group_slugs
    )
    slug = group_slug(postgres, name, group_pk)
    day = next_meeting(postgres, name, group_pk)
    note = f"Hall closed {secrets.token_hex(4)}"
    assert note not in harness.fetch(server_b.base_url, "GET", f"/groups/{slug}/").text

    organiser = harness.Browser(server_a.base_url, host=harness.PUBLIC_HOST)
    email = organisation_account_email(SimpleNamespace(slug=organisation), "admin")
    organiser.sign_in(email, DEMO_PASSWORD)
    path = f"/manage/groups/{group_pk}/dates/{day.isoformat()}/cancel/"
    assert organiser.post_form(path, {"note": note}).status == 302

    # Server B's workers check for saves at most PUBLIC_PAGE_RECHECK_SECONDS (1) apart.
    visitor = harness.Browser(server_b.base_url, host=harness.PUBLIC_HOST)
    saved_at = time.monotonic()
    page_b = visitor.get(f"/groups/{slug}/").text
    while note not in page_b and time.monotonic() - saved_at < RECHECK_SECONDS + 1:
        time.sleep(0.05)
        page_b = visitor.get(f"/groups/{slug}/").text
    waited = time.monotonic() - saved_at
    record(
        "scale-out",
        f"cancelled {day} through server A; server B shows it: {note in page_b}, "
        f"after {waited:.2f} s",
    )
    assert note in page_b
    assert "No group on" in page_b
    assert waited <= RECHECK_SECONDS + 0.5

    # The organiser's session, stored in the database, works on server B too.
    organiser.base_url = server_b.base_url
    assert organiser.get("/manage/").status == 200


def test_a_login_rate_limit_reached_on_one_server_holds_on_the_other(
    postgres, demo_database, static_root, servers, redis_cache
):
    name, url = demo_database
    cache_url, prefix = redis_cache
    env = harness.app_env(url, static_root, CACHE_URL=cache_url, CACHE_KEY_PREFIX=prefix)
    server_a = servers.start(env, workers=2, threads=2, name="a")
    server_b = servers.start(env, workers=2, threads=2, name="b")
    site = Site.discover(postgres, name, server_a.base_url)
    organisation = sorted(site.groups_by_organisation)[0]
    email = organisation_account_email(SimpleNamespace(slug=organisation), "admin")

    attempts = 0
    while attempts < 20:
        attacker = harness.Browser(server_a.base_url, host=harness.PUBLIC_HOST)
        response = attacker.post_form(
            "/accounts/login/", {"login": email, "password": "not-the-password"}
        )
        attempts += 1
        if TOO_MANY in response.text:
            break
    assert TOO_MANY in response.text, "server A never limited the failed logins"

    owner = harness.Browser(server_b.base_url, host=harness.PUBLIC_HOST)
    response = owner.post_form("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    record(
        "scale-out",
        f"server A refused sign-in after {attempts - 1} failed attempts; server B then refused "
        f"the right password too: {TOO_MANY in response.text} (status {response.status})",
    )
    assert TOO_MANY in response.text
    assert "sessionid" not in owner.cookies
