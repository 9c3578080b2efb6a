"""Field encryption (AES-GCM with key ids, rotation) and blind indexes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tipor.exceptions import ConfigError, IntegrityError
from tipor.security.crypto import Keyring, new_data_key

K1, K2 = new_data_key(), new_data_key()


def ring(spec: str) -> Keyring:
    return Keyring.from_settings(spec, "index-key-for-tests-0123456789abcdef")


@given(st.text(max_size=200))
def test_roundtrip(text: str) -> None:
    keys = ring(f"k1:{K1}")
    token = keys.encrypt(text, purpose="p")
    assert keys.decrypt(token, purpose="p") == text


def test_ciphertext_hides_plaintext() -> None:
    token = ring(f"k1:{K1}").encrypt("Fictional Person Name", purpose="p")
    assert token.startswith("v1:k1:") and "Fictional" not in token


def test_nonce_is_fresh_each_time() -> None:
    keys = ring(f"k1:{K1}")
    assert keys.encrypt("same", purpose="p") != keys.encrypt("same", purpose="p")


def test_tampered_or_moved_ciphertext_is_refused() -> None:
    keys = ring(f"k1:{K1}")
    token = keys.encrypt("Fictional Person", purpose="party.name")
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    with pytest.raises(IntegrityError):
        keys.decrypt(flipped, purpose="party.name")
    with pytest.raises(IntegrityError):
        keys.decrypt(token, purpose="party.address")


def test_rotation_reads_old_and_writes_new() -> None:
    old = ring(f"k1:{K1}")
    token = old.encrypt("secret", purpose="p")
    rotated = ring(f"k2:{K2},k1:{K1}")
    assert rotated.decrypt(token, purpose="p") == "secret"
    assert rotated.key_id_of(rotated.encrypt("secret", purpose="p")) == "k2"
    with pytest.raises(IntegrityError, match="k1"):
        ring(f"k2:{K2}").decrypt(token, purpose="p")


@pytest.mark.parametrize("spec,message", [
    ("", "empty"), ("nokey", "id:base64key"), ("k1:!!!", "32 bytes|base64"),
    ("k1:" + "QUJD", "32 bytes"),
])
def test_bad_key_settings_are_named(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ring(spec)


def test_blind_index_normalises_and_separates_purposes() -> None:
    keys = ring(f"k1:{K1}")
    assert keys.blind_index(" Fictional  PERSON ", purpose="name") == keys.blind_index(
        "fictional person", purpose="name")
    assert keys.blind_index("x", purpose="name") != keys.blind_index("x", purpose="phone")
    other = Keyring.from_settings(f"k1:{K1}", "a-different-index-key-0123456789")
    assert other.blind_index("x", purpose="name") != keys.blind_index("x", purpose="name")
