"""TOTP codes: window, replay refusal, malformed input."""

from __future__ import annotations

from tipor.security import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = 1_800_000_000.0


def test_current_code_accepted_once() -> None:
    code = totp.current_code(SECRET, NOW)
    step = totp.check_code(SECRET, code, last_step=None, at=NOW)
    assert step == int(NOW) // 30
    assert totp.check_code(SECRET, code, last_step=step, at=NOW) is None


def test_previous_window_accepted_older_refused() -> None:
    assert totp.check_code(SECRET, totp.current_code(SECRET, NOW - 30), last_step=None, at=NOW)
    assert totp.check_code(SECRET, totp.current_code(SECRET, NOW - 90), last_step=None, at=NOW) is None


def test_malformed_codes_refused() -> None:
    for code in ("", "12345", "abcdef", "1234567"):
        assert totp.check_code(SECRET, code, last_step=None, at=NOW) is None


def test_spaces_are_ignored() -> None:
    code = totp.current_code(SECRET, NOW)
    assert totp.check_code(SECRET, f"{code[:3]} {code[3:]}", last_step=None, at=NOW)
