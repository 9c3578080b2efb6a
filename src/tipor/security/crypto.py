"""Field encryption (AES-256-GCM with key ids) and keyed blind indexes for exact search.

Ciphertext format: ``v1:<key id>:<base64url(nonce | ciphertext+tag)>``. The associated data
binds a value to its purpose (e.g. ``users.totp_secret``) so ciphertexts cannot be swapped
between columns.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tipor.exceptions import ConfigError, IntegrityError


@dataclass(frozen=True)
class Keyring:
    """Data keys by id; the first encrypts, all decrypt (rotation keeps old ones readable)."""

    keys: tuple[tuple[str, bytes], ...]
    index_key: bytes

    @classmethod
    def from_settings(cls, data_keys: str, blind_index_key: str) -> Keyring:
        """Parse ``id:base64key,id:base64key`` as in TIPOR_DATA_KEYS."""
        parsed = []
        for part in (p.strip() for p in data_keys.split(",") if p.strip()):
            key_id, sep, material = part.partition(":")
            if not sep or not key_id:
                raise ConfigError(f"TIPOR_DATA_KEYS entry {key_id!r} must look like id:base64key")
            raw = _decode_key(key_id, material)
            parsed.append((key_id, raw))
        if not parsed:
            raise ConfigError("TIPOR_DATA_KEYS is empty: give at least one id:base64key")
        return cls(tuple(parsed), blind_index_key.encode())

    @property
    def current_id(self) -> str:
        """The id of the key used for new ciphertexts."""
        return self.keys[0][0]

    def _key(self, key_id: str) -> bytes:
        for kid, raw in self.keys:
            if kid == key_id:
                return raw
        raise IntegrityError(f"no data key with id {key_id!r}: add it to TIPOR_DATA_KEYS")

    def key(self, key_id: str) -> bytes:
        """The raw data key with this id (for file encryption); IntegrityError if unknown."""
        return self._key(key_id)

    def knows(self, key_id: str) -> bool:
        """Whether a key with this id is configured."""
        return any(kid == key_id for kid, _ in self.keys)

    def encrypt(self, plaintext: str, *, purpose: str) -> str:
        """Encrypt text under the current key, bound to ``purpose``."""
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[0][1]).encrypt(nonce, plaintext.encode(), purpose.encode())
        blob = base64.urlsafe_b64encode(nonce + sealed).decode()
        return f"v1:{self.current_id}:{blob}"

    def decrypt(self, token: str, *, purpose: str) -> str:
        """Decrypt a value made by :meth:`encrypt`; raise IntegrityError if tampered."""
        try:
            version, key_id, blob = token.split(":", 2)
            raw = base64.urlsafe_b64decode(blob.encode())
        except ValueError as exc:
            raise IntegrityError("an encrypted field is malformed") from exc
        if version != "v1":
            raise IntegrityError(f"unknown ciphertext version {version!r}")
        try:
            plain = AESGCM(self._key(key_id)).decrypt(raw[:12], raw[12:], purpose.encode())
        except InvalidTag as exc:
            raise IntegrityError("an encrypted field failed its integrity check") from exc
        return plain.decode()

    def key_id_of(self, token: str) -> str:
        """The key id a ciphertext was made with."""
        return token.split(":", 2)[1]

    def blind_index(self, value: str, *, purpose: str) -> str:
        """A keyed hash of the normalised value, for exact-match search on encrypted fields."""
        normal = unicodedata.normalize("NFKC", value).casefold().strip()
        normal = " ".join(normal.split())
        message = f"{purpose}\x00{normal}".encode()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()


def _decode_key(key_id: str, material: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(material.strip() + "=" * (-len(material.strip()) % 4))
    except ValueError as exc:
        raise ConfigError(f"data key {key_id!r} is not valid base64") from exc
    if len(raw) != 32:
        raise ConfigError(f"data key {key_id!r} must decode to 32 bytes, not {len(raw)}")
    return raw


def new_data_key() -> str:
    """A fresh random 32-byte key, base64url-encoded, for TIPOR_DATA_KEYS."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()
