"""Case fixtures: a Ctx per user, built on the real services."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.orm import Session

from tests.conftest import Factory
from tipor.accounts.auth import actor_for
from tipor.accounts.models import Agency, AgencyKind, Role, User
from tipor.cases.schemas import CaseCreate
from tipor.cases.service import create_case
from tipor.context import Ctx
from tipor.db import open_session
from tipor.security.crypto import Keyring
from tipor.settings import Settings

CtxFor = Callable[[User], Ctx]


@pytest.fixture
def ctx_for(settings: Settings, keyring: Keyring) -> Iterator[CtxFor]:
    """Make a Ctx (own session, committed by the test) for a user."""
    sessions: list[Session] = []

    def make(user: User) -> Ctx:
        db = open_session(settings)
        sessions.append(db)
        fresh = db.get(User, user.id)
        assert fresh is not None
        db.commit()  # release SQLite's write lock until the test writes (BEGIN IMMEDIATE)
        return Ctx(session=db, actor=actor_for(fresh), keyring=keyring, user=fresh)

    yield make
    for db in sessions:
        db.rollback()
        db.close()


@pytest.fixture
def ngo(factory: Factory) -> Agency:
    return factory.agency(AgencyKind.NGO, "Fictional NGO")


@pytest.fixture
def ngo_worker(factory: Factory, ngo: Agency) -> User:
    return factory.user(Role.CASEWORKER, agency=ngo)


@pytest.fixture
def ngo_investigator(factory: Factory, ngo: Agency) -> User:
    """A user of the same agency whose role writes every section."""
    return factory.user(Role.INVESTIGATOR, agency=ngo)


@pytest.fixture
def case_id(ctx_for: CtxFor, ngo_worker: User) -> int:
    ctx = ctx_for(ngo_worker)
    case = create_case(ctx, CaseCreate(title="Fictional case: kidney sold in guesthouse",
                                       jurisdictions=["pk"]))
    ctx.session.commit()
    return case.id
