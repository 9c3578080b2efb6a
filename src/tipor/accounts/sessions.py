"""Ending access: browser sessions and API tokens, all at once or one token at a time.

Access ends at once when it should no longer exist: the user or the agency is deactivated, the
password, role or agency changes (every *other* credential; the one making the change stays), or
the user signs out everywhere. Requests check the user and agency as well (``auth.resolve_*``),
so a credential missed here is still refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tipor.accounts.models import ApiToken, User, WebSession
from tipor.audit.service import Actor, record
from tipor.context import Ctx
from tipor.db import utcnow
from tipor.exceptions import NotFound


@dataclass(frozen=True)
class Current:
    """The credential making the request: 'every other' session or token excludes it."""

    session_id: int | None = None
    token_id: int | None = None


NOBODY = Current()


def end_access(session: Session, *, user_ids: Sequence[int], actor: Actor, reason: str,
               keep: Current = NOBODY, object_type: str = "user", object_id: object = "") -> None:
    """Delete the users' browser sessions and revoke their tokens (except ``keep``); audited."""
    if not user_ids:
        return
    ended = session.execute(delete(WebSession).where(
        WebSession.user_id.in_(user_ids), WebSession.id != (keep.session_id or -1))
        .returning(WebSession.id)).scalars().all()
    revoked = session.execute(update(ApiToken).where(
        ApiToken.user_id.in_(user_ids), ApiToken.revoked.is_(False),
        ApiToken.id != (keep.token_id or -1)).values(revoked=True)
        .returning(ApiToken.id)).scalars().all()
    session.flush()
    record(session, actor=actor, action="access.end", object_type=object_type,
           object_id=object_id or (user_ids[0] if len(user_ids) == 1 else ""),
           detail={"reason": reason, "user_ids": sorted(user_ids), "sessions": len(ended),
                   "tokens": len(revoked)})


def sign_out_everywhere(ctx: Ctx, *, keep: Current) -> None:
    """End every other browser session of the signed-in user and revoke their other tokens."""
    user = ctx.require_user()  # only one's own: an administrator deactivates someone else
    end_access(ctx.session, user_ids=[user.id], actor=ctx.actor, reason="sign_out_everywhere",
               keep=keep)


def list_tokens(session: Session, *, user: User) -> Sequence[ApiToken]:
    """The user's API tokens, newest first, revoked and expired ones included."""
    return session.execute(select(ApiToken).where(ApiToken.user_id == user.id)
                           .order_by(ApiToken.id.desc())).scalars().all()


def revoke_token(session: Session, *, user: User, token_id: int, actor: Actor) -> ApiToken:
    """Revoke one of the user's own tokens (idempotent); another user's is NotFound."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound(f"token {token_id} does not exist or is not yours; list your tokens "
                       "to find its number")
    if not row.revoked:
        row.revoked = True
        session.flush()
        record(session, actor=actor, action="token.revoke", object_type="api_token",
               object_id=row.id, detail={"name": row.name})
    return row


def is_live(row: ApiToken) -> bool:
    """Whether a token still works (not revoked, not expired)."""
    return not row.revoked and row.expires_at > utcnow()
