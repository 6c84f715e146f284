"""Scenario 2: PostgreSQL goes away mid-load and comes back; the app carries on by itself."""

import time

from reliability import harness
from reliability.conftest import CLIENTS, SECONDS, record
from reliability.workload import Site, confirmed_writes_missing, half_written_records, workload

OUTAGE_SECONDS = 2
RECOVERY_SECONDS = 5


def test_the_app_recovers_from_a_database_restart_without_losing_a_confirmed_write(
    postgres, demo_database, static_root, servers
):
    name, url = demo_database
    server = servers.start(harness.app_env(url, static_root), workers=4, threads=4)
    workers_before = set(server.worker_pids())
    site = Site.discover(postgres, name, server.base_url)
    clients = workload(server.base_url, site, CLIENTS)
    outage = {}

    def restart_the_database():
        time.sleep(max(2, SECONDS / 3))
        outage["down"] = time.monotonic()
        postgres.stop()
        time.sleep(OUTAGE_SECONDS)
        postgres.start()  # returns once the server accepts connections
        outage["up"] = time.monotonic()
        # Keep the load on long enough to see the app settle after the recovery window.
        time.sleep(RECOVERY_SECONDS + max(3, SECONDS / 3))

    report = harness.run_load(clients, SECONDS, during=restart_the_database)

    down, up = outage["down"], outage["up"]
    failures = report.failures()
    outside = [f for f in failures if f.ended < down or f.started > up + RECOVERY_SECONDS]
    last_failure = max((f.started for f in failures), default=down)
    recovered_after = max(0.0, last_failure - up)
    after_recovery = [o for o in report.outcomes if o.started > up + RECOVERY_SECONDS]
    first_success = min((o.ended for o in report.outcomes if o.ok and o.started >= up), default=0)
    record("database restart", report.summary())
    record(
        "database restart",
        f"database down for {up - down:.1f}s; {len(failures)} requests failed "
        f"({sorted({f.status or 'no answer' for f in failures}, key=str)}), all during the "
        f"outage: {not outside}; first success {first_success - up:.2f}s and last failure "
        f"{recovered_after:.2f}s after the database was back; {len(after_recovery)} requests "
        f"started {RECOVERY_SECONDS}s or more after it, "
        f"{sum(not o.ok for o in after_recovery)} failed",
    )
    record(
        "database restart",
        f"gunicorn master kept running: {server.process.poll() is None}; "
        f"workers replaced: {len(workers_before - set(server.worker_pids()))}",
    )
    assert not outside, [(f.label, f.status, f.error) for f in outside[:10]]
    # Every request the outage stopped was answered with the "try again" page: never a 400
    # (a session or CSRF check that could not reach the database) or a 500.
    answered = [f for f in failures if f.status is not None]
    assert all(f.status == 503 for f in answered), [(f.label, f.status) for f in answered[:10]]
    assert recovered_after <= RECOVERY_SECONDS
    assert after_recovery and all(o.ok for o in after_recovery)
    assert server.process.poll() is None
    missing = confirmed_writes_missing(postgres, name, report.confirmed_writes())
    record(
        "database restart",
        f"{len(report.confirmed_writes())} confirmed writes checked, {len(missing)} missing",
    )
    assert not missing
    assert not half_written_records(postgres, name)
