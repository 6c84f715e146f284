"""What the fault scenarios share: extra clients that sign in and report problems, a run that
puts a fault in the middle of the load, and the figures each scenario checks and prints.

Each scenario asserts the same things: no 500 at any time; only the expected answer during the
fault (a degraded page, or the 503 "back in a moment" page); no failure from RECOVERY_SECONDS
after the fault ended; every write confirmed to its client in the database; and a log that
grows by a bounded amount however long the fault lasts.
"""

import secrets
import time
from dataclasses import dataclass

from accounts.demo import DEMO_PASSWORD, organisation_account_email
from reliability.conftest import SECONDS
from reliability.harness import Browser, fetch, new_rng, run_load, timed
from reliability.workload import confirmed_writes_missing

RECOVERY_SECONDS = 5
REPORT_PREFIX = "problem-report-"
# What a log may grow by during a fault and its recovery: a few tracebacks per process.
LOG_BOUND_BYTES = 128 * 1024


class Reporter:
    """A parent reporting a problem with a listing: no account and no cookie; the form is
    sent from the site's own page (its Origin)."""

    def __init__(self, base_url, site):
        self.base_url = base_url
        self.site = site
        self.rng = new_rng()

    def send(self, path, token):
        browser = Browser(self.base_url)
        page = browser.get(path)
        if "<form" not in page.text:
            return page  # limited (429), or the page failed: the status tells
        data = {"kind": "wrong_time", "details": token}
        headers = {"Origin": self.base_url, "Referer": self.base_url + path}
        return browser.request("POST", path, data=data, headers=headers)

    def step(self):
        time.sleep(0.3)
        token = REPORT_PREFIX + secrets.token_hex(8)
        path = f"/groups/{self.rng.choice(self.site.group_slugs)}/report/"
        # 429: this address has used its reports for the window (every client shares one).
        return timed("report a problem", lambda: self.send(path, token), (302, 429), token)


class SigningIn:
    """An organiser signing in afresh, now and then (sign-in is limited per address)."""

    def __init__(self, base_url, site):
        self.base_url = base_url
        slug = sorted(site.groups_by_organisation)[-1]
        self.email = organisation_account_email(type("O", (), {"slug": slug}), "admin")

    def step(self):
        time.sleep(2.5)
        browser = Browser(self.base_url)
        data = {"login": self.email, "password": DEMO_PASSWORD}
        return timed("sign in", lambda: browser.post_form("/accounts/login/", data), (302, 429))


def writes_missing(postgres, database, report):
    """Every confirmed write (extra dates, problem reports) that is not in the database."""
    dates = [t for t in report.confirmed_writes() if not t.startswith(REPORT_PREFIX)]
    return confirmed_writes_missing(postgres, database, dates) + reports_missing(
        postgres, database, report
    )


def reports_missing(postgres, database, report):
    """The problem reports thanked for (302, not limited) that are not in the database."""
    tokens = [o.write for o in report.outcomes if o.label == "report a problem" and o.status == 302]
    stored = {
        row[0]
        for row in postgres.query(
            database,
            "select details from directory_report where details like %s",
            (REPORT_PREFIX + "%",),
        )
    }
    return sorted(set(tokens) - stored)


@dataclass
class FaultRun:
    report: object
    began: float
    ended: float
    log_growth: int
    health_during: dict
    recovered_health_after: float | None

    def during(self):
        return [o for o in self.report.outcomes if o.started < self.ended and o.ended > self.began]

    def after_recovery(self):
        return [o for o in self.report.outcomes if o.started > self.ended + RECOVERY_SECONDS]

    def outside(self):
        """Failures that neither overlapped the fault nor came within the recovery window."""
        return [
            o
            for o in self.report.failures()
            if o.ended < self.began or o.started > self.ended + RECOVERY_SECONDS
        ]

    def server_errors_500(self):
        return [
            o
            for o in self.report.outcomes
            if o.status is not None and o.status >= 500 and o.status != 503
        ]

    def statuses_during(self):
        counts = {}
        for o in self.during():
            key = o.status or "no answer"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: str(kv[0])))

    def last_failure_after(self):
        last = max((o.started for o in self.report.failures()), default=self.ended)
        return max(0.0, last - self.ended)

    def summary(self):
        healthy = self.recovered_health_after
        healthy = "never" if healthy is None else f"{healthy:.2f}s"
        return (
            f"fault {self.ended - self.began:.1f}s; answers during it {self.statuses_during()}; "
            f"/healthz during it {self.health_during}; last failure "
            f"{self.last_failure_after():.2f}s after it ended; /healthz ok again {healthy} "
            f"after; log grew {self.log_growth / 1024:.1f} KB"
        )


def probe(base_url, timeout=3):
    started = time.monotonic()
    try:
        response = fetch(base_url, "GET", "/healthz", timeout=timeout)
    except OSError as exc:
        return {"answer": type(exc).__name__, "seconds": round(time.monotonic() - started, 2)}
    body = response.text
    return {
        "status": response.status,
        "body": body[:120],
        "seconds": round(time.monotonic() - started, 2),
    }


def run_with_fault(base_url, log_sizes, clients, begin, end, fault_seconds, healthy=None):
    """Load for SECONDS with `begin()` … `end()` (fault_seconds apart) in the middle; then
    the load goes on through RECOVERY_SECONDS and a little more. `log_sizes()` is the total
    size of the servers' logs; `healthy(answer)` says when /healthz shows recovery."""
    marks = {}
    healthy = healthy or (lambda answer: answer.get("status") == 200 and '"ok"' in answer["body"])

    def fault():
        time.sleep(max(2, SECONDS / 4))
        marks["log"] = log_sizes()
        marks["began"] = time.monotonic()
        begin()
        time.sleep(min(1.0, fault_seconds / 2))
        marks["health"] = probe(base_url)
        time.sleep(max(0.0, fault_seconds - (time.monotonic() - marks["began"])))
        end()
        marks["ended"] = time.monotonic()
        marks["healthy"] = None
        while time.monotonic() < marks["ended"] + RECOVERY_SECONDS + 2:
            if marks["healthy"] is None and healthy(probe(base_url)):
                marks["healthy"] = time.monotonic() - marks["ended"]
            time.sleep(0.2)
        marks["log_after"] = log_sizes()

    report = run_load(clients, SECONDS, during=fault)
    return FaultRun(
        report,
        marks["began"],
        marks["ended"],
        marks["log_after"] - marks["log"],
        marks["health"],
        marks["healthy"],
    )
