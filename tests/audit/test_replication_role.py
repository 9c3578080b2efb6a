"""PostgreSQL: session_replication_role = replica would silence ordinary triggers. The audit
guards are ENABLE ALWAYS (they fire anyway), and a non-superuser role, as the app must use in
production, cannot set it or disable the triggers at all."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tipor.audit import service as audit
from tipor.audit.service import Actor

_names = itertools.count(1)
# session_replication_role and roles exist only on PostgreSQL: these tests run on that engine alone.
pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def pg(session: Session) -> Session:
    assert session.get_bind().dialect.name == "postgresql"
    for i in range(3):
        audit.record(session, actor=Actor.system(), action="test.write", object_id=i)
    session.commit()
    return session


@pytest.fixture
def app_role(pg: Session, db_url: str) -> Iterator[str]:
    """A URL for a fresh non-superuser role with the app's ordinary table rights."""
    name = f"tipor_app_{next(_names)}"
    pg.execute(text(f"CREATE ROLE {name} LOGIN NOSUPERUSER"))
    pg.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                    f"TO {name}"))
    pg.commit()
    yield make_url(db_url).set(username=name).render_as_string(hide_password=False)
    pg.execute(text(f"DROP OWNED BY {name}"))
    pg.execute(text(f"DROP ROLE {name}"))
    pg.commit()


def test_guards_fire_even_as_replica(pg: Session) -> None:
    pg.execute(text("SET session_replication_role = replica"))
    for statement in ("DELETE FROM audit_entries WHERE seq = 3",
                      "UPDATE audit_entries SET action = 'x' WHERE seq = 1",
                      "UPDATE audit_head SET seq = 1"):
        with pytest.raises(DBAPIError, match="append-only|only moves forward"):
            pg.execute(text(statement))
        pg.rollback()
        pg.execute(text("SET session_replication_role = replica"))
    pg.execute(text("RESET session_replication_role"))
    assert audit.verify(pg).ok and audit.verify(pg).checked == 3


@pytest.mark.parametrize("statement", [
    "SET session_replication_role = replica",
    "ALTER TABLE audit_entries DISABLE TRIGGER USER",
    "DROP TRIGGER audit_entries_no_change ON audit_entries",
])
def test_non_superuser_cannot_switch_the_guards_off(app_role: str, statement: str) -> None:
    engine = create_engine(app_role)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW is_superuser")).scalar_one() == "off"
            with pytest.raises(DBAPIError, match="permission denied|must be owner"):
                conn.execute(text(statement))
    finally:
        engine.dispose()


def test_production_refuses_a_superuser_connection(pg: Session, db_url: str) -> None:
    from tipor.db import Limits, dispose_engines, get_engine
    from tipor.exceptions import ConfigError

    dispose_engines()
    engine = get_engine(db_url, Limits(refuse_superuser=True))
    try:
        with pytest.raises(ConfigError, match="superuser"), engine.connect():
            pass
    finally:
        dispose_engines()


def test_production_accepts_the_app_role(app_role: str) -> None:
    from tipor.db import Limits, dispose_engines, get_engine

    engine = get_engine(app_role, Limits(refuse_superuser=True))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_entries")).scalar_one() == 3
    finally:
        dispose_engines()
