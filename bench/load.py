"""The load generator: wrk (Debian's package) on loopback, or a small threaded client when
wrk cannot be had. Both cycle through a list of paths and report the same figures."""

import http.client
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
# What a parent's phone sends: the site counts visits only from browsers, and so should we.
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36",
    "Accept-Encoding": "gzip",
}


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk():
    """wrk on the PATH, installing Debian's package when we can (as `make browser-deps` does
    for chromium); False means the threaded client will stand in."""
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk (the load generator) from Debian...", flush=True)
        subprocess.run(
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk",
            shell=True,
            stdout=subprocess.DEVNULL,
            check=False,
        )
    return shutil.which("wrk") is not None


class Load:
    """Runs load against `base_url` with wrk when available, else with threads."""

    def __init__(self, base_url, use_wrk=True):
        self.base_url = base_url
        self.use_wrk = use_wrk

    @property
    def tool(self):
        return "wrk" if self.use_wrk else "threaded Python client"

    def run(self, paths, concurrency, seconds):
        if self.use_wrk:
            return self._wrk(paths, concurrency, seconds)
        return self._threads(paths, concurrency, seconds)

    def _wrk(self, paths, concurrency, seconds):
        threads = min(2, concurrency)
        with tempfile.NamedTemporaryFile("w", prefix="bench-paths-", suffix=".txt") as listing:
            listing.write("\n".join(paths) + "\n")
            listing.flush()
            env = {**os.environ, "BENCH_PATHS": listing.name}
            command = [
                "wrk",
                f"--threads={threads}",
                f"--connections={concurrency}",
                f"--duration={max(1, round(seconds))}s",
                "--timeout=10s",
                f"--script={WRK_SCRIPT}",
                *(f"--header={name}: {value}" for name, value in BROWSER_HEADERS.items()),
                self.base_url,
            ]
            output = subprocess.run(
                command, env=env, capture_output=True, text=True, check=True
            ).stdout
        line = next(x for x in output.splitlines() if x.startswith("BENCH_RESULT "))
        figures = json.loads(line.removeprefix("BENCH_RESULT "))
        return LoadResult(
            requests=figures["requests"],
            seconds=figures["duration_us"] / 1e6,
            p50_ms=figures["p50_us"] / 1000,
            p95_ms=figures["p95_us"] / 1000,
            errors=figures["errors"] + figures["status_errors"],
        )

    def _threads(self, paths, concurrency, seconds):
        address = urlsplit(self.base_url)
        latencies, errors = [], [0]
        lock = threading.Lock()
        started = time.monotonic()
        deadline = started + seconds

        def worker(offset):
            position = offset
            while time.monotonic() < deadline:
                path = paths[position % len(paths)]
                position += 1
                began = time.perf_counter()
                ok = _get(address.hostname, address.port, path)
                elapsed = time.perf_counter() - began
                with lock:
                    latencies.append(elapsed)
                    errors[0] += not ok

        workers = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        duration = time.monotonic() - started
        latencies.sort()

        def percentile(p):
            return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000

        return LoadResult(len(latencies), duration, percentile(50), percentile(95), errors[0])


def _get(host, port, path):
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request("GET", path, headers=BROWSER_HEADERS)
        reply = connection.getresponse()
        reply.read()
        return reply.status < 400
    except OSError:
        return False
    finally:
        connection.close()
