"""Apply Alembic migrations programmatically (used by the CLI, the demo and the tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from tipor.db import get_engine


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at tipor's packaged migrations and ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", "tipor:migrations")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision``."""
    cfg = alembic_config(url)
    with get_engine(url).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current(url: str) -> str | None:
    """The revision the database is at, or None if never migrated."""
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
