"""A lock held past the lock timeout: the request is retried, then answered 503 with
Retry-After (never 500), stored data unchanged; a lock released in time is waited out."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError

from tests.concurrency.support import token_and_case
from tests.conftest import Factory
from tipor.cases.models import Case
from tipor.db import dispose_engines, is_sqlite, open_session, translate_error
from tipor.exceptions import Conflict, Unavailable
from tipor.security.crypto import Keyring
from tipor.settings import Settings
from tipor.web.app import create_app


@contextmanager
def held_lock(url: str) -> Iterator[Any]:
    """Hold what a case edit needs: SQLite's write lock, or the audit head's row lock."""
    if is_sqlite(url):
        conn: Any = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None,
                                    check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
    else:
        conn = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
        conn.execute("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE")
    try:
        yield conn
    finally:
        conn.rollback()  # a no-op on both drivers when already released
        conn.close()


@pytest.fixture
def quick(settings: Settings, factory: Factory, keyring: Keyring) -> tuple[Settings, str, int]:
    token, case_id = token_and_case(settings, factory, keyring)
    dispose_engines()  # the app's engine is rebuilt with the short lock timeout below
    return settings.model_copy(update={"db_lock_timeout": 0.3}), token, case_id


def _patch(client: TestClient, token: str, case_id: int) -> Any:
    return client.patch(f"/api/v1/cases/{case_id}", headers={"Authorization": f"Bearer {token}"},
                        json={"version": 1, "title": "Fictional edit while locked"})


def test_lock_held_too_long_is_503_with_retry_after(quick: tuple[Settings, str, int]) -> None:
    fast, token, case_id = quick
    with TestClient(create_app(fast)) as client, held_lock(fast.db_url):
        response = _patch(client, token, case_id)
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    assert "x-tipor-retryable" not in response.headers
    body = response.json()
    assert body["error"] == "Unavailable" and "nothing was saved" in body["message"]
    db = open_session(fast)
    case = db.get(Case, case_id)
    assert case is not None and case.version == 1 and "locked" not in case.title
    db.close()


def test_lock_released_in_time_is_waited_out(quick: tuple[Settings, str, int]) -> None:
    fast, token, case_id = quick
    with TestClient(create_app(fast)) as client, held_lock(fast.db_url) as conn:
        release = threading.Timer(0.45, conn.rollback)
        release.start()
        response = _patch(client, token, case_id)
        release.join()
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2


@pytest.mark.parametrize(("error", "kind"), [
    (StaleDataError("UPDATE expected 1 row, 0 matched"), Conflict),
    (sa_exc.TimeoutError("QueuePool limit reached"), Unavailable),
    (sa_exc.OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")),
     Unavailable),
    (sa_exc.IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE failed")), type(None)),
    (ValueError("a bug"), type(None)),
])
def test_translate_error(error: BaseException, kind: type) -> None:
    assert isinstance(translate_error(error), kind)


@pytest.mark.parametrize("sqlstate", ["40001", "40P01", "55P03"])
def test_postgres_transient_states_are_unavailable(sqlstate: str) -> None:
    class Orig(Exception):
        pass

    orig = Orig("transient")
    orig.sqlstate = sqlstate  # type: ignore[attr-defined]
    translated = translate_error(sa_exc.OperationalError("UPDATE", {}, orig), retryable=False)
    assert isinstance(translated, Unavailable) and not translated.retryable


@contextmanager
def sessions_locked(url: str) -> Iterator[None]:
    """Block every read of web_sessions (what signing a page request in needs)."""
    if is_sqlite(url):
        with held_lock(url):
            yield
        return
    conn = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
    conn.execute("LOCK TABLE web_sessions IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        conn.rollback()
        conn.close()


def test_busy_page_is_a_503_page(quick: tuple[Settings, str, int],
                                                       factory: Factory) -> None:
    from tests.conftest import login

    fast, _, _ = quick
    user = factory.user()
    dispose_engines()  # rebuilt with the short lock timeout by the app
    with TestClient(create_app(fast)) as client:
        assert login(client, user.username).status_code == 200
        with sessions_locked(fast.db_url):
            page = client.get("/")
    assert page.status_code == 503 and page.headers["retry-after"] == "1"
    assert "The database is busy. Nothing was saved" in page.text
    assert "x-tipor-retryable" not in page.headers


def test_pool_exhausted_is_503_not_500(quick: tuple[Settings, str, int]) -> None:
    from tipor.db import Limits, get_engine

    fast, token, case_id = quick
    tiny = fast.model_copy(update={"db_pool_size": 1, "db_max_overflow": 0,
                                   "db_pool_timeout": 0.2})
    engine = get_engine(tiny.db_url, Limits.of(tiny))
    with TestClient(create_app(tiny)) as client, engine.connect():  # the only connection
        response = _patch(client, token, case_id)
    assert response.status_code == 503, response.text
    assert "every database connection is in use" in response.json()["message"]
    assert response.headers["retry-after"] == "1"


def test_a_session_that_committed_is_not_retryable(settings: Settings) -> None:
    from tipor.db import committed_before

    db = open_session(settings)
    try:
        assert not committed_before(db)
        db.commit()
        assert committed_before(db)  # get_db then answers 503 without the retry marker
    finally:
        db.close()


@pytest.mark.parametrize(("sqlstate", "failures", "status"), [
    ("40P01", 1, 200),  # a deadlock once: re-run, succeeds
    ("40001", 2, 200),  # serialization failures twice: re-run twice, succeeds
    ("40P01", 10, 503),  # never succeeds: 503 after the last attempt, no 500
])
def test_deadlock_and_serialization_failures_are_rerun(
        quick: tuple[Settings, str, int], monkeypatch: pytest.MonkeyPatch,
        sqlstate: str, failures: int, status: int) -> None:
    from tipor.cases import service

    fast, token, case_id = quick
    real, calls = service.update_case, []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) <= failures:
            orig = Exception("simulated")
            orig.sqlstate = sqlstate  # type: ignore[attr-defined]
            raise sa_exc.OperationalError("UPDATE cases", {}, orig)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "update_case", flaky)
    with TestClient(create_app(fast)) as client:
        response = _patch(client, token, case_id)
    assert response.status_code == status, response.text
    assert len(calls) == min(failures + 1, 4)  # four attempts at most
    db = open_session(fast)
    case = db.get(Case, case_id)
    assert case is not None and case.version == (2 if status == 200 else 1)
    db.close()
