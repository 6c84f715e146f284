"""Scenario: the gunicorn master is killed outright (SIGKILL) mid-load and a supervisor starts a
new one on the same port at once. The orphaned workers stop listening as soon as their master
dies (gunicorn.conf.py), so the new master binds the port straight away, rather than failing
with "Connection in use" until the old workers have drained."""

import contextlib
import datetime
import os
import signal
import time

from reliability import faults, harness
from reliability.conftest import CLIENTS, SECONDS, record
from reliability.workload import Site, half_written_records, workload

WORKERS = 3
RESTART_WITHIN = 5
GIVE_UP_AFTER = 40


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(FileNotFoundError):
        return "zombie" not in open(f"/proc/{pid}/status").read()
    return False


def listening_at(server):
    """When gunicorn logged "Listening at" (its log's timestamps are to the second)."""
    for line in server.log_path.read_text().splitlines():
        if "Listening at" in line:
            stamp = line[1 : line.index("]")]
            return datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S %z").timestamp()
    raise AssertionError("gunicorn never listened")


def test_after_a_master_sigkill_a_new_master_takes_the_port_at_once(
    postgres, demo_database, static_root, servers
):
    name, url = demo_database
    env = harness.app_env(url, static_root)
    started = time.monotonic()
    old = servers.start(env, workers=WORKERS, threads=4, name="old")
    # What a start costs on this machine (Django's imports, the workers' boot): a restart
    # under load costs that and more, but it binds the port at once.
    first_start = time.monotonic() - started
    orphans = old.worker_pids()
    site = Site.discover(postgres, name, old.base_url)
    clients = workload(old.base_url, site, CLIENTS)
    marks = {"attempts": 0}

    def kill_and_restart():
        time.sleep(max(2, SECONDS / 4))
        marks["log"] = harness.log_size(old)
        marks["killed"], marks["killed wall"] = time.monotonic(), time.time()
        os.kill(old.process.pid, signal.SIGKILL)
        old.process.wait()
        while time.monotonic() < marks["killed"] + GIVE_UP_AFTER:  # what a supervisor does
            marks["attempts"] += 1
            try:
                marks["new"] = servers.start(
                    env, workers=WORKERS, threads=4, name="new", port=old.port
                )
                break
            except RuntimeError as exc:
                marks["last refusal"] = str(exc)[-300:]
                time.sleep(0.5)
        marks["up"] = time.monotonic()
        while any(alive(pid) for pid in orphans) and time.monotonic() < marks["up"] + 35:
            time.sleep(0.2)
        marks["orphans gone"] = time.monotonic() - marks["killed"]
        time.sleep(faults.RECOVERY_SECONDS + 2)

    try:
        report = harness.run_load(clients, SECONDS, during=kill_and_restart)
    finally:
        for pid in orphans:  # this test's own processes, should any outlive it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    new = marks.get("new")
    restarted_in = marks["up"] - marks["killed"]
    killed, up = marks["killed"], marks["up"]
    failures = report.failures()
    outside = [f for f in failures if f.ended < killed or f.started > up + faults.RECOVERY_SECONDS]
    after = [o for o in report.outcomes if o.started > up + faults.RECOVERY_SECONDS]
    log_growth = harness.log_size(old) - marks["log"] + (harness.log_size(new) if new else 0)
    refusals = new.log_path.read_text().count("Connection in use") if new else None
    bound_after = listening_at(new) - marks["killed wall"] if new else None
    record("master killed", report.summary())
    record(
        "master killed",
        f"new master listening {bound_after:.0f}s (to the second) and serving "
        f"{restarted_in:.2f}s after the SIGKILL ({marks['attempts']} "
        f"start(s); a first start took {first_start:.2f}s; 'Connection in use' "
        f"{refusals} times); orphaned workers gone after {marks['orphans gone']:.1f}s; "
        f"{len(failures)} requests failed "
        f"({sorted({f.status or 'no answer' for f in failures}, key=str)}), all between the "
        f"kill and {faults.RECOVERY_SECONDS}s after the restart: {not outside}; log grew "
        f"{log_growth / 1024:.1f} KB",
    )
    assert new is not None, marks.get("last refusal")
    assert marks["attempts"] == 1 and refusals == 0, marks.get("last refusal")
    # Listening at once; serving once its workers have booted, as at any start.
    assert bound_after <= RESTART_WITHIN
    assert restarted_in <= first_start + 2 * RESTART_WITHIN
    assert not [o for o in report.outcomes if o.status is not None and o.status >= 500]
    assert not outside, [(f.label, f.status, f.error) for f in outside[:10]]
    assert after and all(o.ok for o in after)
    assert not any(alive(pid) for pid in orphans)
    assert log_growth <= faults.LOG_BOUND_BYTES
    missing = faults.writes_missing(postgres, name, report)
    record(
        "master killed",
        f"{len(report.confirmed_writes())} confirmed writes, {len(missing)} missing",
    )
    assert not missing
    assert not half_written_records(postgres, name)
