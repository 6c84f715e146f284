"""Runs the site under real gunicorn on a loopback port, as production would serve it."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """One gunicorn master with `workers` workers; use as a context manager.

    gunicorn reads the project's gunicorn.conf.py (worker class, threads, keep-alive) as in
    production; only the address, the number of workers and recycling are set here.
    """

    def __init__(self, env, workers):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process = None
        descriptor, name = tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")
        os.close(descriptor)
        self.log_path = Path(name)

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "moray_peer.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            # Recycling workers would blur the figures and hide memory growth.
            "--max-requests",
            "0",
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_ready()
        return self

    def __exit__(self, *exc):
        self.stop()

    def _wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/bench-hello/", timeout=2) as reply:
                    if reply.status == 200 and len(self.worker_pids()) == self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start within {timeout}s; see {self.log_path}")

    def worker_pids(self):
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def error_log(self):
        return self.log_path.read_text(errors="replace")

    def discard_log(self):
        self.log_path.unlink(missing_ok=True)


def resident_kb(pid):
    """VmRSS of a process, in kB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pids):
    """{pid: user plus system CPU seconds} of those processes still running."""
    seconds = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (name)": state is first
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def cpu_used(before, after):
    """CPU seconds used between two cpu_seconds readings: a process that started meanwhile
    counts in full; one that ended meanwhile is lost, so keep them alive (DB_CONN_MAX_AGE)."""
    return sum(used - before.get(pid, 0) for pid, used in after.items())
