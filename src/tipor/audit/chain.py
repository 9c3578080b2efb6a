"""Pure hash-chain arithmetic: entry digests and verification of a sequence of rows."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64
CONTENT_FIELDS = (
    "seq", "at", "actor_id", "actor_username", "agency_id", "action",
    "object_type", "object_id", "outcome", "ip", "detail",
)


@dataclass(frozen=True)
class Row:
    """What verification needs of a stored entry."""

    content: dict[str, object]
    prev_hash: str
    hash: str

    @property
    def seq(self) -> int:
        """The entry's sequence number."""
        return int(str(self.content["seq"]))


@dataclass(frozen=True)
class Verdict:
    """The result of walking the chain."""

    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None
    kind: str = ""  # altered | deleted | reordered | checkpoint (the checkpoint file is bad)


def digest(key: bytes, prev_hash: str, content: dict[str, object]) -> str:
    """HMAC-SHA256 over the previous hash and the entry's canonical JSON content."""
    canonical = json.dumps(
        {f: content.get(f) for f in CONTENT_FIELDS}, sort_keys=True, separators=(",", ":"),
        ensure_ascii=False,
    )
    return hmac.new(key, f"{prev_hash}\n{canonical}".encode(), hashlib.sha256).hexdigest()


def verify_rows(key: bytes, rows: Iterable[Row], head: tuple[int, str] | None) -> Verdict:
    """Walk rows in sequence order; name the first entry altered, deleted or reordered."""
    ordered = list(rows)
    known = {row.hash: row.seq for row in ordered}
    prev_hash, expected = GENESIS, 1
    for row in ordered:
        if row.seq != expected:
            return Verdict(False, expected - 1, _missing(expected, row.seq), expected, "deleted")
        if not hmac.compare_digest(row.prev_hash, prev_hash):
            return _broken_link(row, prev_hash, known, expected)
        if not hmac.compare_digest(digest(key, row.prev_hash, row.content), row.hash):
            msg = f"entry #{row.seq} was altered: its content no longer matches its hash"
            return Verdict(False, expected - 1, msg, row.seq, "altered")
        prev_hash, expected = row.hash, expected + 1
    return _check_head(head, expected - 1, prev_hash)


def _missing(expected: int, found: int) -> str:
    if found == expected + 1:
        return f"entry #{expected} was deleted: the chain jumps from #{expected - 1} to #{found}"
    return f"entries #{expected}–#{found - 1} were deleted: the chain jumps to #{found}"


def _broken_link(row: Row, prev_hash: str, known: dict[str, int], expected: int) -> Verdict:
    points_to = known.get(row.prev_hash)
    if points_to is not None and points_to != row.seq - 1:
        msg = (f"entries were reordered: entry #{row.seq} was written after entry #{points_to}, "
               f"not after #{row.seq - 1}")
        return Verdict(False, expected - 1, msg, row.seq, "reordered")
    msg = (f"entry #{row.seq - 1} was altered or replaced: entry #{row.seq} recorded a different "
           "hash for it")
    return Verdict(False, expected - 1, msg, row.seq - 1, "altered")


def _check_head(head: tuple[int, str] | None, last_seq: int, last_hash: str) -> Verdict:
    if head is None:
        # Every migrated database has a head row (seq 0 before the first entry), and triggers
        # refuse deleting it: no head means the log and its head were wiped.
        return Verdict(False, last_seq, "the chain head record is missing: the log was wiped "
                       "or tampered with", None, "deleted")
    head_seq, head_hash = head
    if head_seq > last_seq:
        msg = (f"entries after #{last_seq} were deleted: the chain head records #{head_seq} "
               "as the last entry")
        return Verdict(False, last_seq, msg, last_seq + 1, "deleted")
    if head_seq != last_seq or not hmac.compare_digest(head_hash, last_hash):
        msg = f"the chain head does not match entry #{last_seq}: the log was altered at its end"
        return Verdict(False, last_seq, msg, last_seq, "altered")
    return Verdict(True, last_seq)
