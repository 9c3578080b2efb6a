"""argon2id hashing and the password strength rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipor.security.passwords import hash_password, password_problems, verify_password


def test_hash_is_argon2id_and_salted() -> None:
    first, second = hash_password("Correct-Horse-42!"), hash_password("Correct-Horse-42!")
    assert first.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert first != second
    assert verify_password(first, "Correct-Horse-42!")
    assert not verify_password(first, "correct-horse-42!")


def test_malformed_hash_never_raises() -> None:
    assert verify_password("not-a-hash", "anything") is False


@settings(max_examples=15, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_roundtrip_any_password(password: str) -> None:
    hashed = hash_password(password)
    assert verify_password(hashed, password)
    assert not verify_password(hashed, password + "x")


@pytest.mark.parametrize("password,username,ok", [
    ("Correct-Horse-42!", "", True),
    ("a long passphrase of many words", "", True),    # 20+ chars: classes not needed
    ("short1!A", "", False),                          # too short
    ("alllowercaseletters", "", False),               # one class, under 20
    ("password1234", "", False),                      # common
    ("aaaaaaaaaaaaaaaaaaaaaaaa", "", False),          # repetitive
    ("Fatima-Secret-2026!", "fatima", False),         # contains username
], ids=["mixed", "passphrase", "short", "one-class", "common", "repetitive", "username"])
def test_strength_rule(password: str, username: str, ok: bool) -> None:
    problems = password_problems(password, username=username)
    assert (not problems) is ok, problems
