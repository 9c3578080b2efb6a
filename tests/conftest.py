"""Shared fixtures: a fresh migrated database per test on SQLite and PostgreSQL, the app,
factories for agencies and users, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.support import pgcluster
from tests.support.databases import PostgresTemplates, SqliteTemplates
from tipor.accounts import service
from tipor.accounts.models import Agency, AgencyKind, Role, User
from tipor.accounts.schemas import AgencyCreate, UserCreate
from tipor.audit.service import Actor
from tipor.context import Ctx
from tipor.db import open_session
from tipor.security.crypto import Keyring
from tipor.settings import Settings
from tipor.web.app import create_app

PASSWORD = "Correct-Horse-42!"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REQUIRE_PG = os.environ.get("TIPOR_TEST_REQUIRE_PG") == "1"


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    return SqliteTemplates(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def pg_templates() -> Iterator[PostgresTemplates]:
    url = os.environ.get("TIPOR_TEST_PG_URL")
    cluster = None
    if not url:
        if not pgcluster.find_binary("initdb"):
            if REQUIRE_PG:
                pytest.fail("PostgreSQL binaries not found but TIPOR_TEST_REQUIRE_PG=1")
            pytest.skip("PostgreSQL 15 binaries (initdb) not installed: PostgreSQL variant skipped")
        cluster = pgcluster.start()
        url = cluster.url
    templates = PostgresTemplates(url)
    yield templates
    templates.admin.dispose()
    if cluster is not None:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty database on each engine."""
    name = "pg_templates" if request.param == "postgresql" else "sqlite_templates"
    templates: Any = request.getfixturevalue(name)
    url: str = templates.clone(tmp_path)
    yield url
    templates.drop(url)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(mode="test", database_url=db_url, data_dir=tmp_path / "data")


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    db = open_session(settings)
    yield db
    db.rollback()
    db.close()


@pytest.fixture
def keyring(settings: Settings) -> Keyring:
    return Keyring.from_settings(settings.data_keys, settings.blind_index_key)


class Factory:
    """Builds agencies and users through the real services (so writes are audited), acting
    as the system (a ``Ctx`` without a user), as the first administrator's set-up does."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.actor = Actor.system("test-factory")
        self.keyring = Keyring.from_settings(settings.data_keys, settings.blind_index_key)
        self._n = 0

    def _system(self, db: Session) -> Ctx:
        return Ctx(session=db, actor=self.actor, keyring=self.keyring)

    def agency(self, kind: AgencyKind = AgencyKind.POLICE, name: str | None = None) -> Agency:
        self._n += 1
        with _committing(self.settings) as db:
            return service.create_agency(self._system(db), data=AgencyCreate(
                name=name or f"Test Agency {self._n}", kind=kind, country="PK"))

    def user(self, role: Role = Role.INVESTIGATOR, agency: Agency | None = None,
             username: str | None = None, password: str = PASSWORD) -> User:
        agency = agency or self.agency()
        self._n += 1
        with _committing(self.settings) as db:
            return service.create_user(self._system(db), data=UserCreate(
                username=username or f"{role.value.replace('_', '')}{self._n}",
                display_name=f"Fictional Tester {self._n}", agency_id=agency.id, role=role,
                password=password))


class _committing:
    def __init__(self, settings: Settings) -> None:
        self.db = open_session(settings)

    def __enter__(self) -> Session:
        return self.db

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.db.commit()
        else:
            self.db.rollback()
        self.db.close()


@pytest.fixture
def factory(settings: Settings) -> Factory:
    return Factory(settings)


@pytest.fixture
def app(settings: Settings) -> Any:
    return create_app(settings)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    """Sign in through the real login form."""
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_from(page.text), "next": "/"})


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: install Debian's chromium (make test does)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
