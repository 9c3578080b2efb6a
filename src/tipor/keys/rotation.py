"""Data-key rotation: re-encrypt every encrypted column, and the evidence files, with the
current (first) key (files: ``evidence/rotation.py``).

Blind indexes are untouched: they use TIPOR_BLIND_INDEX_KEY, which rotation keeps, so exact
search keeps working. Rows are rewritten in batches, each batch committed with its audit entry,
so an interrupted rotation resumes where it stopped; values already under the current key are
skipped, which makes the rotation idempotent. Updates go through SQL directly so the rows'
``version`` and ``updated_at`` stay as they were: the content did not change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from tipor.accounts.auth import TOTP_PURPOSE
from tipor.audit.service import Actor, record
from tipor.cases import privacy, timeline
from tipor.db import Base
from tipor.evidence import service as evidence
from tipor.evidence.rotation import FileReport, rotate_files
from tipor.evidence.store import FileStore
from tipor.exceptions import IntegrityError
from tipor.referrals import support
from tipor.security.crypto import Keyring


@dataclass(frozen=True)
class EncryptedColumn:
    """A column holding ciphertexts, and the purpose each row's value is bound to."""

    table: str
    column: str
    purpose: Callable[[int], str]

    @property
    def name(self) -> str:
        """``table.column``."""
        return f"{self.table}.{self.column}"


def _fixed(purpose: str) -> Callable[[int], str]:
    return lambda _row_id: purpose


def _per_row(prefix: str) -> Callable[[int], str]:
    return lambda row_id: f"{prefix}:{row_id}"


def encrypted_columns() -> list[EncryptedColumn]:
    """Every encrypted column of the schema (tables not present in the metadata are skipped)."""
    import tipor.tables  # noqa: F401  (the full metadata)

    cols = [
        EncryptedColumn("parties", "name_enc", _fixed(privacy.PARTY_NAME)),
        EncryptedColumn("parties", "aliases_enc", _fixed(privacy.PARTY_ALIASES)),
        EncryptedColumn("parties", "birth_date_enc", _fixed(privacy.PARTY_BIRTH)),
        EncryptedColumn("identifiers", "value_enc", _fixed(privacy.IDENTIFIER_VALUE)),
        EncryptedColumn("notes", "body_enc", _fixed(privacy.NOTE_BODY)),
        EncryptedColumn("support_items", "result_enc", _fixed(privacy.SUPPORT_RESULT)),
        EncryptedColumn("support_items", "title_enc", _fixed(support.TITLE)),
        EncryptedColumn("events", "description_enc", _fixed(timeline.DESCRIPTION)),
        EncryptedColumn("evidence", "filename_enc", _fixed(evidence.FILENAME)),
        EncryptedColumn("evidence", "description_enc", _fixed(evidence.DESCRIPTION)),
        EncryptedColumn("users", "totp_secret_enc", _per_row(TOTP_PURPOSE)),
    ]
    try:
        from tipor.screening.tables import INPUT_PURPOSE, RESULT_PURPOSE
    except ImportError:  # screening not installed in this build
        pass
    else:
        cols += [EncryptedColumn("screenings", "input_enc", _per_row(INPUT_PURPOSE)),
                 EncryptedColumn("screenings", "result_enc", _per_row(RESULT_PURPOSE))]
    return [c for c in cols if c.table in Base.metadata.tables]


def _table(col: EncryptedColumn) -> Table:
    return Base.metadata.tables[col.table]


def _key_id(token: str) -> str:
    parts = token.split(":", 2)
    return parts[1] if len(parts) == 3 else "(malformed)"


def key_status(session: Session, *, batch: int = 1000) -> dict[str, Counter[str]]:
    """For each encrypted column, how many values use each key id."""
    out: dict[str, Counter[str]] = {}
    for col in encrypted_columns():
        t = _table(col)
        counts: Counter[str] = Counter()
        stmt = select(t.c[col.column]).where(t.c[col.column].is_not(None), t.c[col.column] != "")
        for (token,) in session.execute(stmt.execution_options(yield_per=batch)):
            counts[_key_id(token)] += 1
        out[col.name] = counts
    return out


def count_values(session: Session) -> int:
    """How many encrypted values exist (the rotation's progress total)."""
    total = 0
    for col in encrypted_columns():
        t = _table(col)
        total += session.execute(select(func.count()).select_from(t).where(
            t.c[col.column].is_not(None), t.c[col.column] != "")).scalar_one()
    return int(total)


@dataclass
class ColumnReport:
    """What rotation did to one column."""

    seen: int = 0
    rewritten: int = 0
    key_ids: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


@dataclass
class RotationReport:
    """Per column, what was found and rewritten; the evidence files when a store was given."""

    current: str
    columns: dict[str, ColumnReport] = field(default_factory=dict)
    files: FileReport | None = None

    @property
    def rewritten(self) -> int:
        """Values re-encrypted in this run."""
        return sum(c.rewritten for c in self.columns.values())

    @property
    def failures(self) -> list[str]:
        """Values and files that could not be decrypted (missing key, damaged, missing file)."""
        files = self.files.failures if self.files is not None else []
        return [f for c in self.columns.values() for f in c.failures] + files


def rotate(session: Session, keyring: Keyring, *, actor: Actor, batch: int = 500,
           on_progress: Callable[[str, int], None] | None = None,
           store: FileStore | None = None) -> RotationReport:
    """Re-encrypt every value (and, given a store, every evidence file) not under
    ``keyring.current_id``; commits after each batch."""
    report = RotationReport(keyring.current_id)
    for col in encrypted_columns():
        report.columns[col.name] = _rotate_column(session, keyring, col, actor, batch, on_progress)
    if store is not None:
        report.files = rotate_files(session, keyring, store, actor=actor,
                                    batch=max(1, min(batch, 100)), on_progress=on_progress)
    return report


def _rotate_column(session: Session, keyring: Keyring, col: EncryptedColumn, actor: Actor,
                   batch: int, on_progress: Callable[[str, int], None] | None) -> ColumnReport:
    t, rep, last = _table(col), ColumnReport(), 0
    value = t.c[col.column]
    while True:
        rows = session.execute(select(t.c.id, value).where(
            t.c.id > last, value.is_not(None), value != "").order_by(t.c.id).limit(batch)).all()
        if not rows:
            return rep
        changed = 0
        for row_id, token in rows:
            rep.seen += 1
            rep.key_ids[_key_id(token)] += 1
            if _key_id(token) == keyring.current_id:
                continue
            try:
                plain = keyring.decrypt(token, purpose=col.purpose(row_id))
            except IntegrityError as exc:
                rep.failures.append(f"{col.name} row {row_id}: {exc.message}")
                continue
            fresh = keyring.encrypt(plain, purpose=col.purpose(row_id))
            keep = {"updated_at": t.c.updated_at} if "updated_at" in t.c else {}
            session.execute(update(t).where(t.c.id == row_id).values({col.column: fresh, **keep}))
            changed += 1
        rep.rewritten += changed
        last = rows[-1][0]
        if changed:
            record(session, actor=actor, action="keys.rotate", object_type=col.table,
                   detail={"column": col.column, "rewritten": changed, "to_key": keyring.current_id})
        session.commit()
        if on_progress is not None:
            on_progress(col.name, len(rows))
