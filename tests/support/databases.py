"""Migrated template databases, cloned into a fresh database for each test.

The app opens its own connections (web requests, the live server for browser tests), so a
rollback-wrapped test session could not isolate them; a fresh clone of a migrated template
isolates every kind of test the same way, on both engines.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text

from tipor import migrate
from tipor.db import dispose_engines

_counter = itertools.count(1)


class SqliteTemplates:
    """A migrated SQLite file copied per test."""

    def __init__(self, folder: Path) -> None:
        self.template = folder / "template.sqlite3"
        migrate.upgrade(f"sqlite:///{self.template}")
        dispose_engines()

    def clone(self, folder: Path) -> str:
        target = folder / "tipor.sqlite3"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        dispose_engines()


class PostgresTemplates:
    """A migrated PostgreSQL database used as TEMPLATE for one database per test."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS tipor_template"))
            conn.execute(text("CREATE DATABASE tipor_template"))
        migrate.upgrade(self._url("tipor_template"))
        dispose_engines()

    def _url(self, name: str) -> str:
        return self.server_url.rsplit("/", 1)[0] + "/" + name

    def clone(self, folder: Path) -> str:
        name = f"tipor_test_{next(_counter)}"
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE tipor_template"))
        return self._url(name)

    def drop(self, url: str) -> None:
        dispose_engines()
        name = url.rsplit("/", 1)[1]
        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
