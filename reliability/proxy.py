"""The production reverse proxy for the reliability scenarios: Debian's nginx, running the
very file docker-compose.yml runs (deploy/nginx/default.conf.template), filled in for a
gunicorn on loopback and private ports, with a throwaway self-signed certificate.
"""

import contextlib
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from reliability.harness import PROJECT, fetch, free_port

TEMPLATE = PROJECT / "deploy" / "nginx" / "default.conf.template"
NGINX = "/usr/sbin/nginx"
PLACEHOLDER = re.compile(r"\$\{(MORAY_[A-Z_]+)\}")


def render(values):
    """The template with each ${MORAY_...} replaced, as the nginx image's envsubst does."""
    text = TEMPLATE.read_text()
    missing = set(PLACEHOLDER.findall(text)) - set(values)
    if missing:
        raise ValueError(f"no value for {sorted(missing)}")
    return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), text)


class NginxProxy:
    """nginx in front of the gunicorn at `upstream` ("127.0.0.1:port"), on free ports."""

    def __init__(self, upstream, https_redirect="off"):
        self.root = Path(tempfile.mkdtemp(prefix="moray-reliability-nginx-"))
        self.http_port = free_port()
        self.https_port = free_port()
        self.upstream = upstream
        self.https_redirect = https_redirect
        self.log_path = self.root / "error.log"
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def https_url(self):
        return f"https://127.0.0.1:{self.https_port}"

    def _write_config(self):
        certs = self.root / "certs"
        certs.mkdir()
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            + ["-subj", "/CN=localhost", "-keyout", certs / "privkey.pem"]
            + ["-out", certs / "fullchain.pem"],
            check=True,
            capture_output=True,
        )
        site = self.root / "site.conf"
        site.write_text(
            render(
                {
                    "MORAY_UPSTREAM": self.upstream,
                    "MORAY_HTTP_PORT": f"127.0.0.1:{self.http_port}",
                    "MORAY_HTTPS_PORT": f"127.0.0.1:{self.https_port}",
                    "MORAY_CERTS": certs,
                    "MORAY_HTTPS_REDIRECT": self.https_redirect,
                }
            )
        )
        # What the nginx image's own nginx.conf provides around its conf.d, with every path
        # in this folder (nginx runs as root here, as its master does in the image).
        config = self.root / "nginx.conf"
        config.write_text(
            f"""
            user root;
            worker_processes 1;
            pid {self.root}/nginx.pid;
            error_log {self.log_path} warn;
            events {{ worker_connections 1024; }}
            http {{
                client_body_temp_path {self.root}/body;
                proxy_temp_path {self.root}/proxy;
                fastcgi_temp_path {self.root}/fastcgi;
                uwsgi_temp_path {self.root}/uwsgi;
                scgi_temp_path {self.root}/scgi;
                include {site};
            }}
            """
        )
        return config

    def start(self, ready_within=20):
        config = self._write_config()
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.root), "-e", str(self.log_path), "-c", str(config)]
            + ["-g", "daemon off;"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited at start:\n{self.log_path.read_text()}")
            with contextlib.suppress(OSError):
                if fetch(self.base_url, "GET", "/healthz").status == 200:
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"nginx did not pass /healthz on:\n{self.log_path.read_text()}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
