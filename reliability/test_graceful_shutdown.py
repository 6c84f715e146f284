"""SIGTERM is a graceful stop: requests already being answered finish, then gunicorn exits."""

import signal
import time

from reliability import harness
from reliability.conftest import CLIENTS, record
from reliability.workload import Site, Visitor

GRACEFUL_TIMEOUT = 20


def test_sigterm_lets_requests_in_flight_finish_then_exits_cleanly(
    postgres, demo_database, static_root, servers
):
    name, url = demo_database
    env = harness.app_env(url, static_root, GUNICORN_GRACEFUL_TIMEOUT=GRACEFUL_TIMEOUT)
    server = servers.start(env, workers=2, threads=4)
    site = Site.discover(postgres, name, server.base_url)
    clients = [Visitor(server.base_url, site) for _ in range(max(4, CLIENTS // 4))]
    stop = {}

    def terminate():
        time.sleep(3)
        stop["at"] = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        stop["code"] = server.process.wait(timeout=GRACEFUL_TIMEOUT + 10)
        stop["exited"] = time.monotonic()

    report = harness.run_load(clients, 0, during=terminate)

    answered = [o for o in report.outcomes if o.status is not None]
    cut_off = [o for o in report.outcomes if o.status is None and o.started < stop["at"]]
    refused = [o for o in report.outcomes if o.status is None and o.started >= stop["at"]]
    record(
        "graceful stop",
        f"SIGTERM under load: exit code {stop['code']} after {stop['exited'] - stop['at']:.2f}s; "
        f"{len(answered)} requests answered ({len(report.server_errors())} 5xx), "
        f"{len(cut_off)} started before SIGTERM got no answer, {len(refused)} refused after",
    )
    assert stop["code"] == 0
    assert stop["exited"] - stop["at"] < GRACEFUL_TIMEOUT
    assert not report.server_errors()
    assert all(o.ok for o in answered)
    assert not cut_off, [(o.label, o.error) for o in cut_off[:10]]
