"""The code a moderator's authenticator app shows, for tests that set up or use one."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

STEP_SECONDS = 30  # allauth's MFA_TOTP_PERIOD
# allauth accepts only the current step's code (MFA_TOTP_TOLERANCE 0): a code read in a
# step's last seconds can be checked in the next one, on a busy machine or after typing.
LAST_SAFE_SECOND = 24


def current_code(secret):
    """The code an app shows now, read early enough in its step to be checked in it."""
    if time.time() % STEP_SECONDS > LAST_SAFE_SECOND:
        time.sleep(STEP_SECONDS - time.time() % STEP_SECONDS + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // STEP_SECONDS))
