"""The site's settings as the tests run them: production's (DEBUG off), with a key of their
own and a mail backend, since production settings refuse to start without them."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-" + "never-used-outside-the-test-suite" * 2)
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from moray_peer.settings import *  # noqa: E402, F403
