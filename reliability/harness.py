"""Real servers for the reliability scenarios: a throwaway PostgreSQL cluster, gunicorn
processes on loopback, and a load generator that records every request it makes.

The cluster is our own (initdb in a temporary directory, on a free port), so restarting it never
disturbs the machine's shared PostgreSQL server.
"""

import contextlib
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
REQUEST_TIMEOUT = 30
# The name a load balancer would pass on to every app server behind it.
PUBLIC_HOST = "directory.example.org"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin_dir():
    """The newest Debian PostgreSQL binaries (initdb, pg_ctl), or PG_BIN if set."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not versions:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    return versions[-1].parent


class PostgresCluster:
    """A private PostgreSQL server in a temporary directory, trusting loopback connections."""

    def __init__(self):
        self.bin = postgres_bin_dir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="moray-reliability-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"

    def _run(self, *args):
        command = [str(self.bin / args[0]), *map(str, args[1:])]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.root)

    def init(self):
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", self.data, "--auth=trust", "-U", "postgres", "-E", "UTF8")
        self.start()

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        options += " -c max_connections=300"
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-o", options, "start")

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def is_ready(self):
        try:
            with psycopg.connect(self.url("postgres"), connect_timeout=1):
                return True
        except psycopg.OperationalError:
            return False

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name):
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def query(self, database, sql, params=()):
        with psycopg.connect(self.url(database)) as conn:
            return conn.execute(sql, params).fetchall()


class RedisServer:
    """A private redis-server on a free loopback port, to stop, hang (SIGSTOP) and resume
    without disturbing the machine's shared Redis."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return self
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(10)

    def hang(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


def log_size(server):
    return server.log_path.stat().st_size


def app_env(database_url, static_root, **extra):
    """The environment of a production-like app process."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"127.0.0.1,localhost,{PUBLIC_HOST}",
        "STATIC_ROOT": str(static_root),
        "WHITENOISE_USE_FINDERS": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "moray_peer.settings",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, timeout=600):
    """Run a management command in a fresh process; return its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class GunicornServer:
    """`gunicorn -c gunicorn.conf.py moray_peer.wsgi` on a loopback port, as in production."""

    def __init__(self, env, workers=3, threads=4, name="app", log_dir=None, port=None):
        self.port = port or free_port()
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
        self.workers = workers
        self.log_path = Path(
            tempfile.mkstemp(prefix=f"moray-{name}-", suffix=".log", dir=log_dir)[1]
        )
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_within=60):
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "moray_peer.wsgi"],
            cwd=PROJECT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            if len(self.worker_pids()) == self.workers:
                with contextlib.suppress(OSError):
                    if fetch(self.base_url, "GET", "/healthz").status == 200:
                        return self
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not become healthy:\n{self.log_tail()}")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except FileNotFoundError:
            return []

    def stop(self, grace=40):
        if self.process is None or self.process.poll() is not None:
            return self.process and self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def log_tail(self, lines=40):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def cookies(self):
        jar = SimpleCookie()
        for name, value in self.headers.items():
            if name.lower() == "set-cookie":
                for line in value.split("\n"):
                    jar.load(line)
        return {key: morsel.value for key, morsel in jar.items()}


def fetch(base_url, method, path, data=None, cookies=None, headers=None, timeout=REQUEST_TIMEOUT):
    """One request on a fresh connection (no keep-alive), so any failure is the server's.
    An https:// address is trusted whatever its certificate (the suite's own, self-signed)."""
    parsed = urllib.parse.urlsplit(base_url)
    if parsed.scheme == "https":
        conn = http.client.HTTPSConnection(
            parsed.hostname, parsed.port, timeout=timeout, context=ssl._create_unverified_context()
        )
    else:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    try:
        sent_headers = {"Connection": "close", **(headers or {})}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            sent_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if cookies:
            sent_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request(method, path, body=body, headers=sent_headers)
        raw = conn.getresponse()
        all_headers = {}
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie" and name in all_headers:
                all_headers[name] += "\n" + value
            else:
                all_headers[name] = value
        return Response(raw.status, all_headers, raw.read())
    finally:
        conn.close()


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Cookies and CSRF tokens for one signed-in or anonymous visitor. With `host`, every
    request carries that Host header, as through a load balancer."""

    def __init__(self, base_url, host=None):
        self.base_url = base_url
        self.host = host
        self.cookies = {}

    def request(self, method, path, data=None, headers=None, **kwargs):
        headers = {**({"Host": self.host} if self.host else {}), **(headers or {})}
        response = fetch(
            self.base_url, method, path, data=data, cookies=self.cookies, headers=headers, **kwargs
        )
        for name, value in response.cookies().items():
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, data, form_path=None):
        """POST `data` to `path` with the CSRF token of the form page (default: `path`)."""
        page = self.get(form_path or path)
        match = CSRF_INPUT.search(page.text)
        if not match:
            raise AssertionError(f"no CSRF token on {form_path or path} ({page.status})")
        return self.request(
            "POST",
            path,
            data={"csrfmiddlewaretoken": match.group(1), **data},
            headers={"Referer": self.base_url + (form_path or path)},
        )

    def sign_in(self, email, password):
        response = self.post_form("/accounts/login/", {"login": email, "password": password})
        if response.status != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"could not sign in as {email}: {response.status}")
        return self

    def csrf_token(self, form_path):
        """A CSRF token for this visitor's session, to reuse in many POSTs."""
        page = self.get(form_path)
        match = CSRF_INPUT.search(page.text)
        if not match:
            raise AssertionError(f"no CSRF token on {form_path} ({page.status})")
        return match.group(1)


@dataclass
class Outcome:
    label: str
    started: float
    ended: float
    status: int | None
    expected: tuple = (200,)
    error: str | None = None
    write: str | None = None

    @property
    def ok(self):
        return self.error is None and self.status in self.expected

    @property
    def latency_ms(self):
        return (self.ended - self.started) * 1000


@dataclass
class LoadReport:
    outcomes: list = field(default_factory=list)
    seconds: float = 0.0

    def failures(self):
        return [o for o in self.outcomes if not o.ok]

    def server_errors(self):
        return [o for o in self.outcomes if o.status is not None and o.status >= 500]

    def confirmed_writes(self):
        return [o.write for o in self.outcomes if o.write and o.ok]

    def percentile(self, fraction, outcomes=None):
        latencies = sorted(o.latency_ms for o in (outcomes or self.outcomes))
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(fraction * len(latencies)))]

    def summary(self):
        ok = [o for o in self.outcomes if o.ok]
        return (
            f"{len(self.outcomes)} requests in {self.seconds:.1f}s "
            f"({len(self.outcomes) / max(self.seconds, 0.001):.0f}/s), "
            f"{len(self.failures())} failed, {len(self.server_errors())} 5xx, "
            f"{len(self.confirmed_writes())} confirmed writes; latency of successes "
            f"p50 {self.percentile(0.50, ok):.0f} ms, p95 {self.percentile(0.95, ok):.0f} ms, "
            f"p99 {self.percentile(0.99, ok):.0f} ms"
        )


def run_load(clients, seconds, during=None):
    """Run each client's `step()` in its own thread, over and over, for `seconds`.

    A step returns an Outcome. `during`, if given, runs in the calling thread while the load
    goes on (it may take longer than `seconds`; the load stops when both are done).
    """
    report = LoadReport()
    lock = threading.Lock()
    stop = threading.Event()

    def loop(client):
        while not stop.is_set():
            outcome = client.step()
            with lock:
                report.outcomes.append(outcome)
            if outcome.error:
                time.sleep(0.1)  # refused: a visitor tries again in a moment, not in a spin

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if during is not None:
        during()
    remaining = seconds - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    stop.set()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT + 5)
    report.seconds = time.monotonic() - started
    return report


def timed(label, send, expected=(200,), write=None):
    """Call `send()` (which returns a Response) and record what happened."""
    started = time.monotonic()
    try:
        response = send()
    except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out
        error = f"{type(exc).__name__}: {exc}"
        return Outcome(label, started, time.monotonic(), None, expected, error, write)
    return Outcome(label, started, time.monotonic(), response.status, expected, None, write)


def pick(rng, weighted):
    """One item from [(weight, item), ...]."""
    total = sum(weight for weight, _ in weighted)
    point = rng.uniform(0, total)
    for weight, item in weighted:
        point -= weight
        if point <= 0:
            return item
    return weighted[-1][1]


def new_rng():
    return random.Random(secrets.randbits(64))
