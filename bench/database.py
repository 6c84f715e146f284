"""The scratch PostgreSQL database the benchmark builds its directories in."""

import time
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/moray_bench"
SNAPSHOT_ATTEMPTS = 20


def _admin_connection(url):
    params = dj_database_url.parse(url)
    return psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def scratch_name(url):
    """The database name, refusing any that does not say it is for benchmarks: the bench
    drops and recreates it, so it must never point at a database holding real listings."""
    params = dj_database_url.parse(url)
    if params["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"The benchmark needs PostgreSQL, not {params['ENGINE']}")
    name = params["NAME"]
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to use {name!r}: the scratch database's name must contain 'bench'"
        )
    return name


def snapshot_url(url):
    """Where the smallest directory is kept for the side-by-side scaling runs."""
    address = urlsplit(url)
    return urlunsplit(address._replace(path=f"{address.path}_smallest"))


def snapshot(url):
    """Copy the scratch database, as it is now, to snapshot_url(url). Nothing may be
    connected to it meanwhile (PostgreSQL copies a template database only when idle)."""
    name, copy = scratch_name(url), scratch_name(snapshot_url(url))
    with _admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy))
        )
        create = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(copy), sql.Identifier(name)
        )
        # The backends of a server just stopped take a moment to go.
        for attempt in range(SNAPSHOT_ATTEMPTS):
            try:
                conn.execute(create)
                return
            except psycopg.errors.ObjectInUse:
                if attempt == SNAPSHOT_ATTEMPTS - 1:
                    raise
                time.sleep(0.5)


def create(url):
    name = scratch_name(url)
    with _admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(url):
    """Drop the scratch database and its snapshot."""
    with _admin_connection(url) as conn:
        for name in (scratch_name(url), scratch_name(snapshot_url(url))):
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
