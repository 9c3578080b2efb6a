"""Evidence and case texts encrypted at rest, on both engines: raw files and raw columns hold no
clear text, a wrong key and any damage are refused (and audited), rotation moves files to the
new key, files stored in clear before encryption stay readable and are converted, and the
migration encrypts rows that were in clear."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.cases.conftest import CtxFor
from tests.conftest import Factory
from tipor import migrate
from tipor.accounts.models import AgencyKind, Role, User
from tipor.audit.models import AuditEntry
from tipor.audit.service import Actor
from tipor.cases import parties, timeline
from tipor.cases.access import CaseView, view_case
from tipor.cases.enums import EventKind, PartyRole
from tipor.cases.schemas import CaseCreate, EventCreate, PartyCreate
from tipor.cases.service import create_case
from tipor.context import Ctx
from tipor.db import get_engine, open_session, unit_of_work
from tipor.evidence import service as evidence
from tipor.evidence.models import Evidence
from tipor.evidence.rotation import file_status
from tipor.evidence.store import CLEAR, FileStore
from tipor.exceptions import IntegrityError
from tipor.keys.rotation import rotate
from tipor.referrals import support
from tipor.referrals.schemas import SupportItemCreate
from tipor.security import filecrypt
from tipor.security.crypto import Keyring, new_data_key
from tipor.security.permissions import Section
from tipor.settings import Settings

# ~200 KB: four 64 KiB segments, so damage to a middle segment is exercised
PLAIN = b"Fictional operation note: left nephrectomy of donor Fictional Asha Veyl.\n" * 2800
NAME = "Fictional-Asha-Veyl-operation-note.txt"
SECRET_TEXTS = ("Fictional Asha Veyl", "nephrectomy")


@pytest.fixture
def ctx(ctx_for: CtxFor, factory: Factory) -> Ctx:
    police = factory.agency(AgencyKind.POLICE, "Fictional Police")
    return ctx_for(factory.user(Role.INVESTIGATOR, agency=police))


@pytest.fixture
def view(ctx: Ctx) -> CaseView:
    case = create_case(ctx, CaseCreate(title="Fictional case: encrypted evidence", jurisdictions=["pk"]))
    ctx.session.commit()
    return view_case(ctx, case.id)


@pytest.fixture
def store(settings: Settings) -> FileStore:
    return FileStore(settings.evidence_dir)


def _upload(ctx: Ctx, view: CaseView, store: FileStore, data: bytes = PLAIN) -> Evidence:
    item = evidence.add_evidence(ctx, view, store, stream=io.BytesIO(data), filename=NAME,
                                 content_type="text/plain", description="Fictional Asha Veyl's note",
                                 holder="Fictional clinic")
    ctx.session.commit()
    return item


def _file(settings: Settings, store: FileStore, evidence_id: int) -> Path:
    db = open_session(settings)
    blob = db.execute(text("SELECT blob FROM evidence WHERE id = :i"), {"i": evidence_id}).scalar_one()
    db.close()
    assert blob is not None
    return store.path(blob)


def _other(settings: Settings, spec: str) -> Keyring:
    return Keyring.from_settings(spec, settings.blind_index_key)


def test_file_on_disk_holds_no_plaintext_and_needs_the_key(
        ctx: Ctx, view: CaseView, store: FileStore, settings: Settings) -> None:
    item = _upload(ctx, view, store)
    raw = _file(settings, store, item.id).read_bytes()
    assert filecrypt.is_sealed(raw)
    for secret in SECRET_TEXTS:
        assert secret.encode() not in raw
    sha = hashlib.sha256(PLAIN).hexdigest()
    assert item.sha256 == sha
    names = [p.name for p in settings.evidence_dir.rglob("*")]
    assert not any(sha in name for name in names)  # the plaintext hash is not the file name
    assert store.read_verified(ctx.keyring, item.blob or "", sha) == PLAIN
    with pytest.raises(IntegrityError, match="integrity check"):
        store.read_verified(_other(settings, f"k1:{new_data_key()}"), item.blob or "", sha)
    with pytest.raises(IntegrityError, match="no data key with id 'k1'"):
        store.read_verified(_other(settings, f"k9:{new_data_key()}"), item.blob or "", sha)


def test_same_file_twice_is_stored_twice_under_unrelated_names(
        ctx: Ctx, view: CaseView, store: FileStore, settings: Settings) -> None:
    first, second = _upload(ctx, view, store), _upload(ctx, view, store)
    assert first.sha256 == second.sha256 and first.blob != second.blob
    one, two = (_file(settings, store, i.id).read_bytes() for i in (first, second))
    assert one[100:200] != two[100:200]  # nothing on disk shows the two hold the same content


def _cut_last_segment(raw: bytes) -> bytes:
    return raw[:-(len(raw) - len(filecrypt.read_header(io.BytesIO(raw)).raw)) % (filecrypt.SEGMENT + 16)]


DAMAGE = {
    "bit flipped in segment 1": lambda raw: raw[:70_000] + bytes([raw[70_000] ^ 1]) + raw[70_001:],
    "truncated inside the last segment": lambda raw: raw[:-10],
    "last segment cut off": _cut_last_segment,
    "header key id changed": lambda raw: raw.replace(b"\x02k1", b"\x02k0", 1),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_file_is_refused_and_audited(ctx: Ctx, view: CaseView, store: FileStore,
                                             settings: Settings, damage: str) -> None:
    item = _upload(ctx, view, store)
    path = _file(settings, store, item.id)
    raw = path.read_bytes()
    path.write_bytes(DAMAGE[damage](raw))
    assert path.read_bytes() != raw
    with pytest.raises(IntegrityError), unit_of_work(ctx.session):
        evidence.read_evidence(ctx, view, store, item.id)
    outcomes = ctx.session.execute(select(AuditEntry.outcome).where(
        AuditEntry.action == "evidence.read")).scalars().all()
    assert outcomes == ["integrity_failure"]


def test_encrypted_columns_hold_no_clear_text(ctx: Ctx, view: CaseView, store: FileStore,
                                              settings: Settings) -> None:
    person = parties.add_party(ctx, view, PartyCreate(roles=[PartyRole.VICTIM], name="Fictional Asha Veyl"))
    timeline.add_event(ctx, view, EventCreate(kind=EventKind.SURGERY, date_from=dt.date(2024, 3, 1),
                                              description="nephrectomy of Fictional Asha Veyl at night"))
    support.add_support_item(ctx, view, SupportItemCreate(
        party_id=person.id, kind="medical_check", title="nephrectomy wound check for Fictional Asha Veyl",
        due=dt.date(2030, 1, 1), section=Section.MEDICAL))
    item = _upload(ctx, view, store)
    db = open_session(settings)
    raw = [db.execute(text(sql)).scalar_one() for sql in (
        "SELECT description_enc FROM events", "SELECT title_enc FROM support_items",
        "SELECT filename_enc FROM evidence", "SELECT description_enc FROM evidence")]
    db.close()
    for value in raw:
        assert value.startswith("v1:k1:") and not any(s in value for s in SECRET_TEXTS), value
    assert not any("Veyl" in v for v in raw)  # the file name "Fictional-Asha-Veyl-…" too
    assert [e.description for e in timeline.list_events(ctx, view)] == [
        "nephrectomy of Fictional Asha Veyl at night"]
    assert [i.title for i in support.list_support_items(ctx, view)] == [
        "nephrectomy wound check for Fictional Asha Veyl"]
    assert evidence.get_evidence(ctx, view, item.id).filename == NAME


def test_rotation_moves_files_to_the_new_key_and_they_still_verify(
        ctx: Ctx, view: CaseView, store: FileStore, settings: Settings) -> None:
    items = [_upload(ctx, view, store), _upload(ctx, view, store, b"Fictional second file")]
    new = _other(settings, f"k2:{new_data_key()},{settings.data_keys}")
    db = open_session(settings)
    assert file_status(db, store) == {"k1": 2}
    report = rotate(db, new, actor=Actor.system("test"), store=store)
    assert report.files is not None and report.files.rewritten == 2 and report.failures == []
    assert file_status(db, store) == {"k2": 2}
    again = rotate(db, new, actor=Actor.system("test"), store=store).files
    assert again is not None and again.rewritten == 0 and again.seen == 2  # idempotent
    db.close()
    for item, data in zip(items, [PLAIN, b"Fictional second file"], strict=True):
        assert store.read_verified(new, item.blob or "", item.sha256) == data
        with pytest.raises(IntegrityError):
            store.read_verified(ctx.keyring, item.blob or "", item.sha256)  # k1 alone: no longer


def _make_legacy(settings: Settings, store: FileStore, item: Evidence, data: bytes) -> Path:
    """Turn a record into one written before encryption: a clear file under its hash."""
    store.remove(item.blob or "")
    legacy = store.path(item.sha256)
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(data)
    db = open_session(settings)
    db.execute(text("UPDATE evidence SET blob = NULL WHERE id = :i"), {"i": item.id})
    db.commit()
    db.close()
    return legacy


def test_clear_file_from_before_is_readable_then_converted_by_rotate(
        ctx: Ctx, view: CaseView, store: FileStore, settings: Settings) -> None:
    item = _upload(ctx, view, store)
    legacy = _make_legacy(settings, store, item, PLAIN)
    ctx.session.expire_all()
    assert evidence.read_evidence(ctx, view, store, item.id)[1] == PLAIN
    ctx.session.commit()
    db = open_session(settings)
    assert file_status(db, store) == {CLEAR: 1}
    report = rotate(db, ctx.keyring, actor=Actor.system("test"), store=store)
    assert report.files is not None and (report.files.converted, report.files.clear_removed) == (1, 1)
    assert file_status(db, store) == {"k1": 1}
    db.close()
    assert not legacy.exists()
    converted = _file(settings, store, item.id)
    assert not any(s.encode() in converted.read_bytes() for s in SECRET_TEXTS)
    ctx.session.expire_all()
    assert evidence.read_evidence(ctx, view, store, item.id)[1] == PLAIN


def test_altered_clear_file_from_before_is_refused(ctx: Ctx, view: CaseView, store: FileStore,
                                                   settings: Settings) -> None:
    item = _upload(ctx, view, store)
    _make_legacy(settings, store, item, PLAIN + b"altered")
    ctx.session.expire_all()
    with pytest.raises(IntegrityError, match="no longer matches"), unit_of_work(ctx.session):
        evidence.read_evidence(ctx, view, store, item.id)
    db = open_session(settings)
    report = rotate(db, ctx.keyring, actor=Actor.system("test"), store=store)
    db.close()
    assert report.files is not None and report.files.converted == 0 and len(report.failures) == 1
    assert store.path(item.sha256).read_bytes() == PLAIN + b"altered"  # left as it was


def _migrate(settings: Settings, keyring: Keyring, revision: str, *, down: bool) -> None:
    from alembic import command

    cfg = migrate.alembic_config(settings.db_url)
    with get_engine(settings.db_url).begin() as conn:
        cfg.attributes["connection"] = conn
        cfg.attributes["keyring"] = keyring
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_migration_encrypts_rows_written_in_clear(ctx: Ctx, view: CaseView, store: FileStore,
                                                  settings: Settings) -> None:
    person = parties.add_party(ctx, view, PartyCreate(roles=[PartyRole.VICTIM], name="Fictional Asha Veyl"))
    timeline.add_event(ctx, view, EventCreate(kind=EventKind.SURGERY, description="Fictional surgery"))
    support.add_support_item(ctx, view, SupportItemCreate(
        party_id=person.id, kind="shelter", title="Fictional shelter place", due=dt.date(2030, 1, 1)))
    ctx.session.commit()
    ctx.session.close()
    _migrate(settings, ctx.keyring, "0005c", down=True)  # decrypts back into the old columns
    sha = hashlib.sha256(PLAIN).hexdigest()
    db = open_session(settings)
    assert db.execute(text("SELECT description FROM events")).scalar_one() == "Fictional surgery"
    db.execute(text(
        "INSERT INTO evidence (case_id, sha256, filename, content_type, size, description, "
        "created_at, updated_at, version) VALUES (:c, :s, :f, 'text/plain', :n, 'Fictional old', "
        ":t, :t, 1)"),
        {"c": view.case.id, "s": sha, "f": NAME, "n": len(PLAIN), "t": dt.datetime.now(dt.UTC)})
    db.execute(text(
        "INSERT INTO custody_entries (evidence_id, from_holder, to_holder, at, place, note) "
        "SELECT id, 'Fictional clinic', 'Fictional officer', created_at, '', '' FROM evidence"))
    db.commit()
    db.close()
    store.path(sha).parent.mkdir(parents=True, exist_ok=True)
    store.path(sha).write_bytes(PLAIN)
    _migrate(settings, ctx.keyring, "head", down=False)
    db = open_session(settings)
    raw = [db.execute(text(sql)).scalar_one() for sql in (
        "SELECT description_enc FROM events", "SELECT title_enc FROM support_items",
        "SELECT filename_enc FROM evidence", "SELECT description_enc FROM evidence")]
    assert all(v.startswith("v1:k1:") and "Fictional" not in v for v in raw), raw
    assert db.execute(text("SELECT count(*) FROM custody_entries")).scalar_one() == 1  # kept
    db.close()
    db = open_session(settings)
    ctx2 = Ctx(session=db, actor=ctx.actor, keyring=ctx.keyring,
               user=db.get(User, ctx.require_user().id))
    v2 = view_case(ctx2, view.case.id)
    assert [e.description for e in timeline.list_events(ctx2, v2)] == ["Fictional surgery"]
    assert [i.title for i in support.list_support_items(ctx2, v2)] == ["Fictional shelter place"]
    (old,) = evidence.list_evidence(ctx2, v2)
    assert (old.filename, old.description, old.blob) == (NAME, "Fictional old", None)
    assert evidence.read_evidence(ctx2, v2, store, old.id)[1] == PLAIN  # the clear file, verified
    ctx2.session.rollback()
    ctx2.session.close()
