"""With DEBUG off the site refuses to start on no key or on the public built-in one."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from moray_peer.settings import DEVELOPMENT_SECRET_KEY

PROJECT = Path(__file__).resolve().parents[2]


def start_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", "import moray_peer.settings"],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env",
    [{}, {"SECRET_KEY": ""}, {"SECRET_KEY": DEVELOPMENT_SECRET_KEY}, {"DEBUG": "false"}],
    ids=["no key", "empty key", "the built-in key", "DEBUG false and no key"],
)
def test_it_refuses_to_start_with_debug_off_on_no_key_or_the_built_in_one(env):
    result = start_settings(**env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_starts_with_a_key_of_its_own():
    assert start_settings(SECRET_KEY="a-long-random-string-" * 3).returncode == 0


def test_a_developer_may_run_on_the_built_in_key_with_debug_on():
    assert start_settings(DEBUG="true").returncode == 0


def test_it_refuses_to_start_with_debug_off_and_no_mail_backend():
    clean = {k: v for k, v in os.environ.items() if k not in ("EMAIL_BACKEND", "DEBUG")}
    result = subprocess.run(
        [sys.executable, "-c", "import moray_peer.settings"],
        cwd=PROJECT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "EMAIL_BACKEND must be set" in result.stderr
