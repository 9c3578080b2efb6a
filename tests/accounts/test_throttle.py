"""Throttling both factors: per-address back-off first, a larger account lock that spares the
addresses an account signed in from, and an audited unlock."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD, Factory
from tipor.accounts import auth, service, throttle
from tipor.accounts.models import Role, User, WebSession
from tipor.audit.models import AuditEntry
from tipor.context import Ctx
from tipor.db import unit_of_work
from tipor.exceptions import AuthenticationFailed, Throttled
from tipor.security import totp
from tipor.security.crypto import Keyring
from tipor.settings import Settings

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _fast(settings: Settings) -> Settings:
    """Small limits, so a test needs few (slow, argon2) attempts."""
    return settings.model_copy(update={"login_max_failures_address": 4,
                                       "login_max_failures_account": 6})


def _wrong_code() -> str:
    return f"{(int(totp.current_code(SECRET)) + 500000) % 1000000:06d}"


def _admin_with_totp(session: Session, factory: Factory, keyring: Keyring) -> User:
    admin = factory.user(Role.ADMIN)
    stored = session.get(User, admin.id)
    assert stored is not None
    stored.totp_secret_enc = keyring.encrypt(SECRET, purpose=f"{auth.TOTP_PURPOSE}:{admin.id}")
    session.commit()
    return stored


def _pending(session: Session, settings: Settings, username: str, ip: str) -> WebSession:
    outcome = auth.login(session, username=username, password=PASSWORD, ip=ip, settings=settings)
    session.commit()
    web = auth.resolve_session(session, outcome.token)
    assert web is not None and not web.mfa_passed
    return web


def _code(session: Session, web: WebSession, code: str, ip: str, settings: Settings,
          keyring: Keyring) -> None:
    with unit_of_work(session):  # as a request would: a refusal keeps only its own trace
        auth.pass_totp(session, web=web, code=code, keyring=keyring, ip=ip, settings=settings)


def _fail_password(session: Session, settings: Settings, username: str, ip: str) -> None:
    with pytest.raises(AuthenticationFailed), unit_of_work(session):
        auth.login(session, username=username, password="Wrong-Password-00!", ip=ip,
                   settings=settings)


def _last(session: Session, action: str) -> AuditEntry:
    return session.execute(select(AuditEntry).where(AuditEntry.action == action)
                           .order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()


def test_sixty_totp_guesses_are_refused_after_the_address_limit(
        session: Session, settings: Settings, factory: Factory, keyring: Keyring) -> None:
    """The campaign's finding: 60 wrong codes, no refusal, then the right one worked."""
    admin = _admin_with_totp(session, factory, keyring)
    web = _pending(session, settings, admin.username, "198.51.100.7")
    refused = 0
    for _ in range(60):
        try:
            _code(session, web, _wrong_code(), "198.51.100.7", settings, keyring)
        except Throttled:
            refused += 1
        except AuthenticationFailed:
            pass
    assert refused == 60 - settings.login_max_failures_address
    with pytest.raises(Throttled, match="this address"):
        _code(session, web, totp.current_code(SECRET), "198.51.100.7", settings, keyring)
    assert not web.mfa_passed
    assert _last(session, "login.totp").outcome == "throttled"


def test_totp_guesses_from_many_addresses_lock_the_account(
        session: Session, settings: Settings, factory: Factory, keyring: Keyring) -> None:
    fast = _fast(settings)
    admin = _admin_with_totp(session, factory, keyring)
    web = _pending(session, fast, admin.username, "198.51.100.1")
    for i in range(fast.login_max_failures_account):  # one guess per address: no address limit
        with pytest.raises(AuthenticationFailed):
            _code(session, web, _wrong_code(), f"203.0.113.{i}", fast, keyring)
    with pytest.raises(Throttled, match="this account"):
        _code(session, web, totp.current_code(SECRET), "203.0.113.200", fast, keyring)
    assert _last(session, "user.lock").object_id == str(admin.id)


def test_one_address_is_refused_long_before_the_account_locks(
        session: Session, settings: Settings, factory: Factory) -> None:
    assert settings.login_max_failures_address < settings.login_max_failures_account
    admin = factory.user(Role.ADMIN)
    for _ in range(settings.login_max_failures_address):
        _fail_password(session, settings, admin.username, "203.0.113.66")
    for _ in range(3):
        with pytest.raises(Throttled, match="this address"), unit_of_work(session):
            auth.login(session, username=admin.username, password=PASSWORD, ip="203.0.113.66",
                       settings=settings)
    stored = session.get(User, admin.id)
    assert stored is not None and not throttle.is_locked(session, settings, stored)
    outcome = auth.login(session, username=admin.username, password=PASSWORD, ip="10.1.1.1",
                         settings=settings)
    assert outcome.must_enrol_totp  # the admin elsewhere is not locked out


def test_lockout_spares_the_address_the_admin_signs_in_from(
        session: Session, settings: Settings, factory: Factory, keyring: Keyring) -> None:
    fast = _fast(settings)
    admin = _admin_with_totp(session, factory, keyring)
    desk = _pending(session, fast, admin.username, "10.20.0.5")
    _code(session, desk, totp.current_code(SECRET), "10.20.0.5", fast, keyring)
    for i in range(fast.login_max_failures_account):  # a distributed attack locks the account
        _fail_password(session, fast, admin.username, f"203.0.113.{i}")
    assert throttle.is_locked(session, fast, admin)
    with pytest.raises(Throttled, match="locked"), unit_of_work(session):
        auth.login(session, username=admin.username, password=PASSWORD, ip="203.0.113.99",
                   settings=fast)
    assert _last(session, "login").outcome == "throttled"
    again = auth.login(session, username=admin.username, password=PASSWORD, ip="10.20.0.5",
                       settings=fast)
    assert again.needs_totp  # ... but the administrator at their own desk still gets in


def test_password_success_alone_does_not_make_an_address_known(
        session: Session, settings: Settings, factory: Factory, keyring: Keyring) -> None:
    """Someone who knows the password but not the code cannot exempt their address."""
    fast = _fast(settings)
    admin = _admin_with_totp(session, factory, keyring)
    _pending(session, fast, admin.username, "203.0.113.50")
    assert not throttle.is_known_address(session, admin.username, "203.0.113.50")


def test_unlock_is_audited_and_lets_the_user_in_at_once(
        session: Session, system: Ctx, settings: Settings, factory: Factory) -> None:
    fast = _fast(settings)
    user = factory.user()
    for i in range(fast.login_max_failures_account):
        _fail_password(session, fast, user.username, f"203.0.113.{i}")
    with pytest.raises(Throttled), unit_of_work(session):
        auth.login(session, username=user.username, password=PASSWORD, ip="192.0.2.1",
                   settings=fast)
    stored = session.get(User, user.id)
    assert stored is not None
    service.unlock_user(system, user_id=user.id)
    session.commit()
    assert not throttle.is_locked(session, fast, stored)
    assert throttle.locked_usernames(session, fast, [stored]) == set()
    auth.login(session, username=user.username, password=PASSWORD, ip="192.0.2.1", settings=fast)
    entry = _last(session, "user.unlock")
    assert (entry.object_id, entry.actor_username) == (str(user.id), "test-admin")
