"""The site's settings as the tests run them: production's (DEBUG off), with a key of their
own, since production settings refuse to start on the built-in one."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-" + "never-used-outside-the-test-suite" * 2)

from moray_peer.settings import *  # noqa: E402, F403
