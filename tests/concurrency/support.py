"""Shared set-up for the concurrency tests: a bearer token and a case to fight over."""

from __future__ import annotations

from tests.conftest import Factory
from tipor.accounts.auth import create_token
from tipor.accounts.models import Role, User
from tipor.audit.service import Actor
from tipor.cases.schemas import CaseCreate
from tipor.cases.service import create_case
from tipor.context import Ctx
from tipor.db import open_session
from tipor.security.crypto import Keyring
from tipor.settings import Settings


def token_and_case(settings: Settings, factory: Factory, keyring: Keyring) -> tuple[str, int]:
    """An investigator's API token and a fresh case of their agency."""
    user = factory.user(Role.INVESTIGATOR)
    db = open_session(settings)
    fresh = db.get(User, user.id)
    assert fresh is not None
    _, plain = create_token(db, user=fresh, name="load", days=1, actor=Actor.system())
    ctx = Ctx(session=db, actor=Actor.system(), keyring=keyring, user=fresh)
    case = create_case(ctx, CaseCreate(title="Fictional case: concurrent edits"))
    db.commit()
    case_id = case.id
    db.close()
    return plain, case_id
