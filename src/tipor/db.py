"""Database engine, sessions and the declarative base; the one place that knows dialects.

Engines are built lazily per URL; SQLite gets foreign keys and WAL switched on.

Concurrency: SQLite writers queue on its write lock (``BEGIN IMMEDIATE`` with a busy timeout);
PostgreSQL transactions wait on row locks up to a lock timeout. The pool is sized to cover the
web thread pool. :func:`translate_error` turns what contention leaves behind into errors a
person can act on: a stale ORM version check becomes ``Conflict`` (409) and a lock, pool or
deadlock failure becomes ``Unavailable`` (503, retried first by the web layer).
"""

from __future__ import annotations

import datetime as dt
import enum
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, Enum, MetaData, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

from tipor.exceptions import ConfigError, Conflict, TiporError, Unavailable
from tipor.settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on both SQLite (which drops tzinfo) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use tipor.db.utcnow()")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base for every table, with a constraint naming convention for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


class Timestamped:
    """Mixin: creation and update times."""

    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: utcnow())
    updated_at: Mapped[dt.datetime] = mapped_column(default=lambda: utcnow(), onupdate=lambda: utcnow())


def str_enum(kind: type[enum.StrEnum], name: str) -> Enum:
    """A portable enum column: stored as text with a CHECK constraint, not a native type."""
    return Enum(kind, name=name, native_enum=False, length=40,
                values_callable=lambda k: [m.value for m in k], validate_strings=True)


def utcnow() -> dt.datetime:
    """The current time in UTC, to the microsecond."""
    return dt.datetime.now(dt.UTC)


def is_sqlite(url: str) -> bool:
    """Whether a database URL points at SQLite."""
    return url.startswith("sqlite")


@dataclass(frozen=True)
class Limits:
    """How many connections an engine pools and how long anything waits (seconds)."""

    pool_size: int = 20
    max_overflow: int = 20
    pool_timeout: float = 10.0
    lock_timeout: float = 5.0
    #: Production: refuse a PostgreSQL superuser connection, which could switch the audit
    #: guards off (session_replication_role, ALTER TABLE … DISABLE TRIGGER).
    refuse_superuser: bool = False

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The limits configured in settings."""
        return cls(settings.db_pool_size, settings.db_max_overflow, settings.db_pool_timeout,
                   settings.db_lock_timeout, refuse_superuser=settings.mode == "production")


def _sqlite_pragmas(limits: Limits) -> Any:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Autocommit at the driver level so SQLAlchemy's "begin" hook below controls transactions.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # SQLite's own busy handler polls; the retry in _sqlite_begin_immediate bounds the total.
        cursor.execute(f"PRAGMA busy_timeout={int(limits.lock_timeout * 1000)}")
        cursor.close()

    return on_connect


def _sqlite_begin_immediate(limits: Limits) -> Any:
    def on_begin(conn: Any) -> None:
        # Take SQLite's write lock at the start of every transaction: a deferred transaction that
        # read first would fail with SQLITE_BUSY when it later writes (e.g. the audit chain head).
        # Nothing has happened in the transaction yet, so waiting again here is always safe.
        deadline = time.monotonic() + limits.lock_timeout
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except sa_exc.OperationalError as exc:
                if not _sqlite_locked(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)

    return on_begin


def _sqlite_locked(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    text = str(orig).lower()
    return isinstance(orig, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str, limits: Limits | None = None) -> Engine:
    """The engine for a URL, built once (with ``limits`` on first use); SQLite files get their
    folder created."""
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = _build_engine(url, limits or Limits())
    return engine


def _pool_args(limits: Limits) -> dict[str, Any]:
    return {"pool_size": limits.pool_size, "max_overflow": limits.max_overflow,
            "pool_timeout": limits.pool_timeout}


def _build_engine(url: str, limits: Limits) -> Engine:
    if is_sqlite(url):
        path = url.removeprefix("sqlite:///")
        memory = not path or path == ":memory:"
        if not memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False,
                                                  "timeout": limits.lock_timeout},
                               **({} if memory else _pool_args(limits)))
        event.listen(engine, "connect", _sqlite_pragmas(limits))
        event.listen(engine, "begin", _sqlite_begin_immediate(limits))
        return engine
    # lock_timeout: a row-lock wait (audit head, a case being edited) ends in a retryable error
    # instead of holding a pooled connection indefinitely.
    options = f"-c lock_timeout={int(limits.lock_timeout * 1000)}"
    engine = create_engine(url, pool_pre_ping=True, connect_args={"options": options},
                           **_pool_args(limits))
    if limits.refuse_superuser:
        event.listen(engine, "connect", _refuse_superuser)
    return engine


def _refuse_superuser(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("SELECT current_setting('is_superuser'), current_user")
    superuser, role = cursor.fetchone()
    cursor.close()
    if superuser == "on":
        raise ConfigError(
            f"refusing to run in production as the PostgreSQL superuser {role!r}: a superuser "
            "can switch the audit log's guards off. Connect as the application role (see "
            "README, 'Database roles'); run migrations as the owner role.")


#: PostgreSQL SQLSTATEs after which the whole transaction may simply be run again.
TRANSIENT_SQLSTATES = {
    "40001": "a concurrent transaction conflicted with this one (serialization failure)",
    "40P01": "a concurrent transaction deadlocked with this one",
    "55P03": "a record stayed locked by another transaction for too long",
    "57P03": "the database server is starting up",
}


def transient_reason(exc: BaseException) -> str | None:
    """Why ``exc`` is a passing contention or availability failure, or None if it is not."""
    if isinstance(exc, sa_exc.TimeoutError):
        return "every database connection is in use"
    if not isinstance(exc, sa_exc.DBAPIError):
        return None
    state = getattr(exc.orig, "sqlstate", None)
    if state in TRANSIENT_SQLSTATES:
        return TRANSIENT_SQLSTATES[str(state)]
    if _sqlite_locked(exc):
        return "the database stayed locked by other writers for too long"
    if exc.connection_invalidated or isinstance(exc, sa_exc.InterfaceError):
        return "the connection to the database was lost"
    if isinstance(exc, sa_exc.OperationalError) and state is not None and state.startswith("08"):
        return "the database cannot be reached"
    return None


def translate_error(exc: BaseException, *, retryable: bool = True) -> TiporError | None:
    """The TiporError a database failure means for the user, or None if it is a real bug.

    A stale ORM version check (a concurrent edit committed first) is a ``Conflict``; lock,
    pool, deadlock and serialization failures are ``Unavailable``.
    """
    if isinstance(exc, StaleDataError):
        return Conflict("this record was changed by someone else at the same moment; reload it "
                        "and apply your change again")
    reason = transient_reason(exc)
    if reason is None:
        return None
    return Unavailable(f"the database is busy ({reason}); nothing was saved, try again in a "
                       "moment", retry_after=1, retryable=retryable)


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (tests, shutdown)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


def session_factory(url: str, limits: Limits | None = None) -> sessionmaker[Session]:
    """A session maker bound to the engine for ``url``."""
    return sessionmaker(bind=get_engine(url, limits), expire_on_commit=False)


def settle(session: Session, exc: BaseException) -> None:
    """After a failed unit of work: roll back, then keep what the error asks to keep.

    A refusal's own trace (audit entry, counted failure) is written in a fresh transaction, so a
    service never commits and a failed request leaves nothing else behind.
    """
    session.rollback()
    steps = list(getattr(exc, "after_rollback", ()))
    if not steps:
        return
    exc.after_rollback = []  # type: ignore[attr-defined]  # applied once, even by nested units
    try:
        for step in steps:
            step(session)
        session.commit()
    except Exception:
        session.rollback()
        raise


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """Commit the block's writes, or roll them back and keep only what a refusal asks to keep."""
    try:
        yield session
        session.commit()
    except BaseException as exc:
        settle(session, exc)
        raise


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session committed on success and rolled back on any error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException as exc:
        settle(session, exc)
        translated = translate_error(exc)
        if translated is not None:
            raise translated from exc
        raise
    finally:
        session.close()


def audit_key(secret_key: str) -> bytes:
    """The HMAC key for the audit chain, derived from the application secret."""
    import hashlib
    import hmac

    return hmac.new(secret_key.encode(), b"tipor-audit-chain-v1", hashlib.sha256).digest()


def open_session(settings: Settings) -> Session:
    """A new session for the configured database, carrying the audit key."""
    session = session_factory(settings.db_url, Limits.of(settings))()
    session.info["audit_key"] = audit_key(settings.secret_key)
    session.info["commits"] = 0
    event.listen(session, "after_commit", _count_commit)
    return session


def _count_commit(session: Session) -> None:
    # A request that committed part of its work must not be re-run after a later failure.
    session.info["commits"] = session.info.get("commits", 0) + 1


def committed_before(session: Session) -> bool:
    """Whether this session has already committed something (so re-running it would repeat it)."""
    return bool(session.info.get("commits", 0))
