"""A pg_dump of a full demo directory, restored into an empty database, serves the same
public pages and API output as the original. Uses scripts/backup.sh and scripts/restore.sh,
as the README tells operators to."""

import difflib
import re
import subprocess

from reliability import harness
from reliability.conftest import record
from reliability.workload import Site

# What legitimately differs between two responses: per-response security tokens and the
# time a calendar file was made.
VOLATILE = [
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(r'(nonce=")[^"]+'),
    re.compile(r"^(DTSTAMP:)\S+", re.M),
]


def normalised(response):
    text = response.text
    for pattern in VOLATILE:
        text = pattern.sub(r"\1…", text)
    return response.status, response.headers.get("Content-Type"), text


def table_counts(postgres, database):
    counts = {}
    for (table,) in postgres.query(
        database, "select tablename from pg_tables where schemaname = 'public' order by 1"
    ):
        counts[table] = postgres.query(database, f'select count(*) from "{table}"')[0][0]
    return counts


def test_a_restored_backup_serves_identical_pages_and_api_output(
    postgres, demo_database, static_root, servers, tmp_path
):
    name, url = demo_database
    dump = tmp_path / "moray.dump"
    script_env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url}
    subprocess.run(
        ["scripts/backup.sh", str(dump)], cwd=harness.PROJECT, env=script_env, check=True
    )
    restored_url = postgres.create_database("moray_restored")
    subprocess.run(
        ["scripts/restore.sh", str(dump)],
        cwd=harness.PROJECT,
        env={**script_env, "DATABASE_URL": restored_url},
        check=True,
    )
    refused = subprocess.run(
        ["scripts/restore.sh", str(dump)],
        cwd=harness.PROJECT,
        env={**script_env, "DATABASE_URL": restored_url},
        capture_output=True,
    )
    assert refused.returncode != 0, "restore.sh must refuse a database that has tables"

    original = servers.start(harness.app_env(url, static_root), workers=2, name="original")
    restored = servers.start(harness.app_env(restored_url, static_root), workers=2, name="restored")
    site = Site.discover(postgres, name, original.base_url)
    paths = [
        "/",
        "/?page=2",
        "/whats-on/",
        "/organisations/",
        *[f"/groups/{slug}/" for slug in site.group_slugs[:6]],
        *[f"/groups/{slug}/calendar.ics" for slug in site.group_slugs[:2]],
        *[f"/organisations/{slug}/" for slug in site.organisation_slugs[:2]],
        *site.api_paths,
    ]
    different = {}
    for path in paths:
        before = normalised(harness.fetch(original.base_url, "GET", path))
        after = normalised(harness.fetch(restored.base_url, "GET", path))
        if before != after:
            diff = difflib.unified_diff(
                before[2].splitlines(), after[2].splitlines(), "original", "restored", n=1
            )
            different[path] = "\n".join(list(diff)[:30])
    counts = table_counts(postgres, name)
    restored_counts = table_counts(postgres, "moray_restored")
    record(
        "backup",
        f"dump {dump.stat().st_size // 1024} KiB of {sum(counts.values())} rows in "
        f"{len(counts)} tables; {len(paths)} pages compared ({len(site.api_paths)} API), "
        f"{len(different)} differ; row counts equal: {counts == restored_counts}",
    )
    assert all(harness.fetch(original.base_url, "GET", p).status == 200 for p in paths)
    assert not different, "\n\n".join(f"{p}:\n{d}" for p, d in different.items())
    assert counts == restored_counts
