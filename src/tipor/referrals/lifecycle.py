"""The referral state machine: one transition function, every change stored and audited.

    proposed ──► accepted ──► in_progress ──► completed
        │            │              │
        ▼            ▼              ▼
     declined      closed         closed

The receiving agency accepts, declines, starts and completes (for a referral to an outside
provider, the sending agency records those steps for it); the sending agency closes. Both need
``referrals.manage``. Every open status carries a follow-up date that is not in the past.
Withdrawing a consent closes the referrals that rested on it from any open status
(:func:`close_for_withdrawal`), which is the system's step, not a user's.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from tipor.cases.access import CaseView
from tipor.context import Ctx
from tipor.exceptions import NotFound, PermissionDenied, ValidationFailed
from tipor.referrals.common import audit, not_past
from tipor.referrals.models import Referral, ReferralChange
from tipor.referrals.models import ReferralStatus as S
from tipor.security.permissions import Permission, can
from tipor.versioning import check_version

TERMINAL = frozenset({S.DECLINED, S.COMPLETED, S.CLOSED})
LIVE = (S.ACCEPTED, S.IN_PROGRESS)  # the receiver sees the sections the referral grants
OPEN = (S.PROPOSED, *LIVE)
Side = Literal["receiver", "sender"]


def _side(old: S, new: S) -> Side | None:
    match (old, new):
        case (S.PROPOSED, S.ACCEPTED | S.DECLINED) | (S.ACCEPTED, S.IN_PROGRESS) | \
                (S.IN_PROGRESS, S.COMPLETED):
            return "receiver"
        case (S.ACCEPTED | S.IN_PROGRESS, S.CLOSED):
            return "sender"
        case _:
            return None


def allowed_next(old: S) -> list[S]:
    """The statuses a referral in ``old`` may move to, in lifecycle order."""
    return [new for new in S if _side(old, new) is not None]


def step_side(old: S, new: S) -> Side:
    """Which side may take the step from ``old`` to ``new``, or ValidationFailed if none may."""
    side = _side(old, new)
    if side is None:
        options = ", ".join(s.value for s in allowed_next(old)) or "none (it has ended)"
        raise ValidationFailed(
            f"to: a referral cannot go from {old.value} to {new.value}; from {old.value} it "
            f"can go to: {options}", [("to", "transition not allowed")])
    return side


def side_agency(referral: Referral, side: Side) -> int:
    """The agency that takes a step: an outside provider's steps are recorded by the sender."""
    if side == "receiver" and referral.to_agency_id is not None:
        return referral.to_agency_id
    return referral.from_agency_id


def steps_for(ctx: Ctx, referral: Referral) -> list[S]:
    """The statuses this user may move ``referral`` to (for forms)."""
    user = ctx.user
    if user is None or not can(user, Permission.REFERRALS_MANAGE) or referral.status in TERMINAL:
        return []
    return [s for s in allowed_next(referral.status)
            if side_agency(referral, step_side(referral.status, s)) == user.agency_id]


def get_referral(ctx: Ctx, view: CaseView, referral_id: int) -> Referral:
    """A referral of this case that this user may see, or NotFound."""
    referral = ctx.session.get(Referral, referral_id)
    if referral is None or referral.case_id != view.case.id or (
            not view.owner and referral.id not in view.referral_ids):
        raise NotFound(f"referral {referral_id} is not part of case {view.case.reference}")
    return referral


def transition(ctx: Ctx, view: CaseView, referral_id: int, *, to: S, note: str,
               follow_up: dt.date | None, version: int, today: dt.date | None = None) -> Referral:
    """Move a referral; refuse a step not allowed, the wrong side, a missing follow-up, a stale version."""
    user = ctx.require_user()
    referral = get_referral(ctx, view, referral_id)
    if not can(user, Permission.REFERRALS_MANAGE):
        raise PermissionDenied(f"your role ({user.role.value}) cannot manage referrals")
    check_version(referral, version, {"status": to})
    side = step_side(referral.status, to)
    if side_agency(referral, side) != user.agency_id:
        who = "the receiving agency" if side == "receiver" else "the sending agency"
        raise PermissionDenied(f"only {who} may move this referral from "
                               f"{referral.status.value} to {to.value}")
    if to not in TERMINAL:
        follow_up = not_past(follow_up, "follow_up", today or dt.date.today())
    _apply(ctx, view, referral, to, note.strip(), follow_up if to not in TERMINAL else None)
    return referral


def close_for_withdrawal(ctx: Ctx, view: CaseView, referral: Referral, consent_id: int) -> None:
    """Close an open referral whose consent was withdrawn (from any open status)."""
    _apply(ctx, view, referral, S.CLOSED, "consent withdrawn", None, consent_id=consent_id)


def _apply(ctx: Ctx, view: CaseView, referral: Referral, to: S, note: str,
           follow_up: dt.date | None, **detail: object) -> None:
    previous = referral.status
    referral.status = to
    referral.follow_up = follow_up
    ctx.session.add(ReferralChange(referral_id=referral.id, from_status=previous.value,
                                   to_status=to.value, note=note, follow_up=follow_up,
                                   by_user_id=ctx.actor.user_id))
    ctx.session.flush()
    audit(ctx, view, "referral.transition", "referral", referral.id, **{
        "from": previous.value, "to": to.value, "note": note,
        "follow_up": follow_up.isoformat() if follow_up else None, **detail})
