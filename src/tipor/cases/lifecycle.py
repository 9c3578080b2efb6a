"""The case state machine: one transition function, every change audited with its reason."""

from __future__ import annotations

from tipor.audit.service import record
from tipor.cases.access import CaseView
from tipor.cases.enums import CaseStatus as S
from tipor.cases.models import CaseStatusChange
from tipor.context import Ctx
from tipor.exceptions import Conflict, PermissionDenied, ValidationFailed

#: (from, to) pairs that are allowed. Backward steps and reopening need a reason like any other.
ALLOWED: frozenset[tuple[S, S]] = frozenset({
    (S.INTAKE, S.SCREENING), (S.INTAKE, S.REFERRAL_ONLY), (S.INTAKE, S.CLOSED),
    (S.SCREENING, S.ASSESSMENT), (S.SCREENING, S.INTAKE), (S.SCREENING, S.REFERRAL_ONLY),
    (S.SCREENING, S.CLOSED),
    (S.ASSESSMENT, S.INVESTIGATION), (S.ASSESSMENT, S.SCREENING),
    (S.ASSESSMENT, S.REFERRAL_ONLY), (S.ASSESSMENT, S.CLOSED),
    (S.INVESTIGATION, S.PROSECUTION), (S.INVESTIGATION, S.ASSESSMENT), (S.INVESTIGATION, S.CLOSED),
    (S.PROSECUTION, S.TRIAL), (S.PROSECUTION, S.INVESTIGATION), (S.PROSECUTION, S.CLOSED),
    (S.TRIAL, S.CLOSED), (S.TRIAL, S.PROSECUTION),
    (S.REFERRAL_ONLY, S.ASSESSMENT), (S.REFERRAL_ONLY, S.CLOSED),
    (S.CLOSED, S.ASSESSMENT),  # reopening
})


def allowed_next(current: S) -> list[S]:
    """The statuses a case in ``current`` may move to, in lifecycle order."""
    return [to for to in S if (current, to) in ALLOWED]


def transition(ctx: Ctx, view: CaseView, *, to: S, reason: str, version: int) -> None:
    """Move a case to ``to``; refuse an illegal step, a missing reason or a stale version."""
    case = view.case
    if not view.manage:
        raise PermissionDenied("only the owning agency's case staff can change a case's status")
    if case.version != version:
        raise Conflict(f"the case changed since you opened it (now version {case.version}); "
                       "reload it and decide again", {"status": case.status.value,
                                                      "version": case.version})
    if not reason.strip():
        raise ValidationFailed("reason: say why the status changes", [("reason", "required")])
    if (case.status, to) not in ALLOWED:
        options = ", ".join(s.value for s in allowed_next(case.status)) or "none"
        raise ValidationFailed(
            f"to: a case cannot go from {case.status.value} to {to.value}; from "
            f"{case.status.value} it can go to: {options}", [("to", "transition not allowed")])
    previous = case.status
    case.status = to
    ctx.session.add(CaseStatusChange(case_id=case.id, from_status=previous.value,
                                     to_status=to.value, reason=reason.strip(),
                                     by_user_id=ctx.actor.user_id))
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="case.transition", object_type="case",
           object_id=case.id, detail={"from": previous.value, "to": to.value,
                                      "reason": reason.strip()})
