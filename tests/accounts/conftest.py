"""Account-service fixtures: the system's unit of work on the test's session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from tipor.accounts.auth import actor_for
from tipor.accounts.models import User
from tipor.audit.service import Actor
from tipor.context import Ctx
from tipor.security.crypto import Keyring


@pytest.fixture
def system(session: Session, keyring: Keyring) -> Ctx:
    """The system acting (no user), as the CLI's first-admin set-up and demo seeding do."""
    return Ctx(session=session, actor=Actor.system("test-admin"), keyring=keyring)


AsUser = Callable[[User], Ctx]


@pytest.fixture
def as_user(session: Session, keyring: Keyring) -> AsUser:
    """A unit of work on the test's session with this user signed in."""

    def make(user: User) -> Ctx:
        fresh = session.get(User, user.id)
        assert fresh is not None
        return Ctx(session=session, actor=actor_for(fresh, "10.9.9.9"), keyring=keyring,
                   user=fresh)

    return make
