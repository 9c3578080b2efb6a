"""The unit of work: a failed block leaves nothing but what its refusal asks to keep."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipor.audit.models import AuditEntry
from tipor.audit.service import Actor, record
from tipor.db import unit_of_work
from tipor.exceptions import PermissionDenied

ACTOR = Actor(None, "fictional-tester", None, "127.0.0.1")


def _count(session: Session, action: str) -> int:
    return int(session.execute(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.action == action)).scalar_one())


def test_a_refusal_keeps_its_trace_and_nothing_else(session: Session) -> None:
    with pytest.raises(PermissionDenied), unit_of_work(session):
        record(session, actor=ACTOR, action="fictional.write", object_type="case")
        raise PermissionDenied("no").keeping(lambda s: record(
            s, actor=ACTOR, action="fictional.denied", object_type="case", outcome="denied"))
    assert _count(session, "fictional.write") == 0  # the work before the refusal rolled back
    assert _count(session, "fictional.denied") == 1  # the refusal's own entry was kept


def test_nested_units_apply_the_kept_writes_once(session: Session) -> None:
    calls: list[int] = []
    with pytest.raises(PermissionDenied), unit_of_work(session), unit_of_work(session):
        raise PermissionDenied("no").keeping(lambda s: calls.append(1))
    assert calls == [1]


def test_success_commits(session: Session) -> None:
    with unit_of_work(session):
        record(session, actor=ACTOR, action="fictional.ok", object_type="case")
    session.rollback()  # nothing left to roll back: the block committed
    assert _count(session, "fictional.ok") == 1
