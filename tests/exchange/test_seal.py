"""The passphrase envelope: round trip, wrong passphrase, altered header, bounded KDF cost."""

from __future__ import annotations

import pytest

from tipor.exceptions import ValidationFailed
from tipor.exchange import seal

PHRASE = "fictional correct horse"


def test_round_trip_and_self_describing() -> None:
    env = seal.seal(b"Fictional payload", PHRASE, seal.BUNDLE_TYPE)
    assert env["format"] == "tipor.sealed" and env["kdf"]["name"] == "scrypt"
    assert {"salt", "n", "r", "p"} <= set(env["kdf"]) and env["cipher"] == "AES-256-GCM"
    assert b"Fictional" not in repr(env).encode()
    assert seal.open_envelope(env, PHRASE, expect=seal.BUNDLE_TYPE) == b"Fictional payload"


def test_wrong_passphrase_is_a_clear_validation_error() -> None:
    env = seal.seal(b"x", PHRASE, seal.CSV_TYPE)
    with pytest.raises(ValidationFailed, match="wrong passphrase"):
        seal.open_envelope(env, "fictional wrong horse")
    with pytest.raises(ValidationFailed, match="give its passphrase"):
        seal.open_envelope(env, None)


def test_altered_header_fails_like_a_wrong_passphrase() -> None:
    env = seal.seal(b"x", PHRASE, seal.BUNDLE_TYPE)
    env["content_type"] = seal.CSV_TYPE
    with pytest.raises(ValidationFailed, match="wrong passphrase"):
        seal.open_envelope(env, PHRASE)


def test_kdf_cost_is_bounded_and_short_passphrases_refused() -> None:
    env = seal.seal(b"x", PHRASE, seal.BUNDLE_TYPE)
    env["kdf"]["n"] = 2**30
    with pytest.raises(ValidationFailed, match="out of range"):
        seal.open_envelope(env, PHRASE)
    with pytest.raises(ValidationFailed, match="at least 12"):
        seal.seal(b"x", "short", seal.BUNDLE_TYPE)
