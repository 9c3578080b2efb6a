"""Login: generic failures, audit of every attempt, throttling, second factor."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD, Factory
from tipor.accounts import auth
from tipor.accounts.models import Role, WebSession
from tipor.audit.models import AuditEntry
from tipor.db import unit_of_work
from tipor.exceptions import AuthenticationFailed, Throttled, ValidationFailed
from tipor.security import totp
from tipor.security.crypto import Keyring
from tipor.settings import Settings


def _login(session: Session, settings: Settings, username: str, password: str,
           ip: str = "10.1.1.1") -> auth.LoginOutcome:
    return auth.login(session, username=username, password=password, ip=ip, settings=settings)


def _audit(session: Session, action: str = "login") -> list[AuditEntry]:
    return list(session.execute(select(AuditEntry).where(AuditEntry.action == action)
                                .order_by(AuditEntry.seq)).scalars())


def test_success_opens_session_and_is_audited(session: Session, settings: Settings,
                                              factory: Factory) -> None:
    user = factory.user(Role.CASEWORKER)
    outcome = _login(session, settings, user.username, PASSWORD)
    session.commit()
    assert not outcome.needs_totp and not outcome.must_enrol_totp
    web = auth.resolve_session(session, outcome.token)
    assert web is not None and web.mfa_passed and web.user_id == user.id
    stored = session.execute(select(WebSession.token_hash)).scalar_one()
    assert stored != outcome.token and len(stored) == 64  # only a hash is kept
    entry = _audit(session)[-1]
    assert (entry.actor_username, entry.outcome, entry.ip) == (user.username, "success", "10.1.1.1")


@pytest.mark.parametrize("which", ["wrong-password", "no-such-user"])
def test_failure_is_generic_and_audited(session: Session, settings: Settings, factory: Factory,
                                        which: str) -> None:
    user = factory.user()
    name = user.username if which == "wrong-password" else "nobody-here"
    with pytest.raises(AuthenticationFailed) as err, unit_of_work(session):
        _login(session, settings, name, "Wrong-Password-99!")
    assert err.value.message == "Wrong username or password."
    entry = _audit(session)[-1]
    assert entry.outcome == "failure" and entry.actor_username == name


def test_inactive_user_cannot_sign_in(session: Session, settings: Settings, factory: Factory) -> None:
    user = factory.user()
    db_user = session.get(type(user), user.id)
    assert db_user is not None
    db_user.is_active = False
    session.commit()
    with pytest.raises(AuthenticationFailed), unit_of_work(session):
        _login(session, settings, user.username, PASSWORD)


def test_throttled_per_account_even_with_right_password(session: Session, settings: Settings,
                                                        factory: Factory) -> None:
    user, other = factory.user(), factory.user()
    for i in range(settings.login_max_failures_account):
        with pytest.raises(AuthenticationFailed), unit_of_work(session):
            _login(session, settings, user.username, f"Wrong-{i}-Password!", ip=f"10.0.0.{i}")
    with pytest.raises(Throttled) as err, unit_of_work(session):
        _login(session, settings, user.username, PASSWORD, ip="10.9.9.9")
    assert "this account" in err.value.message and err.value.retry_after > 0
    assert _audit(session)[-1].outcome == "throttled"
    _login(session, settings, other.username, PASSWORD, ip="10.9.9.9")  # others unaffected


def test_throttled_per_address(session: Session, settings: Settings, factory: Factory) -> None:
    user = factory.user()
    for i in range(settings.login_max_failures_address):
        with pytest.raises(AuthenticationFailed), unit_of_work(session):
            _login(session, settings, f"guess{i}", "Wrong-Password-1!", ip="192.0.2.7")
    with pytest.raises(Throttled, match="this address"), unit_of_work(session):
        _login(session, settings, user.username, PASSWORD, ip="192.0.2.7")
    _login(session, settings, user.username, PASSWORD, ip="192.0.2.8")


def test_admin_must_enrol_then_use_second_factor(session: Session, settings: Settings,
                                                 factory: Factory, keyring: Keyring) -> None:
    admin = factory.user(Role.ADMIN)
    outcome = _login(session, settings, admin.username, PASSWORD)
    assert outcome.must_enrol_totp
    web = auth.resolve_session(session, outcome.token)
    assert web is not None and not web.mfa_passed
    secret = totp.new_secret()
    with pytest.raises(ValidationFailed):
        auth.enrol_totp(session, user=web.user, secret=secret, code="000000", keyring=keyring,
                        actor=auth.actor_for(web.user), web=web)
    code = totp.current_code(secret)  # the same code is replayed below, whatever the clock does
    auth.enrol_totp(session, user=web.user, secret=secret, code=code,
                    keyring=keyring, actor=auth.actor_for(web.user), web=web)
    session.commit()
    assert web.mfa_passed and "totp" not in (web.user.totp_secret_enc or "").lower()
    assert auth.totp_secret(web.user, keyring) == secret
    second = _login(session, settings, admin.username, PASSWORD)
    assert second.needs_totp and not second.must_enrol_totp
    web2 = auth.resolve_session(session, second.token)
    assert web2 is not None
    with pytest.raises(AuthenticationFailed):  # the enrolment code cannot be replayed
        auth.pass_totp(session, web=web2, code=code, keyring=keyring, ip="", settings=settings)


def test_logout_ends_session(session: Session, settings: Settings, factory: Factory) -> None:
    user = factory.user()
    outcome = _login(session, settings, user.username, PASSWORD)
    auth.logout(session, token=outcome.token, ip="")
    assert auth.resolve_session(session, outcome.token) is None
    assert _audit(session, "logout")


def test_api_token_resolves_until_revoked(session: Session, factory: Factory) -> None:
    user = factory.user()
    db_user = session.get(type(user), user.id)
    assert db_user is not None
    row, plain = auth.create_token(session, user=db_user, name="script", days=1,
                                   actor=auth.actor_for(db_user))
    assert auth.resolve_token(session, plain) is db_user
    assert auth.resolve_token(session, plain + "x") is None
    row.revoked = True
    assert auth.resolve_token(session, plain) is None
