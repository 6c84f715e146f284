"""Scenario: Redis (the shared cache, rate limits and evidence buffer) stops mid-load and
comes back empty. Every page and form keeps working, degraded; the log says so in a few lines."""

from reliability import faults, harness
from reliability.conftest import CLIENTS, record
from reliability.workload import Site, half_written_records, workload

OUTAGE_SECONDS = 6


def test_with_redis_stopped_every_page_and_form_keeps_working(
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
        begin=private_redis.stop,
        end=private_redis.start,
        fault_seconds=OUTAGE_SECONDS,
        healthy=lambda answer: '"cache": "ok"' in answer.get("body", ""),
    )

    report = run.report
    during = run.during()
    record("redis stopped", report.summary())
    record("redis stopped", run.summary())
    by_label = {}
    for o in during:
        by_label.setdefault(o.label, []).append(o.status)
    record(
        "redis stopped",
        "during it: "
        + ", ".join(
            f"{label} {statuses.count(200) + statuses.count(302)}/{len(statuses)} ok"
            for label, statuses in sorted(by_label.items())
        ),
    )
    assert not report.server_errors(), [(o.label, o.status) for o in report.server_errors()[:10]]
    assert not report.failures(), [(o.label, o.status, o.error) for o in report.failures()[:10]]
    assert any(o.label == "sign in" and o.status == 302 for o in during)
    assert any(o.label == "report a problem" for o in during)
    assert run.health_during["status"] == 200 and "not answering" in run.health_during["body"]
    assert run.recovered_health_after is not None
    assert run.recovered_health_after <= faults.RECOVERY_SECONDS
    assert run.log_growth <= faults.LOG_BOUND_BYTES
    missing = faults.writes_missing(postgres, name, report)
    record(
        "redis stopped",
        f"{len(report.confirmed_writes())} confirmed writes, {len(missing)} missing",
    )
    assert not missing
    assert not half_written_records(postgres, name)
