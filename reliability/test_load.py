"""Scenario 1: many parents and organisers at once, against gunicorn and PostgreSQL."""

from collections import Counter

from reliability import harness
from reliability.conftest import CLIENTS, SECONDS, record
from reliability.workload import Site, confirmed_writes_missing, half_written_records, workload


def test_load_gives_no_server_error_and_no_failed_request(
    postgres, demo_database, static_root, servers
):
    name, url = demo_database
    server = servers.start(harness.app_env(url, static_root), workers=4, threads=4)
    site = Site.discover(postgres, name, server.base_url)
    clients = workload(server.base_url, site, CLIENTS)

    report = harness.run_load(clients, SECONDS)

    record("load", f"{CLIENTS} concurrent clients for {SECONDS}s: {report.summary()}")
    by_label = Counter(o.label for o in report.outcomes)
    record("load", "mix: " + ", ".join(f"{label} {n}" for label, n in sorted(by_label.items())))
    if not site.api_paths:
        record("load", "no open-data API answered, so none was loaded")
    failures = report.failures()
    assert not failures, [(f.label, f.status, f.error) for f in failures[:10]]
    assert report.confirmed_writes(), "the organisers made no write"
    assert not confirmed_writes_missing(postgres, name, report.confirmed_writes())
    assert not half_written_records(postgres, name)
