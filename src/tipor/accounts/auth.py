"""Login with throttling, browser sessions, API tokens and the TOTP second factor."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from tipor.accounts.models import ApiToken, LoginAttempt, Role, User, WebSession
from tipor.accounts.service import get_user_by_username
from tipor.audit.service import Actor, record
from tipor.db import utcnow
from tipor.exceptions import AuthenticationFailed, Throttled, ValidationFailed
from tipor.security import totp
from tipor.security.crypto import Keyring
from tipor.security.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from tipor.settings import Settings

GENERIC_FAILURE = "Wrong username or password."
TOTP_PURPOSE = "users.totp_secret"


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for(user: User, ip: str = "") -> Actor:
    """The audit actor for a user."""
    return Actor(user_id=user.id, username=user.username, agency_id=user.agency_id, ip=ip)


@dataclass(frozen=True)
class LoginOutcome:
    """A successful password check: the new session token and whether a code is owed."""

    user: User
    token: str
    needs_totp: bool
    must_enrol_totp: bool


def _recent_failures(session: Session, column: InstrumentedAttribute[str], value: str,
                     since: dt.datetime) -> int:
    count = session.execute(
        select(func.count()).select_from(LoginAttempt).where(
            column == value, LoginAttempt.at >= since, LoginAttempt.success.is_(False)
        )
    ).scalar_one()
    return int(count)


def _throttle(session: Session, settings: Settings, username: str, ip: str) -> None:
    since = utcnow() - dt.timedelta(minutes=settings.login_window_minutes)
    retry = settings.login_window_minutes * 60
    if _recent_failures(session, LoginAttempt.username, username, since) >= (
        settings.login_max_failures_account
    ):
        raise Throttled("Too many failed sign-in attempts for this account. Wait "
                        f"{settings.login_window_minutes} minutes and try again.", retry)
    if _recent_failures(session, LoginAttempt.ip, ip, since) >= settings.login_max_failures_address:
        raise Throttled("Too many failed sign-in attempts from this address. Wait "
                        f"{settings.login_window_minutes} minutes and try again.", retry)


def login(session: Session, *, username: str, password: str, ip: str, settings: Settings) -> LoginOutcome:
    """Check a password and open a session; failures are recorded, committed and audited.

    Failure raises AuthenticationFailed with one generic message whether or not the account
    exists; too many failures raise Throttled before the password is even checked.
    """
    username = username.strip().lower()[:80]
    try:
        _throttle(session, settings, username, ip)
    except Throttled:
        record(session, actor=Actor(None, username, None, ip), action="login",
               object_type="user", outcome="throttled")
        session.commit()
        raise
    user = get_user_by_username(session, username)
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if not ok or user is None or not user.is_active or not user.agency.is_active:
        session.add(LoginAttempt(username=username, ip=ip, success=False))
        record(session, actor=Actor(user.id if user else None, username,
                                    user.agency_id if user else None, ip),
               action="login", object_type="user", object_id=user.id if user else "",
               outcome="failure")
        session.commit()
        raise AuthenticationFailed(GENERIC_FAILURE)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.add(LoginAttempt(username=username, ip=ip, success=True))
    token = _open_session(session, user, ip, settings, mfa_passed=not _owes_mfa(user))
    record(session, actor=actor_for(user, ip), action="login", object_type="user",
           object_id=user.id, outcome="success" if not _owes_mfa(user) else "password_ok")
    return LoginOutcome(user, token, user.totp_enabled, user.role == Role.ADMIN and not user.totp_enabled)


def _owes_mfa(user: User) -> bool:
    return user.totp_enabled or user.role == Role.ADMIN


def _open_session(session: Session, user: User, ip: str, settings: Settings, *, mfa_passed: bool) -> str:
    token = secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(hours=settings.session_hours)
    session.add(WebSession(token_hash=_sha(token), user_id=user.id, expires_at=expires,
                           mfa_passed=mfa_passed, ip=ip))
    session.flush()
    return token


def resolve_session(session: Session, token: str) -> WebSession | None:
    """The live session for a cookie token, or None if unknown or expired."""
    if not token:
        return None
    row = session.execute(
        select(WebSession).where(WebSession.token_hash == _sha(token))
    ).scalar_one_or_none()
    if row is None or row.expires_at <= utcnow() or not row.user.is_active:
        return None
    return row


def logout(session: Session, *, token: str, ip: str) -> None:
    """End a browser session."""
    row = resolve_session(session, token)
    if row is None:
        return
    record(session, actor=actor_for(row.user, ip), action="logout", object_type="user",
           object_id=row.user_id)
    session.delete(row)
    session.flush()


def totp_secret(user: User, keyring: Keyring) -> str | None:
    """The user's decrypted TOTP secret, if enrolled."""
    if user.totp_secret_enc is None:
        return None
    return keyring.decrypt(user.totp_secret_enc, purpose=f"{TOTP_PURPOSE}:{user.id}")


def pass_totp(session: Session, *, web: WebSession, code: str, keyring: Keyring, ip: str) -> None:
    """Complete a login with a TOTP code; a wrong or replayed code is audited and refused."""
    user = web.user
    secret = totp_secret(user, keyring)
    step = totp.check_code(secret, code, last_step=user.totp_last_step) if secret else None
    if step is None:
        session.add(LoginAttempt(username=user.username, ip=ip, success=False))
        record(session, actor=actor_for(user, ip), action="login.totp", object_type="user",
               object_id=user.id, outcome="failure")
        session.commit()
        raise AuthenticationFailed("That code is not valid. Enter the current 6-digit code.")
    user.totp_last_step = step
    web.mfa_passed = True
    record(session, actor=actor_for(user, ip), action="login.totp", object_type="user",
           object_id=user.id)


def enrol_totp(session: Session, *, user: User, secret: str, code: str, keyring: Keyring,
               actor: Actor, web: WebSession | None = None) -> None:
    """Turn on the second factor after the user proves the authenticator works."""
    step = totp.check_code(secret, code, last_step=None)
    if step is None:
        raise ValidationFailed("That code does not match the new secret. Check the time on your "
                               "phone and enter the current 6-digit code.", [("code", "no match")])
    user.totp_secret_enc = keyring.encrypt(secret, purpose=f"{TOTP_PURPOSE}:{user.id}")
    user.totp_last_step = step
    if web is not None:
        web.mfa_passed = True
    session.flush()
    record(session, actor=actor, action="user.totp_enrol", object_type="user", object_id=user.id)


def create_token(session: Session, *, user: User, name: str, days: int, actor: Actor) -> tuple[ApiToken, str]:
    """A personal API token; the plain token is returned once and only its hash is kept."""
    plain = "tpr_" + secrets.token_urlsafe(32)
    row = ApiToken(token_hash=_sha(plain), user_id=user.id, name=name,
                   expires_at=utcnow() + dt.timedelta(days=days))
    session.add(row)
    session.flush()
    record(session, actor=actor, action="token.create", object_type="api_token", object_id=row.id)
    return row, plain


def resolve_token(session: Session, token: str) -> User | None:
    """The user behind a live bearer token."""
    row = session.execute(
        select(ApiToken).where(ApiToken.token_hash == _sha(token))
    ).scalar_one_or_none()
    if row is None or row.revoked or row.expires_at <= utcnow() or not row.user.is_active:
        return None
    return row.user
