"""Scenario: the database stops taking writes mid-load (as a full disk or a failover to a
replica leaves it: `default_transaction_read_only`, with every connection opened afresh), then
takes them again. Pages keep coming; a change that could not be saved gets the 503 "your change
was not saved" page, never the 500; /healthz says the database is read-only; writes go through
again within seconds, not when the connections grow old."""

import time

from reliability import faults, harness
from reliability.conftest import CLIENTS, record
from reliability.workload import Organiser, Site, half_written_records, workload

READ_ONLY_SECONDS = 6


def set_read_only(postgres, name, on):
    with harness.psycopg.connect(postgres.url("postgres"), autocommit=True) as conn:
        if on:
            conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
            # Every connection the app holds goes; the ones it opens next are read-only.
            conn.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = %s",
                (name,),
            )
        else:
            # Connections opened meanwhile stay read-only: the app must drop them itself.
            conn.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')


def test_a_read_only_database_gets_the_not_saved_page_and_writes_resume_at_once(
    postgres, demo_database, static_root, servers
):
    name, url = demo_database
    server = servers.start(harness.app_env(url, static_root), workers=4, threads=4)
    site = Site.discover(postgres, name, server.base_url)
    clients = workload(server.base_url, site, CLIENTS)
    clients += [faults.Reporter(server.base_url, site), faults.SigningIn(server.base_url, site)]
    slug = sorted(site.groups_by_organisation)[0]
    checker = Organiser(server.base_url, slug, site.groups_by_organisation[slug])
    seen = {}

    def begin():
        set_read_only(postgres, name, True)
        time.sleep(0.5)
        outcome = checker.add_extra_date(checker.group_pks[0])
        response = checker.post(
            f"/manage/groups/{checker.group_pks[0]}/confirm/", {}
        )  # "still correct": a plain write
        seen["add date"] = outcome.status
        seen["confirm"] = (response.status, response.headers.get("Retry-After"))
        seen["not saved"] = "Your change was not saved" in response.text

    run = faults.run_with_fault(
        server.base_url,
        lambda: harness.log_size(server),
        clients,
        begin=begin,
        end=lambda: set_read_only(postgres, name, False),
        fault_seconds=READ_ONLY_SECONDS,
    )

    report = run.report
    record("read-only database", report.summary())
    record("read-only database", run.summary())
    record("read-only database", f"an organiser's change during it: {seen}")
    errors = [o for o in report.outcomes if o.status == 500]
    assert not errors, [(o.label, o.status) for o in errors[:10]]
    assert seen["add date"] == 503
    assert seen["confirm"] == (503, "5") and seen["not saved"]
    assert '"read-only"' in run.health_during["body"], run.health_during
    assert not run.outside(), [(o.label, o.status, o.error) for o in run.outside()[:10]]
    assert run.last_failure_after() <= faults.RECOVERY_SECONDS
    assert run.after_recovery() and all(o.ok for o in run.after_recovery())
    assert run.recovered_health_after is not None
    assert run.recovered_health_after <= faults.RECOVERY_SECONDS
    assert run.log_growth <= faults.LOG_BOUND_BYTES
    missing = faults.writes_missing(postgres, name, report)
    record(
        "read-only database",
        f"{len(report.confirmed_writes())} confirmed writes, {len(missing)} missing",
    )
    assert not missing
    assert not half_written_records(postgres, name)
