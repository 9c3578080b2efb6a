"""Evidence files under key rotation: which key each file uses, and re-sealing with the current one.

Re-sealing decrypts a file (or reads an old clear one), checks its plaintext SHA-256 against the
record and writes a new sealed copy that replaces the old one only once complete: a damaged
file is reported and left as it was. An old clear file gets a fresh random name, its record is
updated, and the clear copy is deleted once no record of this database still uses it. Records
are updated through SQL so their ``version`` and ``updated_at`` stay: the content is the same.
No database lock is held while files are re-sealed. A crash between sealing a clear file and
recording its new name leaves an unused sealed copy; the next run converts the file again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tipor.audit.service import Actor, record
from tipor.evidence.models import Evidence
from tipor.evidence.store import CLEAR, NO_FILE, FileStore
from tipor.exceptions import IntegrityError
from tipor.security.crypto import Keyring

MISSING = "(missing)"
NOT_HELD = "(no file)"  # imported without its file: nothing to rotate, nothing lost


@dataclass
class FileReport:
    """What rotation did to the evidence files."""

    seen: int = 0
    rewritten: int = 0
    converted: int = 0
    clear_removed: int = 0
    key_ids: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def count_files(session: Session) -> int:
    """How many evidence records (each with one file) exist."""
    return int(session.execute(select(func.count()).select_from(Evidence)).scalar_one())


def file_status(session: Session, store: FileStore, *, batch: int = 1000) -> Counter[str]:
    """How many evidence files use each key id (CLEAR: not yet encrypted; MISSING: absent)."""
    counts: Counter[str] = Counter()
    rows = select(Evidence.blob, Evidence.sha256).execution_options(yield_per=batch)
    for blob, sha in session.execute(rows):
        counts[NOT_HELD if blob == NO_FILE else store.key_id(sha if blob is None else blob)
               or MISSING] += 1
    return counts


def rotate_files(session: Session, keyring: Keyring, store: FileStore, *, actor: Actor,
                 batch: int = 100, on_progress: Callable[[str, int], None] | None = None
                 ) -> FileReport:
    """Re-seal every file not under ``keyring.current_id``; commits after each batch."""
    rep, last = FileReport(), 0
    while True:
        rows = session.execute(select(Evidence.id, Evidence.blob, Evidence.sha256)
                               .where(Evidence.id > last).order_by(Evidence.id)
                               .limit(batch)).all()
        session.commit()  # no lock held while files are re-sealed (SQLite: the write lock)
        if not rows:
            break
        before = rep.rewritten
        names = {row_id: _rotate_one(keyring, store, rep, row_id, blob, sha, on_progress)
                 for row_id, blob, sha in rows}
        for row_id, name in names.items():
            if name is not None:  # a clear file converted: the record learns its new name
                session.execute(update(Evidence).where(Evidence.id == row_id)
                                .values(blob=name, updated_at=Evidence.updated_at))
        last = rows[-1][0]
        if rep.rewritten > before:
            record(session, actor=actor, action="keys.rotate", object_type="evidence",
                   detail={"files": rep.rewritten - before, "to_key": keyring.current_id})
        session.commit()
    rep.clear_removed = remove_converted_clear_files(session, store)
    session.commit()
    return rep


def _rotate_one(keyring: Keyring, store: FileStore, rep: FileReport, row_id: int,
                blob: str | None, sha: str,
                on_progress: Callable[[str, int], None] | None) -> str | None:
    """Re-seal one file if needed; returns the new name of a converted clear file."""
    name = sha if blob is None else blob
    kid = NOT_HELD if blob == NO_FILE else store.key_id(name) or MISSING
    rep.seen += 1
    rep.key_ids[kid] += 1
    if on_progress is not None:
        on_progress("evidence files", 1)
    if kid in (keyring.current_id, NOT_HELD):
        return None
    if kid == MISSING:
        rep.failures.append(f"evidence {row_id}: its file {name[:12]}… is missing from the store")
        return None
    try:
        target = store.reseal(keyring, name, sha, None if blob else store.new_name())
    except IntegrityError as exc:
        rep.failures.append(f"evidence {row_id}: {exc.message}")
        return None
    rep.rewritten += 1
    if blob is None:
        rep.converted += 1
        return target
    return None


def remove_converted_clear_files(session: Session, store: FileStore) -> int:
    """Delete old clear files whose content every record of this database now holds sealed."""
    legacy = select(Evidence.sha256).where(Evidence.blob.is_(None))
    converted = session.execute(select(Evidence.sha256).distinct().where(
        Evidence.blob.is_not(None), Evidence.sha256.not_in(legacy))).scalars().all()
    removed = 0
    for sha in converted:
        if store.key_id(sha) == CLEAR:  # only a clear file under the hash name, never a sealed one
            store.remove(sha)
            removed += 1
    return removed
