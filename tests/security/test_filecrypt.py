"""Sealed files: round trip at every size boundary, and every kind of damage is refused."""

from __future__ import annotations

import io
import struct
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipor.exceptions import IntegrityError
from tipor.security import filecrypt
from tipor.security.crypto import Keyring, new_data_key

KEYRING = Keyring.from_settings(f"k1:{new_data_key()}", "fictional-index-key")
SEG = 64  # small segments so tests cover many of them quickly
CONTEXT = b"0123456789abcdef0123456789abcdef"


def seal(data: bytes, keyring: Keyring = KEYRING, context: bytes = CONTEXT, segment: int = SEG) -> bytes:
    out = io.BytesIO()
    sealer = filecrypt.Sealer(keyring, context, out, segment=segment)
    for start in range(0, len(data), 50):  # writes that straddle segment boundaries
        sealer.write(data[start:start + 50])
    sealer.close()
    return out.getvalue()


def unseal(blob: bytes, keyring: Keyring = KEYRING, context: bytes = CONTEXT) -> bytes:
    return b"".join(filecrypt.open_segments(keyring, io.BytesIO(blob), context))


def header_len(blob: bytes) -> int:
    return len(filecrypt.read_header(io.BytesIO(blob)).raw)


@pytest.mark.parametrize("size", [0, 1, SEG - 1, SEG, SEG + 1, 2 * SEG, 3 * SEG + 7])
def test_round_trip_at_segment_boundaries(size: int) -> None:
    data = bytes(range(256)) * (size // 256 + 1)
    data = data[:size]
    blob = seal(data)
    assert filecrypt.is_sealed(blob) and unseal(blob) == data
    segments = max(1, -(-size // SEG))
    assert len(blob) == header_len(blob) + size + 16 * segments


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=700), st.integers(min_value=1, max_value=200))
def test_round_trip_any_content_and_segment_size(data: bytes, segment: int) -> None:
    assert unseal(seal(data, segment=segment)) == data


def test_no_plaintext_in_the_sealed_bytes() -> None:
    data = b"Fictional Asha Veyl, left nephrectomy, Fictional Lakeside Clinic. " * 20
    blob = seal(data, segment=filecrypt.SEGMENT)
    for start in range(0, len(data) - 8, 8):
        assert data[start:start + 8] not in blob


def test_wrong_key_wrong_name_or_unknown_key_is_refused() -> None:
    blob = seal(b"Fictional evidence " * 10)
    same_id_other_key = Keyring.from_settings(f"k1:{new_data_key()}", "x")
    with pytest.raises(IntegrityError, match="integrity check"):
        unseal(blob, keyring=same_id_other_key)
    with pytest.raises(IntegrityError, match="integrity check"):
        unseal(blob, context=b"another-file-name")  # a file copied under another name
    with pytest.raises(IntegrityError, match="no data key with id 'k1'"):
        unseal(blob, keyring=Keyring.from_settings(f"k9:{new_data_key()}", "x"))


def _segments(blob: bytes) -> tuple[bytes, list[bytes]]:
    head = header_len(blob)
    size = SEG + 16
    return blob[:head], [blob[i:i + size] for i in range(head, len(blob), size)]


def _flip(blob: bytes) -> bytes:
    head, segs = _segments(blob)
    damaged = bytearray(segs[1])
    damaged[3] ^= 0x01
    return head + segs[0] + bytes(damaged) + b"".join(segs[2:])


def _swap(blob: bytes) -> bytes:
    head, segs = _segments(blob)
    return head + segs[1] + segs[0] + b"".join(segs[2:])


def _drop_middle(blob: bytes) -> bytes:
    head, segs = _segments(blob)
    return head + segs[0] + b"".join(segs[2:])


def _drop_last(blob: bytes) -> bytes:  # truncation exactly at a segment boundary
    head, segs = _segments(blob)
    return head + b"".join(segs[:-1])


def _other_key_id(blob: bytes) -> bytes:
    return blob.replace(b"\x02k1", b"\x02k2", 1)


def _segment_size(blob: bytes) -> bytes:
    head = header_len(blob)
    return blob[:head - 4] + struct.pack(">I", SEG * 2) + blob[head:]


DAMAGE: list[tuple[str, Callable[[bytes], bytes]]] = [
    ("bit flipped in a segment", _flip),
    ("segments reordered", _swap),
    ("middle segment removed", _drop_middle),
    ("last segment removed", _drop_last),
    ("truncated inside a segment", lambda b: b[:-5]),
    ("truncated to the header", lambda b: b[:header_len(b)]),
    ("bytes appended", lambda b: b + b"\x00" * 16),
    ("a whole segment appended", lambda b: b + _segments(b)[1][0]),
    ("key id changed to another known key", _other_key_id),
    ("salt changed", lambda b: b[:12] + bytes([b[12] ^ 1]) + b[13:]),
    ("segment size changed", _segment_size),
]


@pytest.mark.parametrize(("what", "damage"), DAMAGE, ids=[d[0] for d in DAMAGE])
def test_damage_is_refused(what: str, damage: Callable[[bytes], bytes]) -> None:
    keyring = Keyring.from_settings(f"k1:{new_data_key()},k2:{new_data_key()}", "x")
    blob = seal(bytes(range(200)) * 2, keyring=keyring)  # 400 bytes: 7 segments
    damaged = damage(blob)
    assert damaged != blob, what
    with pytest.raises(IntegrityError):
        unseal(damaged, keyring=keyring)


def test_header_is_checked_before_anything_is_read() -> None:
    with pytest.raises(IntegrityError, match="not a tipor sealed file"):
        unseal(b"plain text, not sealed")
    with pytest.raises(IntegrityError, match="truncated"):
        unseal(filecrypt.MAGIC + b"\x05k1")
    assert filecrypt.key_id_of(io.BytesIO(seal(b"x"))) == "k1"
    assert filecrypt.key_id_of(io.BytesIO(b"clear file")) is None
