"""Guards that used to be sidestepped: INSERT OR REPLACE, a rewound or deleted head, a wiped
log, a cut tail with a rewritten head (caught against a signed checkpoint), and on
PostgreSQL session_replication_role = replica."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.conftest import Factory
from tipor.audit import service as audit
from tipor.audit.checkpoint import to_line
from tipor.audit.service import Actor

SQLITE_GUARDS = ("audit_entries_no_update", "audit_entries_no_delete",
                 "audit_entries_no_overwrite", "audit_head_no_delete", "audit_head_no_rewind",
                 "audit_head_single")


def _write(session: Session, n: int) -> None:
    for i in range(n):
        audit.record(session, actor=Actor(i, f"user{i}", 1, "10.0.0.1"), action="test.write",
                     object_type="thing", object_id=i, detail={"i": i})
    session.commit()


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _unlock(session: Session) -> None:
    """An attacker with database access removes every guard first."""
    if _is_pg(session):
        session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
        session.execute(text("ALTER TABLE audit_head DISABLE TRIGGER USER"))
    else:
        for name in SQLITE_GUARDS:
            session.execute(text(f"DROP TRIGGER {name}"))


def _cut_tail(session: Session, keep: int) -> None:
    """Delete the entries after #keep and point the head at #keep, as if they never were."""
    _unlock(session)
    kept = session.execute(text("SELECT hash FROM audit_entries WHERE seq = :s"),
                           {"s": keep}).scalar_one()
    session.execute(text("DELETE FROM audit_entries WHERE seq > :s"), {"s": keep})
    session.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": keep, "h": kept})
    session.commit()


def _entry_values(seq: int) -> dict[str, object]:
    return {"seq": seq, "at": "2026-01-01T00:00:00.000000+00:00", "u": "intruder",
            "a": "test.forged", "p": "0" * 64, "h": f"{seq:064d}"}


INSERT = ("INTO audit_entries (seq, at, actor_username, action, object_type, object_id, "
          "outcome, ip, detail, prev_hash, hash) VALUES (:seq, :at, :u, :a, '', '', 'success', "
          "'', '{}', :p, :h)")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # SQLite syntax; see below
@pytest.mark.parametrize("verb", ["INSERT OR REPLACE", "REPLACE"])
def test_sqlite_replace_of_an_entry_is_refused(session: Session, verb: str) -> None:
    assert not _is_pg(session)
    _write(session, 3)
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(f"{verb} {INSERT}"), _entry_values(2))
    session.rollback()
    assert audit.verify(session).ok and audit.verify(session).checked == 3


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # the PostgreSQL form
def test_postgres_upsert_of_an_entry_is_refused(session: Session) -> None:
    assert _is_pg(session)
    _write(session, 3)
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(f"INSERT {INSERT} ON CONFLICT (seq) DO UPDATE SET action = "
                             "EXCLUDED.action"), _entry_values(2))
    session.rollback()
    assert audit.verify(session).ok


@pytest.mark.parametrize("statement", [
    "UPDATE audit_head SET seq = 1", "DELETE FROM audit_head",
    "UPDATE audit_head SET seq = seq, hash = 'x'",
])
def test_head_cannot_move_back_or_vanish(session: Session, statement: str) -> None:
    _write(session, 3)
    with pytest.raises(DBAPIError, match="only moves forward"):
        session.execute(text(statement))
    session.rollback()
    assert audit.verify(session).ok


def test_a_second_head_row_is_refused(session: Session) -> None:
    verb = "INSERT" if _is_pg(session) else "INSERT OR REPLACE"
    with pytest.raises(DBAPIError, match="only moves forward"):
        session.execute(text(f"{verb} INTO audit_head (id, seq, hash) VALUES (1, 0, :h)"),
                        {"h": "0" * 64})
    session.rollback()


def test_wiped_log_with_its_head_is_not_intact(session: Session, factory: Factory) -> None:
    factory.user()
    _unlock(session)
    session.execute(text("DELETE FROM audit_entries"))
    session.execute(text("DELETE FROM audit_head"))
    session.commit()
    verdict = audit.verify(session)
    assert not verdict.ok and verdict.kind == "deleted" and "wiped" in verdict.problem


def test_wiped_log_with_a_fresh_head_is_not_intact(session: Session, factory: Factory) -> None:
    factory.user()
    _unlock(session)
    session.execute(text("DELETE FROM audit_entries"))
    session.execute(text("UPDATE audit_head SET seq = 0, hash = :h"), {"h": "0" * 64})
    session.commit()
    verdict = audit.verify(session)
    assert not verdict.ok and "wiped" in verdict.problem


def test_empty_fresh_database_is_intact(session: Session) -> None:
    verdict = audit.verify(session)
    assert verdict.ok and verdict.checked == 0


def test_cut_tail_with_rewritten_head_is_caught_by_a_checkpoint(session: Session) -> None:
    _write(session, 6)
    cp = to_line(audit.take_checkpoint(session))
    _cut_tail(session, keep=3)
    assert audit.verify(session).ok, "the chain alone cannot see this; that is why checkpoints"
    verdict = audit.verify_against(session, cp + "\n")
    assert not verdict.ok and verdict.kind == "deleted"
    assert "#3" in verdict.problem and "#6" in verdict.problem


def test_rewritten_tail_with_the_key_is_caught_by_a_checkpoint(session: Session) -> None:
    """Someone with the secret may rebuild a valid chain, but not the checkpointed entry."""
    _write(session, 6)
    cp = to_line(audit.take_checkpoint(session))
    _cut_tail(session, keep=2)
    _write(session, 4)  # a new, valid chain reaching #6 again
    assert audit.verify(session).ok
    verdict = audit.verify_against(session, cp)
    assert not verdict.ok and verdict.kind == "altered" and verdict.seq == 6


def test_wiped_log_is_caught_by_a_checkpoint(session: Session) -> None:
    _write(session, 4)
    cp = to_line(audit.take_checkpoint(session))
    _unlock(session)
    session.execute(text("DELETE FROM audit_entries"))
    session.execute(text("UPDATE audit_head SET seq = 0, hash = :h"), {"h": "0" * 64})
    session.commit()
    verdict = audit.verify_against(session, cp)
    assert not verdict.ok and "wiped" in verdict.problem


def test_log_grown_past_its_checkpoints_is_consistent(session: Session) -> None:
    _write(session, 3)
    lines = [to_line(audit.take_checkpoint(session))]
    _write(session, 3)
    lines.append(to_line(audit.take_checkpoint(session)))
    _write(session, 2)
    verdict = audit.verify_against(session, "\n".join(lines))
    assert verdict.ok and verdict.checked == 8


@pytest.mark.parametrize("edit", [
    lambda line: line.replace('"seq": 4', '"seq": 3'),
    lambda line: line[:-3] + '0"}',
    lambda line: "not json",
    lambda line: "",
])
def test_edited_or_empty_checkpoint_file_is_refused(session: Session, edit: object) -> None:
    _write(session, 4)
    line = to_line(audit.take_checkpoint(session))
    assert callable(edit)
    verdict = audit.verify_against(session, edit(line))
    assert not verdict.ok and verdict.kind == "checkpoint"


def test_checkpoint_of_another_installation_is_refused(session: Session) -> None:
    _write(session, 2)
    line = to_line(audit.take_checkpoint(session))
    session.info["audit_key"] = b"another installation's key....."
    verdict = audit.verify_against(session, line)
    assert not verdict.ok and "another TIPOR_SECRET_KEY" in verdict.problem
