"""Scenario 3: gunicorn workers are killed with SIGKILL mid-request under load."""

import os
import random
import signal
import time

from reliability import harness
from reliability.conftest import CLIENTS, SECONDS, record
from reliability.workload import Site, confirmed_writes_missing, half_written_records, workload

WORKERS = 3
KILLS = 3
REPLACED_WITHIN = 10


def test_a_killed_worker_is_replaced_and_loses_no_confirmed_write(
    postgres, demo_database, static_root, servers
):
    name, url = demo_database
    server = servers.start(harness.app_env(url, static_root), workers=WORKERS, threads=4)
    site = Site.discover(postgres, name, server.base_url)
    clients = workload(server.base_url, site, CLIENTS)
    kills = []

    def kill_workers():
        for _ in range(KILLS):
            time.sleep(max(1.5, SECONDS / (KILLS + 1)))
            victim = random.choice(server.worker_pids())
            killed_at = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            deadline = killed_at + REPLACED_WITHIN
            while time.monotonic() < deadline:
                pids = server.worker_pids()
                if victim not in pids and len(pids) == WORKERS:
                    break
                time.sleep(0.05)
            kills.append((victim, killed_at, time.monotonic() - killed_at, server.worker_pids()))

    report = harness.run_load(clients, SECONDS, during=kill_workers)

    failures = report.failures()

    def in_flight_at_a_kill(outcome):
        return any(outcome.started <= at <= outcome.ended for _, at, _, _ in kills)

    unexplained = [f for f in failures if not in_flight_at_a_kill(f)]
    record("worker killed", report.summary())
    for victim, _, replaced_in, pids in kills:
        record(
            "worker killed",
            f"SIGKILL worker {victim}: replaced in {replaced_in:.2f}s, workers now {pids}",
        )
    record(
        "worker killed",
        f"{len(failures)} requests failed, all of them in flight at a kill: {not unexplained} "
        f"({sum(f.write is not None for f in failures)} of them writes)",
    )
    assert server.process.poll() is None
    for victim, _, replaced_in, pids in kills:
        assert victim not in pids and len(pids) == WORKERS
        assert replaced_in < REPLACED_WITHIN
    assert not unexplained, [(f.label, f.status, f.error) for f in unexplained[:10]]
    missing = confirmed_writes_missing(postgres, name, report.confirmed_writes())
    half_written = half_written_records(postgres, name)
    record(
        "worker killed",
        f"{len(report.confirmed_writes())} confirmed writes checked, {len(missing)} missing; "
        f"{len(half_written)} half-written records",
    )
    assert not missing
    assert not half_written, half_written[:10]
