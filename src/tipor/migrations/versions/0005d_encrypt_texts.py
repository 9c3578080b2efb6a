"""encrypt event descriptions, support titles, evidence file names and descriptions

The clear columns are replaced by ``*_enc`` columns holding AES-256-GCM ciphertexts (the same
``v1:<key id>:…`` format and purposes the application uses), and every existing row is
encrypted here, inside the migration's transaction, with the application's keyring: the one
handed in by the caller as ``config.attributes["keyring"]``, else the one TIPOR_DATA_KEYS
configures (what ``tipor db upgrade`` uses). The keyring is only built when there are rows.

Evidence records get ``blob``, the file's name in the (now encrypted) store; it stays empty for
files stored in clear under their hash until ``tipor keys rotate`` seals them. Files on disk
are not touched here.

SQLite cannot change a column's nullability without copying the table, and copying
``evidence`` would cascade-delete its chain of custody (foreign keys are on), so the new
columns are added NOT NULL with an empty default (SQLite keeps that default; PostgreSQL drops
it) and the old ones are dropped with SQLite's native DROP COLUMN.

Revision ID: 0005d
Revises: 0004
Create Date: 2026-12-02 20:45:00
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision = '0005d'
down_revision = '0005c'
branch_labels = None
depends_on = None

# (table, clear column, encrypted column, purpose): purposes frozen here as the app uses them.
COLUMNS = (
    ("events", "description", "description_enc", "events.description"),
    ("support_items", "title", "title_enc", "support_items.title"),
    ("evidence", "filename", "filename_enc", "evidence.filename"),
    ("evidence", "description", "description_enc", "evidence.description"),
)
OLD_TYPES = {("events", "description"): sa.Text(), ("support_items", "title"): sa.String(200),
             ("evidence", "filename"): sa.String(255), ("evidence", "description"): sa.Text()}


def _keyring() -> Any:
    given = context.config.attributes.get("keyring")
    if given is not None:
        return given
    from tipor.security.crypto import Keyring
    from tipor.settings import get_settings

    current = get_settings()
    return Keyring.from_settings(current.data_keys, current.blind_index_key)


def _convert(keyring: Any, table: str, source: str, target: str, purpose: str, *,
             encrypt: bool) -> None:
    change: Callable[..., str] = keyring.encrypt if encrypt else keyring.decrypt
    bind = op.get_bind()
    t = sa.table(table, sa.column("id", sa.Integer), sa.column(source, sa.Text),
                 sa.column(target, sa.Text))
    rows = bind.execute(sa.select(t.c.id, t.c[source])).all()
    for row_id, value in rows:
        new = change(value or "", purpose=purpose)
        bind.execute(sa.update(t).where(t.c.id == row_id).values({target: new}))


def _has_rows() -> bool:
    bind = op.get_bind()
    return any(bind.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first()
               for table in {c[0] for c in COLUMNS})


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, _old, new, _purpose in COLUMNS:
        op.add_column(table, sa.Column(new, sa.Text(), nullable=False, server_default=""))
    op.add_column("evidence", sa.Column("blob", sa.String(length=40), nullable=True))
    if _has_rows():
        keyring = _keyring()
        for table, old, new, purpose in COLUMNS:
            _convert(keyring, table, old, new, purpose, encrypt=True)
    for table, old, new, _purpose in COLUMNS:
        if not sqlite:
            op.alter_column(table, new, server_default=None)
        op.drop_column(table, old)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM evidence WHERE blob IS NOT NULL LIMIT 1")).first():
        raise RuntimeError(
            "cannot downgrade below 0005d: evidence files are stored encrypted and the older "
            "code reads only clear files. Export the cases (tipor cases export) instead.")
    sqlite = bind.dialect.name == "sqlite"
    for table, old, _new, _purpose in COLUMNS:
        op.add_column(table, sa.Column(old, OLD_TYPES[(table, old)], nullable=False,
                                       server_default=""))
    if _has_rows():
        keyring = _keyring()
        for table, old, new, purpose in COLUMNS:
            _convert(keyring, table, new, old, purpose, encrypt=False)
    for table, old, new, _purpose in COLUMNS:
        if not sqlite:
            op.alter_column(table, old, server_default=None)
        op.drop_column(table, new)
    op.drop_column("evidence", "blob")
