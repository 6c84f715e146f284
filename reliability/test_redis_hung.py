"""Scenario: Redis hangs (SIGSTOP: it takes connections and never answers) mid-load, then
resumes. Timeouts and a rest after each failure keep the site serving at near its usual pace,
and /healthz answers at once, saying the cache is not answering."""

from reliability import faults, harness
from reliability.conftest import CLIENTS, record
from reliability.workload import Site, half_written_records, workload

HANG_SECONDS = 6
# Requests a second during the hang, against before it: a hung cache may slow, never stall.
KEEPS_PACE = 0.25
# Well below the hang itself, above what a busy machine adds to any request.
HEALTH_ANSWERS_WITHIN = 3.0


def test_with_redis_hung_the_site_keeps_its_pace_and_healthz_says_so(
    postgres, demo_database, static_root, servers, private_redis
):
    name, url = demo_database
    env = harness.app_env(url, static_root, CACHE_URL=private_redis.url)
    server = servers.start(env, workers=4, threads=4)
    site = Site.discover(postgres, name, server.base_url)
    clients = workload(server.base_url, site, CLIENTS)
    clients += [faults.Reporter(server.base_url, site), faults.SigningIn(server.base_url, site)]

    run = faults.run_with_fault(
        server.base_url,
        lambda: harness.log_size(server),
        clients,
        begin=private_redis.hang,
        end=private_redis.resume,
        fault_seconds=HANG_SECONDS,
        healthy=lambda answer: '"cache": "ok"' in answer.get("body", ""),
    )

    report = run.report
    outcomes = report.outcomes
    before = [o for o in outcomes if o.ended < run.began]
    first = min(o.started for o in outcomes)
    pace_before = len(before) / max(run.began - first, 0.001)
    pace_during = len(run.during()) / (run.ended - run.began)
    record("redis hung", report.summary())
    record("redis hung", run.summary())
    record(
        "redis hung",
        f"{pace_before:.0f} requests/s before the hang, {pace_during:.0f}/s during it",
    )
    assert not report.server_errors(), [(o.label, o.status) for o in report.server_errors()[:10]]
    assert not report.failures(), [(o.label, o.status, o.error) for o in report.failures()[:10]]
    assert pace_during >= KEEPS_PACE * pace_before
    health = run.health_during
    assert health["status"] == 200 and "not answering" in health["body"], health
    assert health["seconds"] <= HEALTH_ANSWERS_WITHIN
    assert run.recovered_health_after is not None
    assert run.recovered_health_after <= faults.RECOVERY_SECONDS
    assert run.log_growth <= faults.LOG_BOUND_BYTES
    missing = faults.writes_missing(postgres, name, report)
    record(
        "redis hung", f"{len(report.confirmed_writes())} confirmed writes, {len(missing)} missing"
    )
    assert not missing
    assert not half_written_records(postgres, name)
