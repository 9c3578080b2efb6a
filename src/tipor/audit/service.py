"""Append to, verify and search the audit log.

The HMAC key comes from ``session.info["audit_key"]``, which every session built by
:func:`tipor.db.open_session` carries; a session without it cannot write audit entries.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from tipor.audit.chain import GENESIS, Row, Verdict, digest, verify_rows
from tipor.audit.checkpoint import Checkpoint, checkpoint_key, compare, parse, sign
from tipor.audit.models import AuditEntry, AuditHead
from tipor.db import utcnow
from tipor.exceptions import ConfigError


@dataclass(frozen=True)
class Actor:
    """Who acts: a user (with agency) or the system, and from where."""

    user_id: int | None
    username: str
    agency_id: int | None = None
    ip: str = ""

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        """An actor for the CLI and background jobs."""
        return cls(user_id=None, username=name)


def _key(session: Session) -> bytes:
    key = session.info.get("audit_key")
    if not isinstance(key, bytes):
        raise ConfigError("this database session has no audit key; open it with open_session()")
    return key


def _lock_head(session: Session) -> AuditHead:
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
        session.flush()
    return head


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    object_type: str = "",
    object_id: object = "",
    outcome: str = "success",
    detail: dict[str, object] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (it commits or rolls back with the write)."""
    head = _lock_head(session)
    entry = AuditEntry(
        seq=head.seq + 1, at=utcnow().isoformat(timespec="microseconds"),
        actor_id=actor.user_id, actor_username=actor.username, agency_id=actor.agency_id,
        action=action, object_type=object_type, object_id=str(object_id or ""),
        outcome=outcome, ip=actor.ip or "",
        detail=json.dumps(detail or {}, sort_keys=True, ensure_ascii=False, default=str),
        prev_hash=head.hash,
    )
    entry.hash = digest(_key(session), entry.prev_hash, _content(entry))
    session.add(entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.flush()
    return entry


def _content(entry: AuditEntry) -> dict[str, object]:
    return {
        "seq": entry.seq, "at": entry.at, "actor_id": entry.actor_id,
        "actor_username": entry.actor_username, "agency_id": entry.agency_id,
        "action": entry.action, "object_type": entry.object_type, "object_id": entry.object_id,
        "outcome": entry.outcome, "ip": entry.ip, "detail": entry.detail,
    }


def verify(session: Session, *, batch: int = 5000) -> Verdict:
    """Walk the whole chain in sequence order and report the first break."""
    rows = (
        Row(content=_content(e), prev_hash=e.prev_hash, hash=e.hash)
        for e in session.execute(
            select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
        ).scalars()
    )
    head_row = session.get(AuditHead, 1)
    head = (head_row.seq, head_row.hash) if head_row else None
    verdict = verify_rows(_key(session), rows, head)
    if verdict.ok and verdict.checked == 0:
        return _empty_log(session, verdict)
    return verdict


#: Tables whose every row was audited when it was created: rows there mean entries existed.
_AUDITED_TABLES = ("agencies", "users")


def _empty_log(session: Session, verdict: Verdict) -> Verdict:
    held = sum(int(session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
               for t in _AUDITED_TABLES)
    if not held:
        return verdict
    msg = (f"the log is empty, but the database holds {held} agencies and users whose "
           "creation was audited: the log was wiped")
    return Verdict(False, 0, msg, 1, "deleted")


def take_checkpoint(session: Session) -> Checkpoint:
    """The current chain head, signed, for keeping outside the database."""
    head = session.get(AuditHead, 1)
    seq, hash_ = (head.seq, head.hash) if head else (0, GENESIS)
    return sign(checkpoint_key(_key(session)), seq, hash_,
                utcnow().isoformat(timespec="microseconds"))


def verify_against(session: Session, checkpoints_text: str) -> Verdict:
    """The chain walk, then the stored log against every signed checkpoint in the text."""
    checkpoints, problems = parse(checkpoint_key(_key(session)), checkpoints_text)
    if not checkpoints and not problems:
        problems.append("it holds no checkpoint")
    if problems:
        msg = "the checkpoint file cannot be trusted: " + "; ".join(problems)
        return Verdict(False, 0, msg, None, "checkpoint")
    verdict = verify(session)
    if not verdict.ok:
        return verdict
    last = int(session.execute(select(func.max(AuditEntry.seq))).scalar_one_or_none() or 0)

    def hash_at(seq: int) -> str | None:
        return session.execute(
            select(AuditEntry.hash).where(AuditEntry.seq == seq)).scalar_one_or_none()

    return compare(checkpoints, last, hash_at)


@dataclass(frozen=True)
class AuditFilter:
    """Search terms for the audit log page and API."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    outcome: str = ""
    agency_id: int | None = None
    since: str = ""
    until: str = ""


def search(
    session: Session, flt: AuditFilter, *, offset: int = 0, limit: int = 50
) -> tuple[Sequence[AuditEntry], int]:
    """Entries matching the filter, newest first, with the total count."""
    query = select(AuditEntry)
    conditions = []
    if flt.actor:
        conditions.append(AuditEntry.actor_username == flt.actor)
    for column, value in (
        (AuditEntry.action, flt.action), (AuditEntry.object_type, flt.object_type),
        (AuditEntry.object_id, flt.object_id), (AuditEntry.outcome, flt.outcome),
    ):
        if value:
            conditions.append(column == value)
    if flt.agency_id is not None:
        conditions.append(AuditEntry.agency_id == flt.agency_id)
    if flt.since:
        conditions.append(AuditEntry.at >= flt.since)
    if flt.until:
        conditions.append(AuditEntry.at < flt.until)
    query = query.where(*conditions)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(AuditEntry.seq.desc()).offset(offset).limit(limit)
    ).scalars().all()
    return rows, int(total)


def case_entries(session: Session, case_id: int, *, limit: int = 500) -> Sequence[AuditEntry]:
    """Entries about one case, newest first: the case itself, and every entry whose detail
    names it (parties, events, evidence… record ``case_id`` in their detail)."""
    marker = f'"case_id": {int(case_id)}'
    return session.execute(select(AuditEntry).where(or_(
        (AuditEntry.object_type == "case") & (AuditEntry.object_id == str(case_id)),
        AuditEntry.detail.like(f"%{marker},%"), AuditEntry.detail.like(f"%{marker}}}%"),
    )).order_by(AuditEntry.seq.desc()).limit(limit)).scalars().all()
