"""Fixtures for the reliability suite: a private PostgreSQL cluster, a demo database to copy,
collected static files, Redis, and the figures each scenario prints.

RELIABILITY_SECONDS (default 60) and RELIABILITY_CLIENTS (default 50) bound the load; CI
runs a short form.
"""

import os
import re
import secrets
import shutil

import pytest
import redis

from reliability import harness, proxy

SECONDS = int(os.environ.get("RELIABILITY_SECONDS", "60"))
CLIENTS = int(os.environ.get("RELIABILITY_CLIENTS", "50"))
REDIS_URL = os.environ.get("RELIABILITY_REDIS_URL", "redis://127.0.0.1:6379/0")

FIGURES = []


def record(scenario, text):
    """Keep a figure for the summary at the end of the run."""
    FIGURES.append(f"[{scenario}] {text}")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "reliability: runs real servers (make reliability; bounded in CI by .ci/run)"
    )


def pytest_collection_modifyitems(items):
    for item in items:
        if "reliability/" in str(item.fspath):
            item.add_marker(pytest.mark.reliability)


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("reliability figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    harness.manage(harness.app_env("sqlite:///unused.sqlite3", root), "collectstatic", "--noinput")
    return root


@pytest.fixture(scope="session")
def postgres():
    cluster = harness.PostgresCluster()
    cluster.init()
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="session")
def demo_template(postgres, static_root):
    """A migrated database holding the full demo directory, copied by each scenario."""
    name = "moray_demo_template"
    env = harness.app_env(postgres.create_database(name), static_root)
    harness.manage(env, "migrate", "--noinput")
    harness.manage(env, "createcachetable")
    harness.manage(env, "load_demo")
    return name


@pytest.fixture
def demo_database(postgres, demo_template, request):
    """A fresh copy of the demo database for one scenario: (name, url)."""
    name = "moray_" + re.sub(r"\W", "_", request.node.name)[:40].lower()
    with harness.psycopg.connect(postgres.url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{demo_template}"')
    return name, postgres.url(name)


@pytest.fixture
def redis_cache():
    """(CACHE_URL, CACHE_KEY_PREFIX) on the machine's Redis, with keys of this test only."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not answering at {REDIS_URL} (start redis-server; see .ci/run)")
    prefix = f"reliability-{secrets.token_hex(4)}"
    yield REDIS_URL, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def private_redis():
    """A redis-server of this test's own, which it may stop or hang."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server; see .ci/run)")
    server = harness.RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def servers(tmp_path):
    """Start gunicorn servers with `servers.start(env, ...)`; all are stopped afterwards.
    Their logs stay in pytest's temporary directory for the last few runs."""
    started = []

    class Servers:
        def start(self, env, **kwargs):
            server = harness.GunicornServer(env, log_dir=tmp_path, **kwargs)
            started.append(server)
            return server.start()

    yield Servers()
    for server in started:
        server.stop()


@pytest.fixture
def proxies():
    """Put the production nginx in front of a server with `proxies.start(server, ...)`; all
    are stopped afterwards."""
    if not os.access(proxy.NGINX, os.X_OK):
        pytest.fail(f"{proxy.NGINX} is missing (apt-get install nginx; `make proxy-deps`)")
    started = []

    class Proxies:
        def start(self, server, **kwargs):
            nginx = proxy.NginxProxy(f"127.0.0.1:{server.port}", **kwargs)
            started.append(nginx)
            return nginx.start()

    yield Proxies()
    for nginx in started:
        nginx.stop()
