"""The scratch PostgreSQL database the benchmark builds its directories in."""

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/moray_bench"


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


def create(url):
    name = scratch_name(url)
    with _admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(url):
    name = scratch_name(url)
    with _admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
