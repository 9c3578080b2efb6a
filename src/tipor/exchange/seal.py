"""Passphrase encryption of exports: scrypt + AES-256-GCM in a small self-describing envelope.

    {"format": "tipor.sealed", "version": 1, "content_type": "...",
     "kdf": {"name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": "<base64>"},
     "cipher": "AES-256-GCM", "nonce": "<base64>", "ciphertext": "<base64>"}

Every field except the nonce and the ciphertext is authenticated as associated data, so a
changed content type or weakened KDF parameter fails like a wrong passphrase. Opening checks
the KDF parameters against upper bounds first, so a crafted file cannot exhaust memory.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from tipor.exceptions import ValidationFailed

FORMAT = "tipor.sealed"
VERSION = 1
BUNDLE_TYPE = "application/vnd.tipor.case-bundle+json"
CSV_TYPE = "text/csv"
MIN_PASSPHRASE = 12
#: scrypt cost: 2**17 × 8 × 128 bytes = 128 MiB, about 0.3 s on a laptop.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
_MAX_N, _MAX_R, _MAX_P = 2**20, 16, 4


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: object, field: str) -> bytes:
    if not isinstance(text, str):
        raise ValidationFailed(f"{field}: missing from the encrypted file", [(field, "missing")])
    try:
        return base64.b64decode(text.encode(), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(f"{field}: not valid base64; the encrypted file is damaged",
                               [(field, "not base64")]) from None


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def _header(content_type: str, kdf: dict[str, Any]) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "content_type": content_type, "kdf": kdf,
            "cipher": "AES-256-GCM"}


def _aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


def check_passphrase(passphrase: str | None) -> str:
    """The passphrase, or ValidationFailed saying how long it must be."""
    if not passphrase or len(passphrase) < MIN_PASSPHRASE:
        raise ValidationFailed(
            f"passphrase: give a passphrase of at least {MIN_PASSPHRASE} characters to encrypt the "
            "export, or choose a clear (unencrypted) export explicitly",
            [("passphrase", f"at least {MIN_PASSPHRASE} characters")])
    return passphrase


def seal(payload: bytes, passphrase: str, content_type: str, *, n: int | None = None) -> dict[str, Any]:
    """Encrypt ``payload`` with a key derived from ``passphrase``; returns the envelope."""
    check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    cost = n or SCRYPT_N
    kdf = {"name": "scrypt", "n": cost, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)}
    header = _header(content_type, kdf)
    key = _derive(passphrase, salt, cost, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(key).encrypt(nonce, payload, _aad(header))
    return {**header, "nonce": _b64(nonce), "ciphertext": _b64(sealed)}


def is_envelope(data: object) -> bool:
    """Whether a decoded JSON document is a sealed envelope."""
    return isinstance(data, dict) and data.get("format") == FORMAT


def _kdf_params(kdf: object) -> tuple[int, int, int, bytes]:
    if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
        raise ValidationFailed("kdf: only scrypt envelopes can be opened", [("kdf.name", "not scrypt")])
    n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (n, r, p)):
        raise ValidationFailed("kdf: n, r and p must be integers", [("kdf", "bad parameters")])
    assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
    if not (2 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= _MAX_R and 1 <= p <= _MAX_P):
        raise ValidationFailed(f"kdf: parameters n={n}, r={r}, p={p} are out of range",
                               [("kdf", "out of range")])
    return n, r, p, _unb64(kdf.get("salt"), "kdf.salt")


def open_envelope(envelope: dict[str, Any], passphrase: str | None,
                  expect: str | None = None) -> bytes:
    """Decrypt an envelope; a wrong passphrase or altered file is a ValidationFailed."""
    if envelope.get("version") != VERSION or envelope.get("cipher") != "AES-256-GCM":
        raise ValidationFailed("version: this encrypted file was made by a newer or unknown tipor "
                               "version", [("version", "unsupported")])
    content_type = envelope.get("content_type")
    if expect is not None and content_type != expect:
        raise ValidationFailed(f"content_type: the file holds {content_type!r}, not {expect!r}",
                               [("content_type", "unexpected content")])
    if not passphrase:
        raise ValidationFailed("passphrase: this file is encrypted; give its passphrase",
                               [("passphrase", "required")])
    n, r, p, salt = _kdf_params(envelope.get("kdf"))
    nonce = _unb64(envelope.get("nonce"), "nonce")
    blob = _unb64(envelope.get("ciphertext"), "ciphertext")
    header = _header(str(content_type), envelope["kdf"])
    try:
        return AESGCM(_derive(passphrase, salt, n, r, p)).decrypt(nonce, blob, _aad(header))
    except (InvalidTag, ValueError):
        raise ValidationFailed(
            "passphrase: wrong passphrase, or the encrypted file was altered; nothing was imported",
            [("passphrase", "wrong passphrase or damaged file")]) from None
