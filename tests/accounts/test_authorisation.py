"""The account services decide who may call them: administrators, the system (no user), and
each user for their own account; every refusal is audited although the request fails."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.accounts.conftest import AsUser
from tests.conftest import PASSWORD, Factory
from tipor.accounts import service, sessions
from tipor.accounts.models import AgencyKind, Role, User
from tipor.accounts.schemas import AgencyCreate, AgencyUpdate, UserCreate, UserUpdate
from tipor.accounts.sessions import NOBODY
from tipor.audit.models import AuditEntry
from tipor.context import Ctx
from tipor.db import unit_of_work
from tipor.exceptions import PermissionDenied
from tipor.settings import Settings

NEW_PASSWORD = "Another-Strong-Pass-9!"
Call = Callable[[Ctx, User], object]

#: (name, call, audited action, permission): every administrative entry point.
ADMIN_CALLS: list[tuple[str, Call, str, str]] = [
    ("create_agency", lambda c, u: service.create_agency(c, data=AgencyCreate(
        name="Fictional Rogue Agency", kind=AgencyKind.NGO, country="PK")),
     "agency.create", "admin.agencies"),
    ("update_agency", lambda c, u: service.update_agency(c, agency_id=u.agency_id, data=AgencyUpdate(
        version=u.agency.version, name="Fictional Renamed")), "agency.update", "admin.agencies"),
    ("list_users", lambda c, u: service.list_users(c), "user.list", "admin.users"),
    ("get_user", lambda c, u: service.get_user(c, user_id=u.id + 1), "user.read", "admin.users"),
    ("create_user", lambda c, u: service.create_user(c, data=UserCreate(
        username="fictionalrogue", display_name="Fictional Rogue", agency_id=u.agency_id,
        role=Role.ADMIN, password=NEW_PASSWORD)), "user.create", "admin.users"),
    ("update_user_self", lambda c, u: service.update_user(c, user_id=u.id, data=UserUpdate(
        version=u.version, role=Role.ADMIN)), "user.update", "admin.users"),
    ("unlock_user", lambda c, u: service.unlock_user(c, user_id=u.id + 1), "user.unlock",
     "admin.users"),
]


def _denials(session: Session, username: str) -> list[AuditEntry]:
    return list(session.execute(select(AuditEntry).where(
        AuditEntry.outcome == "denied", AuditEntry.actor_username == username)
        .order_by(AuditEntry.seq)).scalars())


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
@pytest.mark.parametrize("name,call,action,permission", ADMIN_CALLS, ids=[c[0] for c in ADMIN_CALLS])
def test_non_admin_is_refused_by_the_service_and_audited(
        session: Session, factory: Factory, as_user: AsUser, role: Role, name: str, call: Call,
        action: str, permission: str) -> None:
    agency = factory.agency()
    user = factory.user(role, agency=agency)
    factory.user(Role.INVESTIGATOR, agency=agency)  # a neighbour (user.id + 1)
    before = session.execute(select(AuditEntry.seq)).scalars().all()
    ctx = as_user(user)
    with pytest.raises(PermissionDenied, match=permission), unit_of_work(session):
        call(ctx, ctx.require_user())
    session.expire_all()
    entries = _denials(session, user.username)
    assert [(e.action, e.outcome, json.loads(e.detail)) for e in entries] == [
        (action, "denied", {"permission": permission})]
    after = session.execute(select(AuditEntry.seq)).scalars().all()
    assert len(after) == len(before) + 1  # the refusal, and nothing the call began
    stored = session.get(User, user.id)
    assert stored is not None and stored.role == role and stored.agency.name != "Fictional Renamed"


@pytest.mark.parametrize("name,call,action,permission", ADMIN_CALLS, ids=[c[0] for c in ADMIN_CALLS])
def test_admin_and_system_pass_the_same_checks(
        session: Session, system: Ctx, factory: Factory, as_user: AsUser, name: str, call: Call,
        action: str, permission: str) -> None:
    agency = factory.agency()
    admin = factory.user(Role.ADMIN, agency=agency)
    factory.user(Role.INVESTIGATOR, agency=agency)
    factory.user(Role.ADMIN)  # so the admin may change their own account
    call(as_user(admin), as_user(admin).require_user())
    session.rollback()
    call(system, as_user(admin).require_user())  # the system: bootstrap, seeding, factories
    session.rollback()
    assert _denials(session, admin.username) == []


def test_a_user_reads_and_changes_only_their_own_account(
        session: Session, settings: Settings, factory: Factory, as_user: AsUser) -> None:
    user = factory.user(Role.CASEWORKER)
    ctx = as_user(user)
    assert service.get_user(ctx, user_id=user.id).id == user.id
    service.set_language(ctx, language="ur")
    service.change_own_password(ctx, current_password=PASSWORD, new_password=NEW_PASSWORD,
                                current=NOBODY, settings=settings)
    sessions.sign_out_everywhere(ctx, keep=NOBODY)
    session.commit()
    stored = session.get(User, user.id)
    assert stored is not None and stored.language == "ur"
    assert service.list_agencies(ctx)  # agency names are for everyone: referrals need them
    assert service.get_agency(ctx, agency_id=user.agency_id).id == user.agency_id


@pytest.mark.parametrize("call", [
    lambda c: service.set_language(c, language="ur"),
    lambda c: sessions.sign_out_everywhere(c, keep=NOBODY),
], ids=["set_language", "sign_out_everywhere"])
def test_own_account_functions_need_a_user(system: Ctx, call: Callable[[Ctx], Any]) -> None:
    with pytest.raises(PermissionDenied, match="signed-in user"):
        call(system)


def test_functions_take_the_context_then_keywords_only() -> None:
    import inspect

    names = ["list_agencies", "get_agency", "create_agency", "update_agency", "list_users",
             "get_user", "create_user", "update_user", "unlock_user", "change_own_password",
             "set_language"]
    for fn in [getattr(service, n) for n in names] + [sessions.sign_out_everywhere]:
        params = list(inspect.signature(fn).parameters.values())
        assert params[0].name == "ctx", fn.__name__
        assert all(p.kind is p.KEYWORD_ONLY for p in params[1:]), fn.__name__
