"""The benchmark's tables and its budgets, each printed PASS or FAIL."""

MAX_QUERIES = 8
SCALING_LIMIT = 1.5
THROUGHPUT_SHARE = 0.5
FIRST_SCREEN_BYTES = 14 * 1024
MEMORY_LIMIT_KB = 150 * 1024
ONE_YEAR = 365 * 24 * 3600
SCALED_PAGES = ("list", "search", "words", "near", "whats_on")
MODE_TITLES = {
    "served": "As served (page cache on, as in production)",
    "rendered": "Every request rendered (page cache off: a page not yet in the cache)",
}


def print_progress(figures, mode):
    f = figures[mode]
    print(
        f"      {figures['label']:<20} c1 {f['c1_rps']:>6.0f}/s p50 {f['c1_p50']:>6.1f} ms   "
        f"c20 {f['c20_rps']:>6.0f}/s p50 {f['c20_p50']:>6.1f} p95 {f['c20_p95']:>6.1f} ms   "
        f"{share(f):.0%} of hello",
        flush=True,
    )


def share(figures):
    """Requests per second at concurrency 20 as a share of the hello floor measured next to it
    (the median of alternating runs, as served)."""
    return figures["c20_share"]


def print_report(results):
    """Print the figures and the budgets; returns [(passed, budget, detail)]."""
    sizes = results["sizes"]
    m = results["machine"]
    print(
        f"\nMachine: {m['cores']} cores, {m['cpu']}, {m['memory_gb']} GB, {m['date']}, "
        f"load average {m['load_average']:.1f} at the start. Load from {results['tool']}; "
        f"gunicorn with {results['settings']['workers']} workers (gunicorn.conf.py); "
        f"cache: {results['cache']}; {results['settings']['seconds']:g} s per run."
    )
    print(
        "\nSQL: queries per request when the page is made / when it comes from the page cache."
        "\nbytes: the response body as served to a browser that accepts gzip."
        "\ncpu ms: CPU time gunicorn and PostgreSQL spent per request at concurrency 1."
        "\n÷hello: requests per second at concurrency 20 over hello's, measured just after"
        "\n(as served: the median of 3 alternating runs of the page and hello)."
    )
    for mode, title in MODE_TITLES.items():
        _print_table(sizes, mode, title)
    if results.get("scaling"):
        _print_scaling(results["scaling"])
    verdicts = budgets(results)
    print("\nBudgets:")
    for passed, name, detail in verdicts:
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {detail}")
    return verdicts


def _print_table(sizes, mode, title):
    header = (
        f"{'groups':>7} {'page':<20} {'SQL':>5} {'bytes':>7} {'c1 req/s':>9} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'cpu ms':>7} {'c20 req/s':>10} {'p50 ms':>7} {'p95 ms':>7} {'÷hello':>7}"
    )
    print(f"\n{title}\n{header}\n{'-' * len(header)}")
    for size in sizes:
        h = size["hello"]
        print(
            f"{size['groups']:>7,} {'hello (floor)':<20} {'':>5} {'':>7} {h['c1_rps']:>9.0f} "
            f"{h['c1_p50']:>7.1f} {h['c1_p95']:>7.1f} {h['c1_cpu_ms']:>7.2f} {h['c20_rps']:>10.0f} "
            f"{h['c20_p50']:>7.1f} {h['c20_p95']:>7.1f} {1:>7.2f}"
        )
        for page in size["pages"].values():
            f = page[mode]
            sql = f"{page['queries']}/{page['queries_from_cache']}"
            print(
                f"{size['groups']:>7,} {page['label']:<20} {sql:>5} {page['wire_bytes']:>7,} "
                f"{f['c1_rps']:>9.0f} {f['c1_p50']:>7.1f} {f['c1_p95']:>7.1f} "
                f"{f['c1_cpu_ms']:>7.2f} {f['c20_rps']:>10.0f} {f['c20_p50']:>7.1f} "
                f"{f['c20_p95']:>7.1f} {share(f):>7.2f}"
            )


def budgets(results):
    sizes = results["sizes"]
    small, large = sizes[0], sizes[-1]
    return [
        _queries(sizes),
        _same_queries(small, large),
        _scaling(results.get("scaling")),
        _throughput(sizes),
        *_first_screen(large),
        _conditional_get(large),
        _memory(results["memory"]),
        *(
            [(False, "no server errors", "tracebacks in the gunicorn log")]
            if any(s["server_errors"] for s in [*sizes, results.get("scaling") or {}])
            else []
        ),
    ]


def _queries(sizes):
    worst = max((p["queries"], p["label"], s["groups"]) for s in sizes for p in s["pages"].values())
    return (
        worst[0] <= MAX_QUERIES,
        f"at most {MAX_QUERIES} SQL queries for every public page and API list",
        f"most is {worst[0]} ({worst[1]} at {worst[2]:,} groups)",
    )


def _same_queries(small, large):
    changed = [
        f"{page['label']} {page['queries']} → {large['pages'][key]['queries']}"
        for key, page in small["pages"].items()
        if key in large["pages"] and large["pages"][key]["queries"] != page["queries"]
    ]
    return (
        not changed,
        f"the same query counts at {small['groups']:,} and {large['groups']:,} groups",
        ", ".join(changed) or "every page type the same",
    )


def _print_scaling(scaling):
    print(
        f"\nScaling: every request rendered, concurrency 1, {scaling['smallest']:,} and "
        f"{scaling['largest']:,} groups on two servers side by side, loaded in turn "
        f"{scaling['rounds']} times each; server CPU ms per request (medians) and each "
        "round's ratio"
    )
    for page in scaling["pages"].values():
        rounds = " ".join(f"{ratio:.2f}" for ratio in page["cpu_ratios"])
        print(
            f"  {page['label']:<20} {page['small_cpu_ms']:>6.1f} → {page['large_cpu_ms']:>6.1f} ms"
            f"   rounds {rounds}   median {page['cpu_ratio']:.2f}x "
            f"(elapsed {page['elapsed_ratio']:.2f}x)"
        )


def _scaling(scaling):
    """Judged on the server's CPU time per request, which other work on the machine inflates
    less than elapsed time, measured on the two sizes side by side; see measure_scaling."""
    if not scaling:
        name = f"list, search and what's on take at most {SCALING_LIMIT}x their time"
        return (False, name, "not measured: it needs two sizes")
    pages = scaling["pages"].values()
    return (
        all(page["cpu_ratio"] <= SCALING_LIMIT for page in pages),
        f"list, search and what's on, rendered, at {scaling['largest']:,} groups take at most "
        f"{SCALING_LIMIT}x their time at {scaling['smallest']:,} (server CPU per request, "
        "concurrency 1, the median of rounds side by side; elapsed median in brackets)",
        ", ".join(
            f"{page['label']} {page['cpu_ratio']:.2f}x ({page['elapsed_ratio']:.2f}x)"
            for page in pages
        ),
    )


def _throughput(sizes):
    shares = sorted(
        (share(page["served"]), page["label"], s["groups"])
        for s in sizes
        for page in s["pages"].values()
    )
    below = [share for share in shares if share[0] < THROUGHPUT_SHARE]
    lowest = shares[0]
    return (
        not below,
        f"every page, as served at concurrency 20, at least {THROUGHPUT_SHARE:.0%} of hello's "
        "requests per second",
        f"lowest {lowest[0]:.0%} ({lowest[1]} at {lowest[2]:,} groups)"
        + (f"; {len(below)} below" if below else ""),
    )


def _first_screen(large):
    screen = sum(size for _kind, _url, size in large["first_screen"])
    parts = " + ".join(
        f"{url.rsplit('/', 1)[-1] if kind == 'asset' else 'HTML'} {size:,}"
        for kind, url, size in large["first_screen"]
    )
    static = large["static"]
    embed = large.get("embed_first_screen") or []
    embed_screen = sum(size for _kind, _url, size in embed)
    embed_parts = " + ".join(
        f"{url.rsplit('/', 1)[-1] if kind == 'asset' else 'HTML'} {size:,}"
        for kind, url, size in embed
    )
    return [
        (
            screen <= FIRST_SCREEN_BYTES,
            f"the first screen (home page HTML, its CSS and JS, compressed) at most "
            f"{FIRST_SCREEN_BYTES:,} bytes",
            f"{screen:,} = {parts}",
        ),
        (
            bool(embed) and embed_screen <= FIRST_SCREEN_BYTES,
            f"an embed page's first screen (HTML, CSS and JS, compressed) at most "
            f"{FIRST_SCREEN_BYTES:,} bytes",
            f"{embed_screen:,} = {embed_parts}" if embed else "not measured",
        ),
        (
            not large["render_blocking"],
            "no web fonts or images hold up the first render",
            "; ".join(large["render_blocking"]) or "none found",
        ),
        (
            bool(static) and all(hashed and age >= ONE_YEAR for _url, hashed, age in static),
            "static files have hashed names and are cached for at least a year",
            "; ".join(
                f"{url.rsplit('/', 1)[-1]} {'hashed' if hashed else 'NOT hashed'}, max-age {age:,}"
                for url, hashed, age in static
            ),
        ),
    ]


def _conditional_get(large):
    answers = large["conditional_get"]
    return (
        all(status == 304 for _validators, status in answers.values()),
        "HTML pages answer a repeated request (If-None-Match / If-Modified-Since) with 304",
        ", ".join(
            f"{large['pages'][key]['label']} {status}"
            + ("" if validators else " (no ETag or Last-Modified)")
            for key, (validators, status) in answers.items()
        ),
    )


def _memory(memory):
    return (
        memory["rss_after_kb"] < MEMORY_LIMIT_KB,
        f"one worker under {MEMORY_LIMIT_KB // 1024} MB resident after "
        f"{memory['requests']:,} requests at {memory['groups']:,} groups",
        f"{memory['rss_before_kb'] / 1024:.1f} MB before, "
        f"{memory['rss_after_kb'] / 1024:.1f} MB after",
    )
