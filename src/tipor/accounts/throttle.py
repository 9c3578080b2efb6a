"""Sign-in throttling for both factors: per-address back-off first, then an account lock.

Every failed password or second-factor code is one ``LoginAttempt`` row. Within the window
(``TIPOR_LOGIN_WINDOW_MINUTES``):

* an **address** with ``TIPOR_LOGIN_MAX_FAILURES_ADDRESS`` failures (any account) is refused, so
  one attacker is stopped long before an account locks;
* an **account** with ``TIPOR_LOGIN_MAX_FAILURES_ACCOUNT`` failures (a larger number, reached
  only from several addresses) locks, but not for an address the account fully signed in from
  in the last :data:`KNOWN_ADDRESS_DAYS` days: an attacker elsewhere cannot lock the only
  administrator out of their own desk. An administrator (``accounts.service.unlock_user``, also
  behind ``tipor users unlock``) can clear the lock at once; failures before
  ``users.unlocked_at`` no longer count.

Locks end by themselves as failures age out of the window. Every refusal and unlock is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tipor.accounts.models import LoginAttempt, User
from tipor.audit.service import Actor, record
from tipor.db import utcnow
from tipor.exceptions import Throttled
from tipor.settings import Settings

#: An address the account fully signed in from within this many days escapes the account lock.
KNOWN_ADDRESS_DAYS = 30


def _window_start(settings: Settings) -> dt.datetime:
    return utcnow() - dt.timedelta(minutes=settings.login_window_minutes)


def _account_since(settings: Settings, user: User | None) -> dt.datetime:
    since = _window_start(settings)
    if user is not None and user.unlocked_at is not None and user.unlocked_at > since:
        return user.unlocked_at
    return since


def address_failures(session: Session, ip: str, since: dt.datetime) -> int:
    """Failed attempts from one address since a time."""
    return int(session.execute(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.ip == ip, LoginAttempt.at >= since, LoginAttempt.success.is_(False))
    ).scalar_one())


def account_failures(session: Session, settings: Settings, username: str,
                     user: User | None) -> int:
    """Failed attempts for one account that count towards its lock now."""
    return int(session.execute(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.username == username, LoginAttempt.at >= _account_since(settings, user),
        LoginAttempt.success.is_(False))).scalar_one())


def is_known_address(session: Session, username: str, ip: str) -> bool:
    """Whether the account completed a sign-in from this address recently."""
    since = utcnow() - dt.timedelta(days=KNOWN_ADDRESS_DAYS)
    return session.execute(select(LoginAttempt.id).where(
        LoginAttempt.username == username, LoginAttempt.ip == ip,
        LoginAttempt.success.is_(True), LoginAttempt.at >= since).limit(1)).first() is not None


def is_locked(session: Session, settings: Settings, user: User) -> bool:
    """Whether the account is locked (for addresses it has not signed in from)."""
    return account_failures(session, settings, user.username, user) >= (
        settings.login_max_failures_account)


def check(session: Session, settings: Settings, *, username: str, ip: str,
          user: User | None) -> None:
    """Throttled if this address, or this account from this address, must wait."""
    minutes, retry = settings.login_window_minutes, settings.login_window_minutes * 60
    if address_failures(session, ip, _window_start(settings)) >= settings.login_max_failures_address:
        raise Throttled("Too many failed sign-in attempts from this address. Wait "
                        f"{minutes} minutes and try again.", retry)
    if (account_failures(session, settings, username, user) >= settings.login_max_failures_account
            and not is_known_address(session, username, ip)):
        raise Throttled("Too many failed sign-in attempts for this account: it is locked. Wait "
                        f"{minutes} minutes, sign in from a computer you used before, or ask "
                        "an administrator to unlock it.", retry)


def note_failure(session: Session, settings: Settings, *, username: str, ip: str,
                 user: User | None, actor: Actor) -> None:
    """Record one failed attempt; the one that locks the account is audited as such."""
    session.add(LoginAttempt(username=username, ip=ip, success=False))
    session.flush()
    if user is not None and account_failures(session, settings, username, user) == (
            settings.login_max_failures_account):
        record(session, actor=actor, action="user.lock", object_type="user",
               object_id=user.id, outcome="locked",
               detail={"failures": settings.login_max_failures_account,
                       "window_minutes": settings.login_window_minutes})


def failure_step(settings: Settings, *, username: str, ip: str, user: User | None,
                 actor: Actor, action: str) -> Callable[[Session], None]:
    """What a failed factor leaves behind (a counted failure, an audit entry), as a step the
    unit of work applies after rolling the failed request back (services never commit)."""
    user_id = user.id if user else None

    def step(session: Session) -> None:
        fresh = session.get(User, user_id) if user_id is not None else None
        note_failure(session, settings, username=username, ip=ip, user=fresh, actor=actor)
        record(session, actor=actor, action=action, object_type="user",
               object_id=user_id if user_id is not None else "", outcome="failure")

    return step


def note_success(session: Session, *, username: str, ip: str) -> None:
    """Record a completed sign-in (both factors); it makes the address a known one."""
    session.add(LoginAttempt(username=username, ip=ip, success=True))


def locked_usernames(session: Session, settings: Settings, users: Sequence[User]) -> set[str]:
    """Which of these accounts are locked now (for the administration list)."""
    since = _window_start(settings)
    rows = session.execute(select(LoginAttempt.username, func.count()).where(
        LoginAttempt.at >= since, LoginAttempt.success.is_(False))
        .group_by(LoginAttempt.username)).all()
    candidates = {name for name, n in rows if n >= settings.login_max_failures_account}
    return {u.username for u in users if u.username in candidates and is_locked(session, settings, u)}
