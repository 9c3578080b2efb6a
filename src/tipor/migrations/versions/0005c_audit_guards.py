"""audit log guards that cannot be sidestepped

- SQLite: ``INSERT OR REPLACE`` deleted the old entry without firing the DELETE trigger
  (SQLite fires delete triggers for REPLACE only with recursive_triggers on); a BEFORE INSERT
  trigger now refuses any entry whose sequence number or hash already exists.
- The chain head can no longer be deleted, duplicated or moved backwards (a cut tail with a
  rewritten head), and every migrated database has one, so a wiped log with its head gone is
  never "intact".
- PostgreSQL: the guards are ENABLE ALWAYS, so they also fire with
  ``session_replication_role = replica`` (which only a superuser can set anyway).

Revision ID: 0005c
Revises: 0004
Create Date: 2026-12-02 20:50:00
"""

from __future__ import annotations

from alembic import op

revision = '0005c'
down_revision = '0005a'
branch_labels = None
depends_on = None

GENESIS = "0" * 64

_SQLITE = [
    "CREATE TRIGGER audit_entries_no_overwrite BEFORE INSERT ON audit_entries "
    "WHEN EXISTS (SELECT 1 FROM audit_entries WHERE seq = NEW.seq OR hash = NEW.hash) "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: that entry exists'); END",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
    "BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END",
    "CREATE TRIGGER audit_head_no_rewind BEFORE UPDATE ON audit_head "
    "WHEN NEW.seq <= OLD.seq OR NEW.id <> OLD.id "
    "BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END",
    "CREATE TRIGGER audit_head_single BEFORE INSERT ON audit_head "
    "WHEN EXISTS (SELECT 1 FROM audit_head) "
    "BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END",
]
_SQLITE_NAMES = ["audit_entries_no_overwrite", "audit_head_no_delete", "audit_head_no_rewind",
                 "audit_head_single"]

_PG = [
    "CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'UPDATE' AND NEW.seq > OLD.seq AND NEW.id = OLD.id THEN RETURN NEW; END IF; "
    "IF TG_OP = 'INSERT' AND NOT EXISTS (SELECT 1 FROM audit_head) THEN RETURN NEW; END IF; "
    "RAISE EXCEPTION 'audit_head only moves forward'; END $$",
    "CREATE TRIGGER audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_head "
    "FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()",
    "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only()",
]
#: (table, trigger) pairs that must fire even under session_replication_role = replica.
_PG_ALWAYS = [("audit_entries", "audit_entries_no_change"),
              ("audit_entries", "audit_entries_no_truncate"),
              ("audit_head", "audit_head_guard"), ("audit_head", "audit_head_no_truncate")]


def upgrade() -> None:
    # Before the guards: a database migrated earlier may not have its head row yet.
    op.execute(f"INSERT INTO audit_head (id, seq, hash) SELECT 1, 0, '{GENESIS}' "
               "WHERE NOT EXISTS (SELECT 1 FROM audit_head)")
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG:
            op.execute(statement)
        for table, trigger in _PG_ALWAYS:
            op.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {trigger}")
    else:
        for statement in _SQLITE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, trigger in _PG_ALWAYS[:2]:
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        op.execute("DROP TRIGGER IF EXISTS audit_head_guard ON audit_head")
        op.execute("DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head")
        op.execute("DROP FUNCTION IF EXISTS audit_head_forward_only()")
    else:
        for name in _SQLITE_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
