"""The audit log over JSON: search and verify (auditors only)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from tipor.accounts.models import User
from tipor.audit import service as audit
from tipor.fields import DateTime
from tipor.security.permissions import Permission
from tipor.web.deps import Db, require

router = APIRouter(tags=["audit"])
Auditor = Annotated[User, Depends(require(Permission.AUDIT_READ))]


class AuditEntryRead(BaseModel):
    """One audit entry."""

    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: str
    actor_id: int | None
    actor_username: str
    agency_id: int | None
    action: str
    object_type: str
    object_id: str
    outcome: str
    ip: str
    detail: str
    hash: str


class AuditPage(BaseModel):
    """A page of entries, newest first."""

    total: int
    items: list[AuditEntryRead]


class VerifyResult(BaseModel):
    """The outcome of walking the hash chain."""

    ok: bool
    checked: int
    problem: str
    seq: int | None
    kind: str


@router.get("/audit", operation_id="audit-search")
def search(
    db: Db, user: Auditor, actor: str = "", action: str = "", object_type: str = "",
    object_id: str = "", outcome: str = "", since: DateTime | None = None,
    until: DateTime | None = None, offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditPage:
    """Search the audit log by actor, action, object, outcome and time."""
    flt = audit.AuditFilter(
        actor=actor, action=action, object_type=object_type, object_id=object_id,
        outcome=outcome, since=since.astimezone(dt.UTC).isoformat() if since else "",
        until=until.astimezone(dt.UTC).isoformat() if until else "",
    )
    rows, total = audit.search(db, flt, offset=offset, limit=limit)
    return AuditPage(total=total, items=[AuditEntryRead.model_validate(r) for r in rows])


@router.get("/audit/verify", operation_id="audit-verify")
def verify(db: Db, user: Auditor) -> VerifyResult:
    """Walk the whole hash chain and name the first entry altered, deleted or reordered."""
    v = audit.verify(db)
    return VerifyResult(ok=v.ok, checked=v.checked, problem=v.problem, seq=v.seq, kind=v.kind)
