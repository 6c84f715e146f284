"""Independent tools the tests check our outputs with (calendar readers, a CalDAV server, an
OpenAPI fuzzer). Where one cannot run, its tests skip with the reason; with REQUIRE_TOOLS set
(as CI sets it) they fail instead, as browser tests do with REQUIRE_BROWSER."""

import importlib
import os
import shutil
from pathlib import Path

import pytest

NODE_TOOLS = Path(__file__).parent / "node"


def unavailable(reason):
    if os.environ.get("REQUIRE_TOOLS"):
        pytest.fail(f"This check is required here but cannot run: {reason}")
    pytest.skip(reason)


def module(name, package):
    try:
        return importlib.import_module(name)
    except ImportError:
        unavailable(f"{package} is not installed (pip install -e '.[test]')")


def node_package(name):
    """The path of node, once `make test` has installed `name` under tests/node/."""
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed (apt-get install nodejs npm)")
    if not (NODE_TOOLS / "node_modules" / name / "package.json").exists():
        unavailable(f"{name} is not installed (make node-deps)")
    return node
