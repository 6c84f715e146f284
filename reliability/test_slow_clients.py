"""Scenario: 16 clients open connections and send their request headers one line every 5 s,
never finishing (slowloris). Behind the production nginx, health checks and pages are served
as usual throughout; gunicorn reached directly, as docker-compose.yml once published it, is
stalled by the same attack (which shows this test can fail).

Both runs use the same gunicorn as production's compose file: 3 workers of 4 threads.
"""

import concurrent.futures
import select
import socket
import threading
import time

from reliability import harness
from reliability.conftest import SECONDS, record
from reliability.workload import Site

SLOW_CLIENTS = 16
HEADER_LINE_EVERY = 5
NGINX_HEADER_TIMEOUT = 10  # client_header_timeout in deploy/nginx/default.conf.template
# A health check or a page that takes longer than this has stalled.
PROBE_TIMEOUT = 3
# Requests sent together for each path: with 16 slow clients at least one of gunicorn's 3
# workers has all 4 threads held, and a request it accepts waits behind them.
AT_ONCE = 6


class SlowClients:
    """The attack: each client sends a request line, then one header line every few seconds.
    A client cut off by the server connects again at once, as an attacker's tool does."""

    def __init__(self, port, count=SLOW_CLIENTS):
        self.port = port
        self.count = count
        self.stop = threading.Event()
        self.cut_off = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.client, daemon=True) for _ in range(count)]

    def client(self):
        while not self.stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                    sock.sendall(f"GET / HTTP/1.1\r\nHost: {harness.PUBLIC_HOST}\r\n".encode())
                    line = 0
                    # Readable: the server answered (408) or closed the connection.
                    while not select.select([sock], [], [], HEADER_LINE_EVERY)[0]:
                        if self.stop.is_set():
                            return
                        line += 1
                        sock.sendall(f"X-Still-Typing-{line}: yes\r\n".encode())
            except OSError:
                pass
            with self.lock:
                self.cut_off += 1
            self.stop.wait(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(1)  # every connection open and its first line sent
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(HEADER_LINE_EVERY + 6)


def probe(base_url, paths, seconds):
    """Ask for each of `paths` AT_ONCE times together, round after round, for `seconds`:
    [Outcome] labelled by path. Each request is a new connection, so it is accepted by
    whichever gunicorn worker is quickest, as a load balancer's would be."""
    outcomes = []

    def ask(path):
        return harness.timed(
            path,
            lambda: harness.fetch(
                base_url, "GET", path, headers={"Host": harness.PUBLIC_HOST}, timeout=PROBE_TIMEOUT
            ),
        )

    deadline = time.monotonic() + seconds
    with concurrent.futures.ThreadPoolExecutor(AT_ONCE * len(paths)) as pool:
        while time.monotonic() < deadline:
            outcomes += pool.map(ask, [path for path in paths for _ in range(AT_ONCE)])
    return outcomes


def figures(outcomes):
    """'/healthz: 20/20 ok within 3 s, p50 8 ms, p95 20 ms, max 30 ms; ...' for each path."""
    by_path = {}
    for outcome in outcomes:
        by_path.setdefault(outcome.label, []).append(outcome)
    parts = []
    for path, results in by_path.items():
        ok = [o for o in results if o.ok]
        report = harness.LoadReport(outcomes=ok)
        latency = (
            f"p50 {report.percentile(0.5):.0f} ms, p95 {report.percentile(0.95):.0f} ms, "
            f"max {max(o.latency_ms for o in ok):.0f} ms"
            if ok
            else "none answered"
        )
        parts.append(f"{path}: {len(ok)}/{len(results)} ok within {PROBE_TIMEOUT} s, {latency}")
    return "; ".join(parts)


def probe_paths(postgres, name, base_url):
    """The paths to probe, each asked for once first (a page's first making is slow)."""
    site = Site.discover(postgres, name, base_url)
    paths = ["/healthz", "/", f"/groups/{site.group_slugs[0]}/"]
    for path in paths:
        assert (
            harness.fetch(base_url, "GET", path, headers={"Host": harness.PUBLIC_HOST}).status
            == 200
        )
    return paths


def test_behind_the_proxy_slow_clients_do_not_stall_health_checks_or_pages(
    postgres, demo_database, static_root, servers, proxies
):
    name, url = demo_database
    env = harness.app_env(
        url,
        static_root,
        BEHIND_PROXY="true",
        TRUSTED_PROXY_COUNT=1,
        FORWARDED_ALLOW_IPS="127.0.0.1",
    )
    server = servers.start(env, workers=3, threads=4)
    nginx = proxies.start(server)
    paths = probe_paths(postgres, name, nginx.base_url)
    before = probe(nginx.base_url, paths, 3)

    with SlowClients(nginx.http_port) as attack:
        # Long enough to see nginx cut every slow client off at least once.
        during = probe(nginx.base_url, paths, max(SECONDS, NGINX_HEADER_TIMEOUT + 2))
    record("slow clients", f"before, through nginx: {figures(before)}")
    record(
        "slow clients",
        f"{SLOW_CLIENTS} slow clients through nginx (cut off and back {attack.cut_off} times): "
        + figures(during),
    )
    assert all(o.ok for o in during), [(o.label, o.status, o.error) for o in during if not o.ok]
    slowest = max(o.latency_ms for o in during)
    assert slowest < 1000 * PROBE_TIMEOUT
    # nginx ends each unfinished request at its client_header_timeout.
    assert attack.cut_off >= SLOW_CLIENTS


def test_without_the_proxy_the_same_slow_clients_stall_gunicorn(
    postgres, demo_database, static_root, servers
):
    name, url = demo_database
    server = servers.start(harness.app_env(url, static_root), workers=3, threads=4)
    paths = probe_paths(postgres, name, server.base_url)

    with SlowClients(server.port):
        during = probe(server.base_url, paths, SECONDS)
    record("slow clients", f"{SLOW_CLIENTS} slow clients straight to gunicorn: {figures(during)}")
    # A health check a worker accepted while every thread it has was held by a slow client.
    stalled_health = [o for o in during if o.label == "/healthz" and not o.ok]
    assert stalled_health, figures(during)
    # Gunicorn answers again once the attack ends.
    assert harness.fetch(server.base_url, "GET", "/healthz", timeout=30).status == 200
