"""Tampering with audit rows directly in SQL is detected, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tipor.audit import service as audit
from tipor.audit.service import Actor


def _write(session: Session, n: int) -> None:
    for i in range(n):
        audit.record(session, actor=Actor(i, f"user{i}", 1, "10.0.0.1"), action="test.write",
                     object_type="thing", object_id=i, detail={"i": i})
    session.commit()


def _unlock(session: Session) -> None:
    """What an attacker with database access would do first: remove the append-only guard."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER audit_entries_no_update"))
        session.execute(text("DROP TRIGGER audit_entries_no_delete"))


def test_intact_chain_verifies(session: Session) -> None:
    _write(session, 5)
    verdict = audit.verify(session)
    assert verdict.ok and verdict.checked == 5


def test_empty_log_verifies(session: Session) -> None:
    assert audit.verify(session).ok


def test_triggers_refuse_update_and_delete(session: Session) -> None:
    _write(session, 2)
    for statement in ("UPDATE audit_entries SET action = 'x' WHERE seq = 1",
                      "DELETE FROM audit_entries WHERE seq = 1"):
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(statement))
        session.rollback()
    assert audit.verify(session).ok


@pytest.mark.parametrize("column,value", [
    ("action", "'user.delete'"), ("actor_username", "'someone_else'"), ("outcome", "'failure'"),
    ("detail", "'{}'"), ("at", "'2020-01-01T00:00:00.000000+00:00'"),
])
def test_altered_entry_is_named(session: Session, column: str, value: str) -> None:
    _write(session, 6)
    _unlock(session)
    session.execute(text(f"UPDATE audit_entries SET {column} = {value} WHERE seq = 3"))
    verdict = audit.verify(session)
    assert not verdict.ok
    assert verdict.kind == "altered" and verdict.seq == 3
    assert "#3" in verdict.problem


def test_altered_entry_with_rehashed_content_is_found(session: Session) -> None:
    """Recomputing a plain SHA-256 does not help: the chain is keyed (HMAC)."""
    import hashlib

    _write(session, 4)
    _unlock(session)
    fake = hashlib.sha256(b"forged").hexdigest()
    session.execute(text("UPDATE audit_entries SET action = 'forged', hash = :h WHERE seq = 2"),
                    {"h": fake})
    verdict = audit.verify(session)
    assert not verdict.ok and verdict.seq == 2


def test_deleted_middle_entry_is_named(session: Session) -> None:
    _write(session, 6)
    _unlock(session)
    session.execute(text("DELETE FROM audit_entries WHERE seq = 4"))
    verdict = audit.verify(session)
    assert not verdict.ok and verdict.kind == "deleted" and verdict.seq == 4
    assert "#4" in verdict.problem


def test_deleted_last_entry_is_found(session: Session) -> None:
    _write(session, 5)
    _unlock(session)
    session.execute(text("DELETE FROM audit_entries WHERE seq = 5"))
    verdict = audit.verify(session)
    assert not verdict.ok and verdict.kind == "deleted" and verdict.seq == 5


def test_reordered_entries_are_named(session: Session) -> None:
    _write(session, 6)
    _unlock(session)
    # swap entries 2 and 3 by renumbering them (via a free sequence number)
    session.execute(text("UPDATE audit_entries SET seq = 1000 WHERE seq = 2"))
    session.execute(text("UPDATE audit_entries SET seq = 2 WHERE seq = 3"))
    session.execute(text("UPDATE audit_entries SET seq = 3 WHERE seq = 1000"))
    verdict = audit.verify(session)
    assert not verdict.ok and verdict.kind == "reordered" and verdict.seq == 2


def test_appends_continue_the_chain_across_sessions(session: Session, settings: object) -> None:
    from tipor.db import open_session

    _write(session, 2)
    other = open_session(settings)  # type: ignore[arg-type]
    audit.record(other, actor=Actor.system(), action="test.other")
    other.commit()
    other.close()
    _write(session, 1)
    verdict = audit.verify(session)
    assert verdict.ok and verdict.checked == 4


def test_search_filters(session: Session) -> None:
    _write(session, 3)
    audit.record(session, actor=Actor(9, "zed", 2), action="login", outcome="failure")
    session.commit()
    rows, total = audit.search(session, audit.AuditFilter(outcome="failure"))
    assert total == 1 and rows[0].actor_username == "zed"
    rows, total = audit.search(session, audit.AuditFilter(action="test.write"), limit=2)
    assert total == 3 and [r.seq for r in rows] == [3, 2]
