"""Access ends when it should: deactivation, password, role or agency changes, sign out
everywhere, token revocation; and the last administrator cannot be removed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.accounts.conftest import AsUser
from tests.conftest import PASSWORD, Factory
from tipor.accounts import auth, service, sessions
from tipor.accounts.models import Agency, ApiToken, Role, User, WebSession
from tipor.accounts.schemas import AgencyUpdate, UserUpdate
from tipor.accounts.sessions import Current
from tipor.audit.models import AuditEntry
from tipor.audit.service import Actor
from tipor.context import Ctx
from tipor.db import unit_of_work
from tipor.exceptions import AuthenticationFailed, Conflict, NotFound, Throttled
from tipor.security.crypto import Keyring
from tipor.settings import Settings

ACTOR = Actor.system("test-admin")


class Access:
    """Two browser sessions and two API tokens of one user."""

    def __init__(self, session: Session, settings: Settings, user: User) -> None:
        self.cookies = [auth.login(session, username=user.username, password=PASSWORD,
                                   ip=f"10.0.0.{i}", settings=settings).token for i in (1, 2)]
        stored = session.get(User, user.id)
        assert stored is not None
        self.tokens = [auth.create_token(session, user=stored, name=f"t{i}", days=1,
                                         actor=ACTOR) for i in (1, 2)]
        session.commit()

    def live(self, session: Session) -> tuple[list[bool], list[bool]]:
        """Which sessions and which tokens still work."""
        session.expire_all()
        return ([auth.resolve_session(session, c) is not None for c in self.cookies],
                [auth.resolve_token(session, plain) is not None for _row, plain in self.tokens])

    def first(self, session: Session) -> Current:
        """The first session and first token, as if they made the change."""
        web = auth.resolve_session(session, self.cookies[0])
        assert web is not None
        return Current(session_id=web.id, token_id=self.tokens[0][0].id)


def _end_reasons(session: Session) -> list[str]:
    rows = session.execute(select(AuditEntry).where(AuditEntry.action == "access.end")
                           .order_by(AuditEntry.seq)).scalars()
    return [str(r.detail) for r in rows]


def test_deactivating_an_agency_ends_its_users_access(session: Session, system: Ctx,
                                                      settings: Settings, factory: Factory) -> None:
    agency = factory.agency()
    member, outsider = factory.user(agency=agency), factory.user()
    mine, theirs = Access(session, settings, member), Access(session, settings, outsider)
    version = session.get(Agency, agency.id).version  # type: ignore[union-attr]
    service.update_agency(system, agency_id=agency.id,
                          data=AgencyUpdate(version=version, is_active=False))
    session.commit()
    assert mine.live(session) == ([False, False], [False, False])
    assert theirs.live(session) == ([True, True], [True, True])
    assert session.execute(select(WebSession).where(WebSession.user_id == member.id)).first() is None
    assert all(t.revoked for t in session.execute(
        select(ApiToken).where(ApiToken.user_id == member.id)).scalars())
    assert "agency_deactivated" in _end_reasons(session)[-1]
    with pytest.raises(AuthenticationFailed):  # and nobody of that agency can sign in again
        auth.login(session, username=member.username, password=PASSWORD, ip="10.0.0.9",
                   settings=settings)


def test_an_inactive_agency_is_refused_on_every_request(session: Session, settings: Settings,
                                                        factory: Factory) -> None:
    """Even a credential the deactivation missed (here: set directly) stops working."""
    agency = factory.agency()
    access = Access(session, settings, factory.user(agency=agency))
    session.get(Agency, agency.id).is_active = False  # type: ignore[union-attr]
    session.commit()
    assert access.live(session) == ([False, False], [False, False])


CHANGES: list[tuple[dict[str, Any], str, bool]] = [
    # change, audited reason, whether the credential making the change survives
    ({"is_active": False}, "user_deactivated", False),
    ({"password": "Brand-New-Passphrase-77!"}, "password_changed", True),
    ({"role": Role.ANALYST}, "role_changed", True),
    ({"agency_id": "other"}, "role_changed", True),
]


@pytest.mark.parametrize("change,reason,kept", CHANGES)
def test_changes_end_every_other_session_and_token(
        session: Session, system: Ctx, settings: Settings, factory: Factory,
        change: dict[str, Any], reason: str, kept: bool) -> None:
    user = factory.user(Role.INVESTIGATOR)
    if change.get("agency_id") == "other":
        change = {"agency_id": factory.agency().id}
    access = Access(session, settings, user)
    current = access.first(session)
    stored = session.get(User, user.id)
    assert stored is not None
    service.update_user(system, user_id=user.id, current=current,
                        data=UserUpdate(version=stored.version, **change))
    session.commit()
    assert access.live(session) == ([kept, False], [kept, False])
    assert reason in _end_reasons(session)[-1]


def test_other_changes_leave_access_alone(session: Session, system: Ctx, settings: Settings,
                                          factory: Factory) -> None:
    user = factory.user()
    access = Access(session, settings, user)
    stored = session.get(User, user.id)
    assert stored is not None
    service.update_user(system, user_id=user.id,
                        data=UserUpdate(version=stored.version, display_name="Fictional New"))
    session.commit()
    assert access.live(session) == ([True, True], [True, True])


def test_own_password_change_keeps_only_this_session(session: Session, settings: Settings,
                                                     factory: Factory, as_user: AsUser) -> None:
    user = factory.user()
    access = Access(session, settings, user)
    with pytest.raises(AuthenticationFailed), unit_of_work(session):
        service.change_own_password(as_user(user), current_password="Not-The-One-11!",
                                    new_password="Brand-New-Passphrase-77!",
                                    current=access.first(session), settings=settings)
    assert access.live(session) == ([True, True], [True, True])  # nothing changed
    service.change_own_password(as_user(user), current_password=PASSWORD,
                                new_password="Brand-New-Passphrase-77!",
                                current=Current(session_id=access.first(session).session_id),
                                settings=settings)
    session.commit()
    assert access.live(session) == ([True, False], [False, False])


def test_sign_out_everywhere_and_token_revocation(session: Session, settings: Settings,
                                                  factory: Factory, as_user: AsUser) -> None:
    user, other = factory.user(), factory.user()
    access = Access(session, settings, user)
    stored = session.get(User, user.id)
    assert stored is not None
    row = access.tokens[1][0]
    with pytest.raises(NotFound):  # nobody revokes another user's token
        sessions.revoke_token(session, user=session.get(User, other.id),  # type: ignore[arg-type]
                              token_id=row.id, actor=ACTOR)
    sessions.revoke_token(session, user=stored, token_id=row.id, actor=ACTOR)
    session.commit()
    assert access.live(session) == ([True, True], [True, False])
    sessions.sign_out_everywhere(as_user(user),
                                 keep=Current(session_id=access.first(session).session_id))
    session.commit()
    assert access.live(session) == ([True, False], [False, False])
    actions = set(session.execute(select(AuditEntry.action)).scalars())
    assert {"token.revoke", "access.end"} <= actions


LAST_ADMIN_CHANGES: list[dict[str, Any]] = [
    {"is_active": False}, {"role": Role.INVESTIGATOR}, {"agency_id": "inactive"}]


@pytest.mark.parametrize("change", LAST_ADMIN_CHANGES)
def test_last_admin_cannot_be_deactivated_demoted_or_moved(
        session: Session, system: Ctx, factory: Factory, change: dict[str, Any]) -> None:
    admin = factory.user(Role.ADMIN)
    factory.user(Role.ADMIN)  # a second administrator, made inactive below
    closed = factory.agency()
    others = session.execute(select(User).where(User.role == Role.ADMIN,
                                                User.id != admin.id)).scalars().all()
    for other in others:
        other.is_active = False
    if change.get("agency_id") == "inactive":
        session.get(Agency, closed.id).is_active = False  # type: ignore[union-attr]
        change = {"agency_id": closed.id}
    session.commit()
    stored = session.get(User, admin.id)
    assert stored is not None
    with pytest.raises(Conflict, match="last active administrator"):
        service.update_user(system, user_id=admin.id,
                            data=UserUpdate(version=stored.version, **change))
    session.rollback()
    assert (stored.is_active, stored.role) == (True, Role.ADMIN)
    for other in others:  # with a second active administrator, the change is allowed
        other.is_active = True
    session.commit()
    service.update_user(system, user_id=admin.id,
                        data=UserUpdate(version=stored.version, **change))


def test_agency_holding_every_admin_cannot_be_deactivated(session: Session, system: Ctx,
                                                          factory: Factory) -> None:
    agency = factory.agency()
    factory.user(Role.ADMIN, agency=agency)
    version = session.get(Agency, agency.id).version  # type: ignore[union-attr]
    with pytest.raises(Conflict, match="every active administrator"):
        service.update_agency(system, agency_id=agency.id,
                          data=AgencyUpdate(version=version, is_active=False))
    session.rollback()
    factory.user(Role.ADMIN)  # an administrator elsewhere
    service.update_agency(system, agency_id=agency.id,
                          data=AgencyUpdate(version=version, is_active=False))


def test_guessing_the_current_password_is_throttled(session: Session, settings: Settings,
                                                    factory: Factory, keyring: Keyring) -> None:
    """A session left open on a shared computer cannot be used to guess the password."""
    fast = settings.model_copy(update={"login_max_failures_address": 3})
    user = factory.user()
    stored = session.get(User, user.id)
    assert stored is not None
    actor = Actor(stored.id, stored.username, stored.agency_id, "192.0.2.44")
    ctx = Ctx(session=session, actor=actor, keyring=keyring, user=stored)

    def attempt(password: str) -> None:
        with unit_of_work(session):
            service.change_own_password(ctx, current_password=password,
                                        new_password="Brand-New-Passphrase-77!",
                                        current=Current(), settings=fast)

    for i in range(fast.login_max_failures_address):
        with pytest.raises(AuthenticationFailed):
            attempt(f"Guess-Number-{i}-Wrong!")
    with pytest.raises(Throttled, match="this address"):
        attempt(PASSWORD)
    outcomes = session.execute(select(AuditEntry.outcome).where(
        AuditEntry.action == "user.password")).scalars().all()
    assert outcomes == ["failure"] * fast.login_max_failures_address + ["throttled"]
