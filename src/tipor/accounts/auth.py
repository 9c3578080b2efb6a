"""Login (throttled: see ``accounts.throttle``), browser sessions, API tokens and the TOTP
second factor."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tipor.accounts import throttle
from tipor.accounts.models import ApiToken, Role, User, WebSession
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


def _refuse_if_throttled(session: Session, settings: Settings, *, username: str, ip: str,
                         user: User | None, action: str) -> None:
    """Throttled (audited and committed) if this address or account must wait."""
    try:
        throttle.check(session, settings, username=username, ip=ip, user=user)
    except Throttled as exc:
        actor = Actor(user.id if user else None, username, user.agency_id if user else None, ip)
        uid = user.id if user else ""
        raise exc.keeping(lambda s: record(s, actor=actor, action=action, object_type="user",
                                           object_id=uid, outcome="throttled")) from None




def _usable(user: User | None) -> bool:
    return user is not None and user.is_active and user.agency.is_active


def login(session: Session, *, username: str, password: str, ip: str, settings: Settings) -> LoginOutcome:
    """Check a password and open a session; failures are recorded, committed and audited.

    Failure raises AuthenticationFailed with one generic message whether or not the account
    exists; too many failures raise Throttled before the password is even checked.
    """
    username = username.strip().lower()[:80]
    user = get_user_by_username(session, username)
    _refuse_if_throttled(session, settings, username=username, ip=ip, user=user, action="login")
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if not ok or user is None or not _usable(user):
        actor = Actor(user.id if user else None, username, user.agency_id if user else None, ip)
        raise AuthenticationFailed(GENERIC_FAILURE).keeping(
            throttle.failure_step(settings, username=username, ip=ip, user=user, actor=actor, action="login"))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    owes = _owes_mfa(user)
    if not owes:  # a success only counts (makes the address known) once both factors pass
        throttle.note_success(session, username=username, ip=ip)
    token = _open_session(session, user, ip, settings, mfa_passed=not owes)
    record(session, actor=actor_for(user, ip), action="login", object_type="user",
           object_id=user.id, outcome="password_ok" if owes else "success")
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
    if row is None or row.expires_at <= utcnow() or not _usable(row.user):
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


def pass_totp(session: Session, *, web: WebSession, code: str, keyring: Keyring, ip: str,
              settings: Settings) -> None:
    """Complete a login with a TOTP code; throttled like the password (per address and
    account), and a wrong or replayed code is counted, audited and refused."""
    user = web.user
    _refuse_if_throttled(session, settings, username=user.username, ip=ip, user=user,
                         action="login.totp")
    secret = totp_secret(user, keyring)
    step = totp.check_code(secret, code, last_step=user.totp_last_step) if secret else None
    if step is None:
        raise AuthenticationFailed("That code is not valid. Enter the current 6-digit code.").keeping(
            throttle.failure_step(settings, username=user.username, ip=ip, user=user,
                     actor=actor_for(user, ip), action="login.totp"))
    user.totp_last_step = step
    web.mfa_passed = True
    throttle.note_success(session, username=user.username, ip=ip)
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
        throttle.note_success(session, username=user.username, ip=web.ip or "")
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


def resolve_api_token(session: Session, token: str) -> ApiToken | None:
    """The live bearer token row: not revoked, not expired, its user and agency active."""
    if not token:
        return None
    row = session.execute(
        select(ApiToken).where(ApiToken.token_hash == _sha(token))
    ).scalar_one_or_none()
    if row is None or row.revoked or row.expires_at <= utcnow() or not _usable(row.user):
        return None
    return row


def resolve_token(session: Session, token: str) -> User | None:
    """The user behind a live bearer token."""
    row = resolve_api_token(session, token)
    return row.user if row is not None else None
