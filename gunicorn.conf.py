"""Gunicorn settings, each from the environment (see README, "Running in production").

SIGTERM is a graceful stop: gunicorn stops accepting, lets in-flight requests finish for up to
GUNICORN_GRACEFUL_TIMEOUT seconds, then exits. A worker that dies (or is killed) is replaced
by the master at once; a request stuck for GUNICORN_TIMEOUT seconds gets its worker restarted.
"""

import multiprocessing
import os


def _int(name, default):
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from exc


bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{_int('PORT', 8000)}")
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# Threads let a worker keep connections alive and overlap database waits.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycling workers now and then bounds any slow memory growth.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
backlog = _int("GUNICORN_BACKLOG", 2048)

# The app logs one JSON line per request itself (without IPs or query strings), so no
# access log here; gunicorn's own messages go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Its messages about malformed or failed requests, without the address or the query string.
logger_class = "moray_peer.gunicorn_logging.PrivateLogger"

# Trust X-Forwarded-* only from the load balancer's addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Workers write their heartbeat to memory, not to a possibly slow disk (Docker).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No runtime control socket: it is not used, and one fixed path per user would be shared by
# every instance on a host.
control_socket_disable = True


def worker_exit(server, worker):
    """A worker stopping (graceful stop, recycling) sends on the evidence counts it holds."""
    from evidence.counting import push_gathered

    push_gathered()


def post_worker_init(worker):
    """A worker whose master dies stops listening at once, so a new master (a supervisor
    restarting the service) can take the port without waiting for the old workers to drain.

    The kernel sends the worker SIGTERM when the master dies (Linux), gunicorn's graceful stop;
    the worker closes its listening sockets as soon as it stops accepting, rather than after
    its in-flight requests have finished (up to GUNICORN_GRACEFUL_TIMEOUT later)."""
    import signal
    import sys

    master = worker.ppid

    def master_gone():
        return os.getppid() != master

    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
        if master_gone():  # died before the line above
            os.kill(os.getpid(), signal.SIGTERM)

    set_accept_enabled = getattr(worker, "set_accept_enabled", None)
    if set_accept_enabled is None:  # not the gthread worker
        return

    def accept_or_stop(enabled):
        set_accept_enabled(enabled)
        if not enabled and master_gone():
            worker.log.warning("The master has gone: no longer listening")
            for listener in worker.sockets:
                listener.close()

    worker.set_accept_enabled = accept_or_stop
