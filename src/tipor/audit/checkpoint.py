"""Signed checkpoints of the chain head, kept outside the database (pure: no I/O).

The chain alone cannot tell a log whose tail was cut (and head row rewritten to match) from
a log that simply ended there. A checkpoint records the head — sequence number, hash, time —
at some moment, signed with an HMAC key derived from the audit key (and so from
TIPOR_SECRET_KEY). Kept on another system, it proves that the log once reached that entry
with that content: a later log that ends earlier, or whose entry differs, was cut or rewritten.

File format: JSON lines, one checkpoint per line, appended on a schedule:
``{"v": 1, "seq": 41, "hash": "…", "at": "2026-12-02T21:00:00.000000+00:00", "mac": "…"}``
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tipor.audit.chain import Verdict

FORMAT_VERSION = 1
_LABEL = b"tipor-audit-checkpoint-v1"


@dataclass(frozen=True)
class Checkpoint:
    """The chain head at one moment, with its signature."""

    seq: int
    hash: str
    at: str
    mac: str = ""

    def payload(self) -> bytes:
        """The signed bytes: the canonical JSON of everything but the MAC."""
        body = {"v": FORMAT_VERSION, "seq": self.seq, "hash": self.hash, "at": self.at}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_key(audit_key: bytes) -> bytes:
    """A key for checkpoints only, derived from the audit chain key."""
    return hmac.new(audit_key, _LABEL, hashlib.sha256).digest()


def sign(key: bytes, seq: int, hash_: str, at: str) -> Checkpoint:
    """A checkpoint of (seq, hash) taken at ``at``, signed with ``key``."""
    unsigned = Checkpoint(seq, hash_, at)
    mac = hmac.new(key, unsigned.payload(), hashlib.sha256).hexdigest()
    return Checkpoint(seq, hash_, at, mac)


def to_line(checkpoint: Checkpoint) -> str:
    """One JSON line for the checkpoint file (without the newline)."""
    return json.dumps({"v": FORMAT_VERSION, "seq": checkpoint.seq, "hash": checkpoint.hash,
                       "at": checkpoint.at, "mac": checkpoint.mac}, sort_keys=True)


def parse(key: bytes, text: str) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints in a file's text, and a problem for each line that is not a valid one."""
    found: list[Checkpoint] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        checkpoint = _parse_line(line)
        if checkpoint is None:
            problems.append(f"line {number} is not a checkpoint (expected JSON with v, seq, "
                            "hash, at, mac)")
        elif not hmac.compare_digest(sign(key, checkpoint.seq, checkpoint.hash,
                                          checkpoint.at).mac, checkpoint.mac):
            problems.append(f"line {number} (#{checkpoint.seq}, {checkpoint.at}) has a wrong "
                            "signature: it was edited, or taken with another TIPOR_SECRET_KEY")
        else:
            found.append(checkpoint)
    return found, problems


def _parse_line(line: str) -> Checkpoint | None:
    try:
        data = json.loads(line)
        if data.get("v") != FORMAT_VERSION:
            return None
        return Checkpoint(int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["mac"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def compare(checkpoints: Iterable[Checkpoint], last_seq: int,
            hash_at: Callable[[int], str | None]) -> Verdict:
    """Check the stored log against every checkpoint: none may lie beyond its end or differ.

    ``last_seq`` is the highest sequence number stored; ``hash_at(seq)`` the stored hash of
    an entry (None if there is none).
    """
    ordered = sorted(checkpoints, key=lambda c: c.seq, reverse=True)
    for cp in ordered:  # the latest checkpoint first: it names the largest loss
        if cp.seq > last_seq:
            msg = (f"entries after #{last_seq} were deleted: the checkpoint taken {cp.at} "
                   f"recorded #{cp.seq} as the last entry" if last_seq else
                   f"the log was wiped: it is empty, but the checkpoint taken {cp.at} recorded "
                   f"#{cp.seq} entries")
            return Verdict(False, last_seq, msg, last_seq + 1, "deleted")
        if cp.seq and not hmac.compare_digest(hash_at(cp.seq) or "", cp.hash):
            msg = (f"entry #{cp.seq} differs from the checkpoint taken {cp.at}: the log was "
                   "rewritten from there on")
            return Verdict(False, last_seq, msg, cp.seq, "altered")
    return Verdict(True, last_seq)
