"""Settings for the benchmark's server: the production settings, plus a bench-only URLconf
(with a trivial "hello" view as the throughput floor) and static files collected into a
scratch folder, so the production URLconf and settings stay untouched."""

import os

from moray_peer.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
