"""Key rotation: no value left under the old key, all decrypt, blind-index search still works."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.exchange.conftest import Built
from tipor.accounts.auth import TOTP_PURPOSE, actor_for
from tipor.accounts.models import User
from tipor.audit.service import Actor
from tipor.cases.enums import IdentifierKind
from tipor.cases.models import Party
from tipor.cases.service import CaseQuery, list_cases
from tipor.context import Ctx
from tipor.db import open_session
from tipor.exceptions import IntegrityError
from tipor.exchange.bundle import export_case
from tipor.keys.rotation import key_status, rotate
from tipor.security.crypto import Keyring, new_data_key
from tipor.settings import Settings


def _rotated_keyring(settings: Settings) -> Keyring:
    return Keyring.from_settings(f"k2:{new_data_key()},{settings.data_keys}", settings.blind_index_key)


def test_rotation_rewrites_everything_and_search_still_finds(
        investigator_ctx: Ctx, built: Built, settings: Settings, keyring: Keyring) -> None:
    user = investigator_ctx.require_user()
    user.totp_secret_enc = keyring.encrypt("JBSWY3DPEHPK3PXP", purpose=f"{TOTP_PURPOSE}:{user.id}")
    investigator_ctx.session.commit()
    stamps = select(Party.version, Party.updated_at).order_by(Party.id)
    before = investigator_ctx.session.execute(stamps).all()
    investigator_ctx.session.commit()
    new = _rotated_keyring(settings)
    db = open_session(settings)
    report = rotate(db, new, actor=Actor.system("test"), batch=2)
    assert report.current == "k2" and report.failures == []
    assert report.columns["parties.name_enc"].rewritten == 4
    assert report.columns["users.totp_secret_enc"].rewritten == 1
    assert report.columns["support_items.result_enc"].rewritten == 1
    status = key_status(db)
    assert all(set(counts) <= {"k2"} for counts in status.values()), status
    assert status["identifiers.value_enc"]["k2"] == 4
    assert rotate(db, new, actor=Actor.system("test")).rewritten == 0  # idempotent
    db.close()

    db = open_session(settings)
    fresh = db.get(User, user.id)
    assert fresh is not None
    ctx = Ctx(session=db, actor=actor_for(fresh), keyring=new, user=fresh)
    secret = new.decrypt(fresh.totp_secret_enc or "", purpose=f"{TOTP_PURPOSE}:{fresh.id}")
    assert secret == "JBSWY3DPEHPK3PXP"
    bundle = export_case(ctx, built.case_id, include_files=False)
    assert bundle["parties"][0]["name"] == "Fictional Miro Duskfield"
    assert bundle["notes"][0]["body"] == "Fictional note naming Miro"
    rows, total = list_cases(ctx, CaseQuery(identifier_kind=IdentifierKind.PHONE,
                                            identifier="0300 1234567", identifier_country="PK"))
    assert total == 1 and rows[0].id == built.case_id
    assert db.execute(stamps).all() == before
    token = db.execute(select(Party.name_enc)).scalars().first()
    assert token is not None and token.split(":")[1] == "k2"
    with pytest.raises(IntegrityError):
        keyring.decrypt(token, purpose="parties.name")  # the old keyring alone cannot read it
    db.rollback()
    db.close()
