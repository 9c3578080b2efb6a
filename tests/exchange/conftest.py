"""Exchange fixtures: a case with every kind of record, built through the real services."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from tests.cases.conftest import CtxFor, ctx_for, ngo, ngo_investigator, ngo_worker  # noqa: F401
from tests.conftest import Factory
from tipor.accounts.models import Agency, AgencyKind, Role, User
from tipor.cases import lifecycle, parties, privacy, timeline, work
from tipor.cases.access import view_case
from tipor.cases.enums import CaseStatus, EventKind, IdentifierKind, OrganisationKind, PartyRole
from tipor.cases.schemas import (
    CaseCreate,
    EventCreate,
    IdentifierCreate,
    NoteCreate,
    ObservationSet,
    OrganisationCreate,
    PartyCreate,
    PaymentCreate,
    TaskCreate,
)
from tipor.cases.service import create_case
from tipor.context import Ctx
from tipor.db import open_session, utcnow
from tipor.evidence import service as evidence
from tipor.evidence.store import FileStore
from tipor.exchange import seal
from tipor.referrals import support
from tipor.referrals.models import (
    Consent,
    ConsentPurpose,
    Referral,
    ReferralChange,
    ReferralStatus,
    Service,
    SupportItem,
)
from tipor.settings import Settings

INDICATORS = ["VIC-01", "BRK-02"]
EVIDENCE_BYTES = b"Fictional scanned discharge letter, left nephrectomy\n"
TABLES = ("cases", "case_status_changes", "parties", "organisations", "identifiers", "events",
          "payments", "observations", "tasks", "notes", "evidence", "custody_entries", "consents",
          "referrals", "referral_changes", "support_items")


def indicators() -> list[str]:
    return INDICATORS


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seal, "SCRYPT_N", 2**14)


@pytest.fixture
def police(factory: Factory) -> Agency:
    return factory.agency(AgencyKind.POLICE, "Fictional Police")


@pytest.fixture
def store(settings: Settings) -> FileStore:
    return FileStore(settings.evidence_dir)


@dataclass
class Built:
    case_id: int
    phone: str


def build_case(ctx: Ctx, store: FileStore, police: Agency, *, observations: bool = True) -> Built:
    """A case with every kind of record; commits."""
    case = create_case(ctx, CaseCreate(title="Fictional case: kidney removed in a guesthouse",
                                       summary="Fictional summary.", jurisdictions=["pk", "in"]))
    view = view_case(ctx, case.id)
    victim = parties.add_party(ctx, view, PartyCreate(
        roles=[PartyRole.VICTIM], name="Fictional Miro Duskfield", aliases=["Fictional Miru"],
        birth_date=dt.date(2001, 5, 4), age=23, sex="male", nationalities=["np"],
        languages=["nep", "hin"], vulnerabilities=["debt"]))
    broker = parties.add_party(ctx, view, PartyCreate(roles=[PartyRole.BROKER, PartyRole.RECRUITER],
                                                      name="Fictional Broker Kestral"))
    surgeon = parties.add_party(ctx, view, PartyCreate(roles=[PartyRole.SURGEON], name="Fictional Dr Vey"))
    recipient = parties.add_party(ctx, view, PartyCreate(roles=[PartyRole.RECIPIENT],
                                                         name="Fictional Recipient Oam", sex="female"))
    clinic = parties.add_organisation(ctx, view, OrganisationCreate(
        name="Fictional Lakeside Clinic", kind=OrganisationKind.CLINIC, country="in",
        licensed_for_transplant=False))
    parties.add_identifier(ctx, view, IdentifierCreate(kind=IdentifierKind.PHONE, value="0300-1234567",
                                                       country="pk", party_id=broker.id))
    parties.add_identifier(ctx, view, IdentifierCreate(kind=IdentifierKind.IBAN,
                                                       value="GB82 WEST 1234 5698 7654 32",
                                                       party_id=broker.id))
    parties.add_identifier(ctx, view, IdentifierCreate(kind=IdentifierKind.PASSPORT, value="fx 123-456",
                                                       party_id=victim.id))
    parties.add_identifier(ctx, view, IdentifierCreate(kind=IdentifierKind.ADDRESS,
                                                       value="Fictional Lane 4", organisation_id=clinic.id))
    for kind, day, who, country in (
        (EventKind.RECRUITMENT, dt.date(2024, 1, 10), [victim.id, broker.id], "PK"),
        (EventKind.MEDICAL_WORKUP, dt.date(2024, 2, 20), [victim.id], "IN"),
        (EventKind.SURGERY, dt.date(2024, 3, 1), [victim.id, surgeon.id, recipient.id], "IN"),
        (EventKind.AFTERCARE, None, [victim.id], ""),
    ):
        timeline.add_event(ctx, view, EventCreate(kind=kind, date_from=day, party_ids=who, country=country,
                                                  place="Fictional place", approximate=day is None,
                                                  description=f"Fictional {kind.value} of Miro",
                                                  organisation_id=clinic.id if kind == EventKind.SURGERY
                                                  else None))
    timeline.add_payment(ctx, view, PaymentCreate(amount=Decimal("5000"), currency="usd", status="promised",
                                                  payer_party_id=broker.id, payee_party_id=victim.id,
                                                  date=dt.date(2024, 1, 11)))
    timeline.add_payment(ctx, view, PaymentCreate(amount=Decimal("1234.50"), currency="pkr", status="paid",
                                                  payer_organisation_id=clinic.id, payee_party_id=broker.id))
    if observations:
        work.set_observation(ctx, view, ObservationSet(indicator_id="VIC-01", answer="yes", note="n"),
                             indicators)
    user = ctx.require_user()
    work.add_task(ctx, view, TaskCreate(title="Fictional: find the guesthouse", owner_id=user.id,
                                        due=dt.date(2030, 1, 1)))
    work.add_note(ctx, view, NoteCreate(body="Fictional note naming Miro", section="medical"))
    item = evidence.add_evidence(ctx, view, store, stream=io.BytesIO(EVIDENCE_BYTES),
                                 filename="letter.txt", content_type="text/plain",
                                 description="discharge letter", holder="Fictional NGO desk")
    evidence.add_custody(ctx, view, item.id, from_holder=user.username, to_holder="Fictional lab",
                         place="Kathmandu", note="for analysis")
    lifecycle.transition(ctx, view, to=CaseStatus.SCREENING, reason="fictional indicators seen",
                         version=view.case.version)
    _referral_rows(ctx, case.id, victim.id, user, police)
    ctx.session.commit()
    return Built(case.id, "+923001234567")


def _referral_rows(ctx: Ctx, case_id: int, party_id: int, user: User, police: Agency) -> None:
    """Consents, a referral with history and a support item, inserted with the ORM."""
    s = ctx.session
    s.add(Consent(case_id=case_id, party_id=party_id, purpose=ConsentPurpose.SHARE_WITH_AGENCY,
                  agency_id=police.id, method="written", recorded_by_id=user.id))
    s.add(Consent(case_id=case_id, party_id=party_id, purpose=ConsentPurpose.REFER_TO_SERVICE,
                  service=Service.medical_aftercare, recorded_by_id=user.id,
                  withdrawn_at=utcnow()))
    ref = Referral(case_id=case_id, party_id=party_id, from_agency_id=user.agency_id,
                   to_agency_id=police.id, service=Service.law_enforcement, sections=["identity", "legal"],
                   status=ReferralStatus.ACCEPTED, follow_up=dt.date(2030, 2, 2), reason="fictional",
                   created_by_id=user.id)
    s.add(ref)
    s.flush()
    s.add(ReferralChange(referral_id=ref.id, from_status="proposed", to_status="accepted", note="ok",
                         by_user_id=user.id))
    s.add(SupportItem(case_id=case_id, party_id=party_id, referral_id=ref.id, kind="aftercare_check",
                      title_enc=support.seal_title(ctx.keyring, "Fictional kidney function check"),
                      due=dt.date(2030, 3, 3),
                      result_enc=privacy.seal(ctx.keyring, "creatinine normal", privacy.SUPPORT_RESULT)))
    s.flush()


def counts(settings: Settings) -> dict[str, int]:
    db = open_session(settings)
    try:
        out = {t: int(db.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES}
        out["audit_entries"] = int(db.execute(text("SELECT count(*) FROM audit_entries")).scalar_one())
        return out
    finally:
        db.close()


@pytest.fixture
def built(ctx_for: CtxFor, ngo_investigator: User, police: Agency, store: FileStore) -> Built:  # noqa: F811
    return build_case(ctx_for(ngo_investigator), store, police)


@pytest.fixture
def investigator_ctx(ctx_for: CtxFor, ngo_investigator: User, built: Built) -> Iterator[Ctx]:  # noqa: F811
    yield ctx_for(ngo_investigator)


def strip(bundle: dict[str, Any]) -> dict[str, Any]:
    """A bundle without what legitimately changes on import and re-export."""
    out = dict(bundle)
    out["exported"] = {k: v for k, v in bundle["exported"].items() if k != "at"}
    out["case"] = {k: v for k, v in bundle["case"].items() if k != "reference"}
    return out


__all__ = ["Role", "ctx_for", "ngo", "ngo_investigator", "ngo_worker"]
