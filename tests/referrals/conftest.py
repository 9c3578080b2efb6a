"""Referral fixtures: an NGO case with a presumed victim, a health authority with a clinician."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from tests.cases.conftest import CtxFor, case_id, ctx_for, ngo, ngo_investigator, ngo_worker  # noqa: F401
from tests.conftest import Factory
from tipor.accounts.models import Agency, AgencyKind, Role, User
from tipor.cases.access import view_case
from tipor.cases.enums import PartyRole
from tipor.cases.parties import add_party
from tipor.cases.schemas import PartyCreate
from tipor.context import Ctx
from tipor.referrals import consent, service
from tipor.referrals.models import ConsentPurpose, Referral, Service
from tipor.referrals.schemas import ConsentCreate, ReferralCreate
from tipor.security.permissions import Section

TODAY = dt.date.today()
SOON = TODAY + dt.timedelta(days=7)


@pytest.fixture
def health(factory: Factory) -> Agency:
    return factory.agency(AgencyKind.HEALTH_AUTHORITY, "Fictional Health Authority")


@pytest.fixture
def clinician(factory: Factory, health: Agency) -> User:
    return factory.user(Role.CLINICIAN, agency=health)


@dataclass
class World:
    """The people of one scenario; ``ctx(user)`` opens a fresh unit of work for a user."""

    ctx_for: CtxFor
    case_id: int
    victim_id: int
    worker: User
    investigator: User
    clinician: User
    health: Agency

    opened: list[Ctx] = field(default_factory=list)

    def ctx(self, user: User) -> Ctx:
        """A fresh Ctx; earlier ones end first (SQLite: a reading session holds the write lock).

        Ending means commit when clean (objects stay loaded), rollback after a refused write."""
        for old in self.opened:
            try:
                old.session.commit()
            except Exception:
                old.session.rollback()
        self.opened.clear()
        ctx = self.ctx_for(user)
        self.opened.append(ctx)
        return ctx

    def consent(self, purpose: ConsentPurpose, *, agency_id: int | None = None,
                service_: Service | None = None, party_id: int | None = None) -> int:
        ctx = self.ctx(self.worker)
        try:
            c = consent.record_consent(ctx, view_case(ctx, self.case_id), ConsentCreate(
                party_id=party_id or self.victim_id, purpose=purpose, agency_id=agency_id,
                service=service_, method="written", note="Fictional signed form"))
        except Exception:
            ctx.session.rollback()
            raise
        ctx.session.commit()
        return c.id

    def consent_all(self) -> None:
        self.consent(ConsentPurpose.SHARE_WITH_AGENCY, agency_id=self.health.id)
        self.consent(ConsentPurpose.REFER_TO_SERVICE, service_=Service.medical_aftercare)

    def refer(self, user: User | None = None, **overrides: object) -> Referral:
        ctx = self.ctx(user or self.worker)
        data: dict[str, object] = {
            "party_id": self.victim_id, "to_agency_id": self.health.id,
            "service": Service.medical_aftercare, "sections": [Section.MEDICAL],
            "follow_up": SOON, "reason": "Fictional: pain at the scar, no follow-up since surgery"}
        try:
            referral = service.create_referral(ctx, view_case(ctx, self.case_id),
                                               ReferralCreate.model_validate(data | overrides))
        except Exception:
            ctx.session.rollback()
            raise
        ctx.session.commit()
        return referral


@pytest.fixture
def world(ctx_for: CtxFor, case_id: int, ngo_worker: User,  # noqa: F811
          ngo_investigator: User, clinician: User, health: Agency) -> World:  # noqa: F811
    ctx = ctx_for(ngo_worker)
    party = add_party(ctx, view_case(ctx, case_id), PartyCreate(
        roles=[PartyRole.VICTIM], name="Fictional Arjun Tallowmere", age=24))
    ctx.session.commit()
    return World(ctx_for, case_id, party.id, ngo_worker, ngo_investigator, clinician, health)
