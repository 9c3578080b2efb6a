"""Streamed file encryption: AES-256-GCM over 64 KiB segments (the STREAM construction).

Layout::

    MAGIC (8) | key id length (1) | key id (utf-8) | salt (16) | segment size (4, big-endian)
    segment 0 | segment 1 | … | last segment        each: ciphertext (≤ segment size) + tag (16)

Each file gets its own AES key and 8-byte nonce prefix, derived with HKDF-SHA256 from the data
key named in the header, the file's random salt and the caller's *context* (the file's storage
name), so no key/nonce pair repeats across files and a file copied under another name does not
decrypt. Segment *i* is sealed with nonce ``prefix | i`` and associated data ``header | i |
final flag``: a reordered, dropped, truncated or extended file fails its check, as does any
change to the header (key id, salt, segment size). Only the last segment carries the final flag;
it is never empty except for an empty file.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from tipor.exceptions import IntegrityError
from tipor.security.crypto import Keyring

MAGIC = b"TIPORSF1"  # "tipor sealed file, version 1"
SEGMENT = 64 * 1024
TAG = 16
SALT = 16
_MAX_SEGMENT = 16 * 1024 * 1024  # refuse absurd sizes before reading that much into memory
_MAX_SEGMENTS = 1 << 32  # the nonce counter is 4 bytes


@dataclass(frozen=True)
class Header:
    """What a sealed file says about itself; ``raw`` is authenticated with every segment."""

    key_id: str
    salt: bytes
    segment: int
    raw: bytes


def is_sealed(head: bytes) -> bool:
    """Whether bytes read from the start of a file are a sealed file's header."""
    return head.startswith(MAGIC)


def _header(key_id: str, salt: bytes, segment: int) -> bytes:
    kid = key_id.encode()
    if not 0 < len(kid) < 256:
        raise IntegrityError(f"key id {key_id!r} must be 1 to 255 bytes long to seal a file")
    return MAGIC + bytes([len(kid)]) + kid + salt + struct.pack(">I", segment)


def read_header(stream: BinaryIO) -> Header:
    """Parse the header at the stream's position; IntegrityError if it is not a sealed file."""
    magic = stream.read(len(MAGIC))
    if magic != MAGIC:
        raise IntegrityError("the file is not a tipor sealed file (its header is missing)")
    length = stream.read(1)
    kid = stream.read(length[0]) if length else b""
    rest = stream.read(SALT + 4)
    if not length or len(kid) != length[0] or len(rest) != SALT + 4:
        raise IntegrityError("the sealed file's header is truncated")
    (segment,) = struct.unpack(">I", rest[SALT:])
    if not 0 < segment <= _MAX_SEGMENT:
        raise IntegrityError(f"the sealed file's header names an invalid segment size ({segment})")
    try:
        key_id = kid.decode()
    except UnicodeDecodeError:
        raise IntegrityError("the sealed file's header has an unreadable key id") from None
    return Header(key_id, rest[:SALT], segment, magic + length + kid + rest)


def _derive(key: bytes, salt: bytes, context: bytes) -> tuple[AESGCM, bytes]:
    material = HKDF(algorithm=SHA256(), length=40, salt=salt,
                    info=b"tipor-sealed-file-v1\x00" + context).derive(key)
    return AESGCM(material[:32]), material[32:]


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _ad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">Q", index) + (b"\x01" if final else b"\x00")


class Sealer:
    """Writes a sealed file segment by segment under the keyring's current key."""

    def __init__(self, keyring: Keyring, context: bytes, out: BinaryIO,
                 segment: int = SEGMENT) -> None:
        salt = os.urandom(SALT)
        self._header = _header(keyring.current_id, salt, segment)
        self._aead, self._prefix = _derive(keyring.key(keyring.current_id), salt, context)
        self._out, self._segment = out, segment
        self._buffer, self._index, self._closed = bytearray(), 0, False
        out.write(self._header)

    def write(self, data: bytes) -> None:
        """Add plaintext; full segments are sealed once more data is known to follow."""
        self._buffer += data
        # Strictly more than a segment: the last full segment may turn out to be the final one.
        while len(self._buffer) > self._segment:
            self._emit(bytes(self._buffer[:self._segment]), final=False)
            del self._buffer[:self._segment]

    def close(self) -> None:
        """Seal the remaining bytes as the final segment (an empty one for an empty file)."""
        if not self._closed:
            self._emit(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._closed = True

    def _emit(self, plain: bytes, *, final: bool) -> None:
        if self._index >= _MAX_SEGMENTS:
            raise IntegrityError("file too large to seal: more than 2^32 segments")
        ad = _ad(self._header, self._index, final)
        self._out.write(self._aead.encrypt(_nonce(self._prefix, self._index), plain, ad))
        self._index += 1


def open_segments(keyring: Keyring, stream: BinaryIO, context: bytes) -> Iterator[bytes]:
    """Decrypt a sealed file segment by segment; IntegrityError on any tampering or wrong key."""
    header = read_header(stream)
    aead, prefix = _derive(keyring.key(header.key_id), header.salt, context)
    size, index = header.segment + TAG, 0
    current = stream.read(size)
    while True:
        following = stream.read(size) if len(current) == size else b""
        final = not following
        try:
            yield aead.decrypt(_nonce(prefix, index), current, _ad(header.raw, index, final))
        except InvalidTag:
            raise IntegrityError(
                f"segment {index} failed its integrity check: the file was altered, truncated "
                "or reordered, or it was sealed with a different key") from None
        if final:
            return
        current, index = following, index + 1


def key_id_of(stream: BinaryIO) -> str | None:
    """The key id in a sealed file's header, or None for a file that is not sealed."""
    head = stream.read(len(MAGIC))
    if not is_sealed(head):
        return None
    stream.seek(-len(head), os.SEEK_CUR)
    return read_header(stream).key_id
