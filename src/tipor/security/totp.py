"""Time-based one-time passwords (RFC 6238) as a second factor."""

from __future__ import annotations

import time

import pyotp

ISSUER = "tipor"


def new_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def current_code(secret: str, at: float | None = None) -> str:
    """The code valid now (for tests and the demo)."""
    return pyotp.TOTP(secret).at(int(at if at is not None else time.time()))


def check_code(secret: str, code: str, *, last_step: int | None, at: float | None = None) -> int | None:
    """The accepted time step if ``code`` is valid (±1 step) and not replayed, else None."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = int(at if at is not None else time.time())
    step = now // totp.interval
    for candidate in (step, step - 1, step + 1):
        if last_step is not None and candidate <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(candidate), code):
            return candidate
    return None
