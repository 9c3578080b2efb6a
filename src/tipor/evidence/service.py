"""Evidence upload, verified download and chain of custody."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from sqlalchemy import select

from tipor.audit.service import record
from tipor.cases.access import CaseView
from tipor.context import Ctx
from tipor.evidence.models import CustodyEntry, Evidence
from tipor.evidence.store import FileStore
from tipor.exceptions import IntegrityError, NotFound, TiporError, ValidationFailed
from tipor.security.crypto import Keyring
from tipor.security.permissions import Section
from tipor.security.sealed import reveal

MAX_BYTES = 200 * 1024 * 1024


FILENAME = "evidence.filename"
DESCRIPTION = "evidence.description"


def add_evidence(ctx: Ctx, view: CaseView, store: FileStore, *, stream: BinaryIO,
                 filename: str, content_type: str, description: str, holder: str) -> Evidence:
    """Store a file (sealed) and its record together: if the record fails, the file is removed."""
    view.require(Section.EVIDENCE, "write")
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    if not name:
        raise ValidationFailed("file: choose a file to upload", [("file", "missing")])
    try:
        stored = store.put(stream, MAX_BYTES, ctx.keyring)
    except ValueError as exc:
        raise ValidationFailed(f"file: {exc}", [("file", str(exc))]) from None
    try:
        item = Evidence(case_id=view.case.id, sha256=stored.sha256, blob=stored.name,
                        size=stored.size, content_type=content_type or "application/octet-stream",
                        uploaded_by_id=ctx.actor.user_id,
                        **seal_texts(ctx.keyring, filename=name, description=description))
        ctx.session.add(item)
        ctx.session.flush()
        ctx.session.add(CustodyEntry(evidence_id=item.id, from_holder=holder or "source",
                                     to_holder=ctx.actor.username, note="uploaded",
                                     recorded_by_id=ctx.actor.user_id))
        record(ctx.session, actor=ctx.actor, action="evidence.create", object_type="evidence",
               object_id=item.id, detail={"case_id": view.case.id, "sha256": stored.sha256,
                                          "size": stored.size})
        ctx.session.flush()
    except BaseException:
        store.remove(stored.name)  # every upload has its own file, so no other record needs it
        raise
    return reveal_texts(ctx.keyring, item)


def seal_texts(keyring: Keyring, *, filename: str, description: str) -> dict[str, str]:
    """The encrypted column values for an evidence record's file name and description."""
    return {"filename_enc": keyring.encrypt(filename, purpose=FILENAME),
            "description_enc": keyring.encrypt(description, purpose=DESCRIPTION)}


def reveal_texts(keyring: Keyring, item: Evidence) -> Evidence:
    """Decrypt the record's file name and description into ``filename`` and ``description``."""
    reveal(item, "filename", keyring.decrypt(item.filename_enc, purpose=FILENAME))
    reveal(item, "description", keyring.decrypt(item.description_enc, purpose=DESCRIPTION))
    return item


def stored_name(item: Evidence) -> str:
    """The file's name in the store: its hash for a file stored in clear before encryption,
    "" (NO_FILE) for a record imported without its file."""
    return item.sha256 if item.blob is None else item.blob


def get_evidence(ctx: Ctx, view: CaseView, evidence_id: int) -> Evidence:
    """An evidence record of this case (texts decrypted), or NotFound."""
    view.require(Section.EVIDENCE)
    item = ctx.session.get(Evidence, evidence_id)
    if item is None or item.case_id != view.case.id:
        raise NotFound(f"evidence {evidence_id} is not part of this case")
    return reveal_texts(ctx.keyring, item)


def read_evidence(ctx: Ctx, view: CaseView, store: FileStore, evidence_id: int) -> tuple[Evidence, bytes]:
    """The file after its hash is verified; a mismatch raises IntegrityError and is audited."""
    item = get_evidence(ctx, view, evidence_id)
    try:
        data = store.read_verified(ctx.keyring, stored_name(item), item.sha256)
    except (TiporError, OSError) as exc:
        actor, item_id = ctx.actor, item.id
        failure = exc if isinstance(exc, TiporError) else IntegrityError(
            f"the file of evidence {item_id} cannot be read from the store ({exc.strerror})")
        raise failure.keeping(lambda s: record(s, actor=actor, action="evidence.read",
                                           object_type="evidence", object_id=item_id,
                                           outcome="integrity_failure")) from (
            None if failure is exc else exc)
    record(ctx.session, actor=ctx.actor, action="evidence.read", object_type="evidence",
           object_id=item.id)
    return item, data


def list_evidence(ctx: Ctx, view: CaseView) -> Sequence[Evidence]:
    """Evidence of the case (evidence section), texts decrypted."""
    if not view.can(Section.EVIDENCE):
        return []
    rows = ctx.session.execute(select(Evidence).where(Evidence.case_id == view.case.id)
                               .order_by(Evidence.id)).scalars().all()
    return [reveal_texts(ctx.keyring, item) for item in rows]


def add_custody(ctx: Ctx, view: CaseView, evidence_id: int, *, from_holder: str, to_holder: str,
                place: str, note: str) -> CustodyEntry:
    """Record a hand-over of an evidence item."""
    view.require(Section.EVIDENCE, "write")
    get_evidence(ctx, view, evidence_id)
    if not from_holder.strip() or not to_holder.strip():
        raise ValidationFailed("from_holder, to_holder: say who handed the item to whom",
                               [("to_holder", "required")])
    entry = CustodyEntry(evidence_id=evidence_id, from_holder=from_holder.strip(),
                         to_holder=to_holder.strip(), place=place.strip(), note=note.strip(),
                         recorded_by_id=ctx.actor.user_id)
    ctx.session.add(entry)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="evidence.custody", object_type="evidence",
           object_id=evidence_id, detail={"to": entry.to_holder})
    return entry


def custody_of(ctx: Ctx, evidence_id: int) -> Sequence[CustodyEntry]:
    """The chain of custody of one item, oldest first."""
    return ctx.session.execute(select(CustodyEntry).where(CustodyEntry.evidence_id == evidence_id)
                               .order_by(CustodyEntry.at, CustodyEntry.id)).scalars().all()
