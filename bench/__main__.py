"""`python -m bench` (`make bench`): is the directory fast, and does it stay fast as it grows?

Builds directories of 100, 1,000 and 10,000 groups in a scratch PostgreSQL database, serves
each with real gunicorn on a loopback port (DEBUG off, static files collected and served by
whitenoise), loads every public page type with wrk at concurrency 1 and 20, and prints the
figures and the budgets, PASS or FAIL. Each page type is measured twice: as served (the page
cache on, as in production) and with every request rendered (the page cache off: what a visitor
gets when the page is not in the cache). Throughput is also shown as a share of a trivial
"hello" view served by the same gunicorn in the same run, so the figures hold on a noisy
machine. See bench/README.md for the budgets, the choices behind them and the latest figures.

It exits non-zero only when something crashes; a FAIL is printed, not fatal, unless --strict.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import time
from itertools import chain, zip_longest
from pathlib import Path

from bench import database, report

MEMORY_RUN_SECONDS = 2
MODES = ("served", "rendered")
SHARE_ROUNDS = 3
SCALING_ROUNDS = 5
REDIS_URL = "redis://127.0.0.1:6379/0"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        help="directory sizes in groups, comma-separated (default 100,1000,10000)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a CI-sized run: sizes 100 and 1,000, shorter loads, fewer memory requests",
    )
    parser.add_argument("--seconds", type=float, help="length of each load run (default 2)")
    parser.add_argument(
        "--memory-requests", type=int, help="requests before the memory reading (default 10000)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn workers (default 2 x cores + 1, as gunicorn.conf.py)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", database.DEFAULT_URL),
        help="scratch PostgreSQL database, created and dropped by the run "
        f"(default $BENCH_DATABASE_URL or {database.DEFAULT_URL})",
    )
    parser.add_argument("--keep-db", action="store_true", help="leave the scratch database")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget fails")
    args = parser.parse_args(argv)
    args.sizes = sorted(args.sizes or ([100, 1000] if args.quick else [100, 1000, 10000]))
    args.seconds = args.seconds or (1 if args.quick else 2)
    args.memory_requests = args.memory_requests or (2000 if args.quick else 10000)
    return args


def cache_url():
    """The cache production uses (Redis) when one answers on this machine, else the database
    cache table, as the site falls back to; CACHE_URL in the environment wins."""
    if os.environ.get("CACHE_URL"):
        return os.environ["CACHE_URL"]
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return "db://"
    return REDIS_URL


def configure_environment(args, static_root):
    """The environment for this process and for gunicorn: production settings on the
    scratch database, plus the bench URLconf."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": args.database_url,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "WHITENOISE_USE_FINDERS": "false",
            "BENCH_STATIC_ROOT": str(static_root),
            "CACHE_URL": cache_url(),
            # Each run's cached pages are its own, whoever else shares the Redis server.
            "CACHE_KEY_PREFIX": f"bench-{os.getpid()}",
            "LOG_LEVEL": "WARNING",
        }
    )


def server_env(page_cache):
    """gunicorn logs every request as production does; this process stays quiet. Database
    connections last the whole run (production renews them each minute): a backend that
    ends takes the CPU time it used with it, and a run's CPU per request came out negative."""
    env = {**os.environ, "LOG_LEVEL": "INFO", "DB_CONN_MAX_AGE": "3600"}
    if not page_cache:
        env["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
    return env


def main(argv=None):
    args = parse_args(argv)
    # Stopped from outside (or with Ctrl-C when started in the background), still stop the
    # servers and drop the scratch database on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    configure_environment(args, static_root)
    started = time.monotonic()
    database.create(args.database_url)
    try:
        results = run(args)
    finally:
        cleanup(args, static_root)
    results["elapsed_seconds"] = round(time.monotonic() - started)
    verdicts = report.print_report(results)
    if args.json:
        args.json.write_text(json.dumps({**results, "budgets": verdicts}, indent=2, default=str))
    print(f"\nTotal time {results['elapsed_seconds']} s.")
    if args.strict and not all(ok for ok, _name, _detail in verdicts):
        return 1
    return 0


def cleanup(args, static_root):
    from django.apps import apps

    if apps.ready:
        from django.core.cache import cache
        from django.db import connections

        from directory.page_cache import GENERATION_KEY
        from evidence.counting import flush_buffer

        cache.delete(GENERATION_KEY)  # the one key without an expiry
        # The run's evidence counts, gathered in Redis, into the scratch database as cron
        # would move them, rather than left behind in a Redis others share.
        flush_buffer()
        connections.close_all()
    if not args.keep_db:
        database.drop(args.database_url)
    shutil.rmtree(static_root, ignore_errors=True)


def run(args):
    import django

    django.setup()
    from django.core.management import call_command

    from bench.load import ensure_wrk

    began = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Migrated and collected static files in {time.monotonic() - began:.0f} s.", flush=True)
    use_wrk = ensure_wrk()
    results = {
        "machine": machine(),
        "tool": "wrk" if use_wrk else "threaded Python client",
        "cache": os.environ["CACHE_URL"].split(":", 1)[0],
        "settings": {
            "workers": args.workers,
            "seconds": args.seconds,
            "memory_requests": args.memory_requests,
        },
        "sizes": [],
    }
    for size in args.sizes:
        results["sizes"].append(measure_size(size, args, use_wrk))
        if size == args.sizes[0] and len(args.sizes) > 1:
            keep_smallest(args)
    if len(args.sizes) > 1:
        results["scaling"] = measure_scaling(args, use_wrk)
    results["memory"] = measure_memory(args, use_wrk)
    return results


def keep_smallest(args):
    """A copy of the smallest directory, to serve beside the largest in measure_scaling."""
    from django.db import connections

    connections.close_all()  # PostgreSQL copies a database only while nothing is connected
    database.snapshot(args.database_url)


def measure_scaling(args, use_wrk):
    """The list, search and what's on, every request rendered, on two servers side by side:
    one on the smallest directory, one on the largest, loaded in turn at concurrency 1
    (small, large, then large, small, ...). Each round's ratio compares two runs seconds apart,
    so other work coming and going on a shared machine, which swung single runs minutes
    apart by half, falls on both; the middle of the rounds' ratios counts."""
    from bench import measure, pages
    from bench.load import Load
    from bench.server import Gunicorn

    smallest, largest = args.sizes[0], args.sizes[-1]
    print(f"\n== scaling: {smallest:,} and {largest:,} groups side by side...", flush=True)
    scaled = [page for page in pages.discover() if page.key in report.SCALED_PAGES]
    databases = {"small": database.snapshot_url(args.database_url), "large": args.database_url}
    env = server_env(page_cache=False)
    figures = {"smallest": smallest, "largest": largest, "rounds": SCALING_ROUNDS, "pages": {}}
    with (
        Gunicorn({**env, "DATABASE_URL": databases["small"]}, args.workers) as small,
        Gunicorn(env, args.workers) as large,
    ):
        servers = {"small": small, "large": large}
        loads = {side: Load(server.base_url, use_wrk) for side, server in servers.items()}

        def processes(side):
            name = database.scratch_name(databases[side])
            return servers[side].worker_pids() + measure.database_backends(name)

        for page in scaled:
            for load in loads.values():
                load.run(page.paths, 20, 1)  # warm every worker
            runs = {"small": [], "large": []}
            for round_number in range(SCALING_ROUNDS):
                order = ("small", "large") if round_number % 2 == 0 else ("large", "small")
                for side in order:
                    runs[side].append(
                        _load(loads[side], page.paths, 1, args.seconds, lambda s=side: processes(s))
                    )
            figures["pages"][page.key] = result = _scaling_figures(page.label, runs)
            print(
                f"      {page.label:<20} cpu {result['small_cpu_ms']:.1f} → "
                f"{result['large_cpu_ms']:.1f} ms, ratio {result['cpu_ratio']:.2f} "
                f"(rounds {', '.join(f'{r:.2f}' for r in result['cpu_ratios'])})",
                flush=True,
            )
        figures["server_errors"] = sum(_server_errors(server) for server in servers.values())
    return figures


def _scaling_figures(label, runs):
    pairs = list(zip(runs["small"], runs["large"], strict=True))
    cpu_ratios = [large["cpu_ms"] / small["cpu_ms"] for small, large in pairs]
    elapsed_ratios = [large["p50"] / small["p50"] for small, large in pairs]
    return {
        "label": label,
        "small_cpu_ms": statistics.median(run["cpu_ms"] for run in runs["small"]),
        "large_cpu_ms": statistics.median(run["cpu_ms"] for run in runs["large"]),
        "cpu_ratios": cpu_ratios,
        "cpu_ratio": statistics.median(cpu_ratios),
        "elapsed_ratio": statistics.median(elapsed_ratios),
    }


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "date": time.strftime("%Y-%m-%d"),
        "python": sys.version.split()[0],
        "load_average": os.getloadavg()[0],
    }


def _floor(load, hello, seconds, attempts=5):
    """Hello's requests per second at concurrency 20, once the server has answered what a
    slow page left queued (a page taking seconds leaves the floor run with no answers)."""
    for _ in range(attempts):
        rps = load.run(hello, 20, seconds).rps
        if rps > 0:
            return rps
        time.sleep(seconds)
    raise RuntimeError(f"hello did not answer in {attempts} runs of {seconds} s")


def measure_size(size, args, use_wrk):
    from bench import measure, pages
    from bench.builder import build_directory
    from directory.models import Group, Session

    print(f"\n== {size:,} groups: building...", flush=True)
    began = time.monotonic()
    build_directory(size)
    result = {
        "groups": size,
        "published": Group.objects.published().count(),
        "sessions": Session.objects.count(),
        "build_seconds": round(time.monotonic() - began, 1),
        "load_average": os.getloadavg()[0],
    }
    print(
        f"   built in {result['build_seconds']} s: {result['published']:,} published groups, "
        f"{result['sessions']:,} stored sessions",
        flush=True,
    )
    page_types = pages.discover()
    figures = {}
    for page in page_types:
        queries, sql = measure.count_queries(page.paths, page_cache=False)
        from_cache, _sql = measure.count_queries(page.paths, page_cache=True)
        figures[page.key] = {
            "label": page.label,
            "queries": queries,
            "queries_from_cache": from_cache,
            "sql": sql,
        }
    hello_runs = []
    for mode in MODES:
        hello_runs += load_pages(mode, page_types, figures, result, args, use_wrk)
    result["hello"] = {
        key: sum(run[key] for run in hello_runs) / len(hello_runs) for key in hello_runs[0]
    }
    result["pages"] = figures
    rps = ", ".join(f"{run['c20_rps']:.0f}" for run in hello_runs)
    print(f"   hello floor at concurrency 20: {rps} req/s (mean of each run)", flush=True)
    return result


def load_pages(mode, page_types, figures, result, args, use_wrk):
    """Load every page type on a gunicorn with the page cache on ("served") or off
    ("rendered"); the served run also checks bytes, the first screen and caching headers.
    Returns the hello runs, measured before and after the pages."""
    from bench import measure
    from bench.load import Load
    from bench.server import Gunicorn

    print(f"   -- {mode}:", flush=True)
    with Gunicorn(server_env(page_cache=mode == "served"), args.workers) as server:
        load = Load(server.base_url, use_wrk)
        hello = ["/bench-hello/"]
        load.run(hello, 20, 1)  # warm every worker and its database connection

        def processes():
            return server.worker_pids() + measure.database_backends()

        hello_runs = [_loads(load, hello, args.seconds, processes)]
        for page in page_types:
            reply = measure.fetch(server.base_url, page.paths[0])
            if reply.status != 200:
                raise RuntimeError(f"{page.paths[0]} answered {reply.status}")
            if mode == "served":
                figures[page.key].update(
                    wire_bytes=reply.compressed_size,
                    raw_bytes=len(reply.decoded),
                    served_compressed=bool(reply.headers.get("content-encoding")),
                )
            if mode == "served":
                measure.visit_all(server.base_url, page.paths)  # each page into the cache
            load.run(page.paths, 20, 1)  # warm the workers
            measured = figures[page.key][mode] = _loads(load, page.paths, args.seconds, processes)
            # The floor again, right after: the page's share of it compares like with like on
            # a machine whose load changes from minute to minute. As served (the budget), the
            # page and hello alternate a few times and the middle share counts.
            shares = []
            for round_number in range(SHARE_ROUNDS if mode == "served" else 1):
                page_rps = (
                    load.run(page.paths, 20, args.seconds).rps
                    if round_number
                    else measured["c20_rps"]
                )
                measured["hello_c20_rps"] = _floor(load, hello, args.seconds)
                shares.append(page_rps / measured["hello_c20_rps"])
            measured["c20_shares"] = shares
            measured["c20_share"] = statistics.median(shares)
            report.print_progress(figures[page.key], mode)
        hello_runs.append(_loads(load, hello, args.seconds, processes))
        if mode == "served":
            parts, blocking = measure.first_screen(server.base_url, page_types[0].paths[0])
            result["first_screen"] = [(kind, url, size) for kind, url, size, _h in parts]
            result["render_blocking"] = blocking
            embed = next((page for page in page_types if page.key == "embed"), None)
            if embed:
                parts_, _blocking = measure.first_screen(server.base_url, embed.paths[0])
                result["embed_first_screen"] = [(k, u, size) for k, u, size, _h in parts_]
            result["static"] = measure.static_caching(parts)
            result["conditional_get"] = {
                page.key: measure.conditional_get(server.base_url, page.paths[0])
                for page in page_types
                if page.html
            }
        result["server_errors"] = result.get("server_errors", 0) + _server_errors(server)
    return hello_runs


def _server_errors(server):
    """How many tracebacks the server logged; its log is kept to read when there are any."""
    errors = [line for line in server.error_log().splitlines() if "Traceback" in line]
    if errors:
        print(f"   server errors: see {server.log_path}", flush=True)
    else:
        server.discard_log()
    return len(errors)


def _loads(load, paths, seconds, processes):
    """Requests per second, median and 95th percentile time, and the CPU time the server
    spent per request, at concurrency 1 and 20."""
    figures = {}
    for concurrency in (1, 20):
        run = _load(load, paths, concurrency, seconds, processes)
        figures.update({f"c{concurrency}_{key}": value for key, value in run.items()})
    return figures


def _load(load, paths, concurrency, seconds, processes):
    """One run: requests per second, median and 95th percentile time, and the CPU time the
    server spent per request (gunicorn's workers and their PostgreSQL backends: unlike
    elapsed time, it does not grow while other work waits for the machine)."""
    from bench.server import cpu_seconds, cpu_used

    cpu_before = cpu_seconds(processes())
    result = load.run(paths, concurrency, seconds)
    cpu = cpu_used(cpu_before, cpu_seconds(processes()))
    if result.errors:
        raise RuntimeError(f"{result.errors} failed requests loading {paths[0]}")
    # No answer within the run: as slow as can be, not "0 ms".
    slowest = float("inf") if not result.requests else None
    return {
        "rps": result.rps,
        "p50": slowest or result.p50_ms,
        "p95": slowest or result.p95_ms,
        "cpu_ms": slowest or cpu / result.requests * 1000,
    }


def measure_memory(args, use_wrk):
    """One worker's resident memory before and after many requests at the largest size, as
    served (every page type made, then kept in the cache and made again as it expires)."""
    from bench import pages
    from bench.load import Load
    from bench.server import Gunicorn, resident_kb

    page_types = pages.discover()
    mixed = [p for p in chain(*zip_longest(*(t.paths for t in page_types))) if p]
    print(f"\n== memory: one worker, {args.memory_requests:,} requests...", flush=True)
    with Gunicorn(server_env(page_cache=True), workers=1) as server:
        (worker,) = server.worker_pids()
        load = Load(server.base_url, use_wrk)
        load.run(mixed, 1, 1)
        before = resident_kb(worker)
        served = 0
        while served < args.memory_requests:  # short runs, so the count overshoots little
            result = load.run(mixed, 4, MEMORY_RUN_SECONDS)
            if result.errors:
                raise RuntimeError(f"{result.errors} failed requests in the memory run")
            served += result.requests
        after = resident_kb(worker)
        server.discard_log()
    print(f"   RSS {before / 1024:.1f} MB before, {after / 1024:.1f} MB after", flush=True)
    return {
        "groups": args.sizes[-1],
        "requests": served,
        "rss_before_kb": before,
        "rss_after_kb": after,
    }


if __name__ == "__main__":
    sys.exit(main())
