"""Consent per person and purpose: record, list, withdraw; the gate every referral passes.

Consent is identity-sensitive (it says who agreed to what), so recording or withdrawing it
needs write access to the identity section, and listing it read access. Withdrawing a consent
closes every open referral of that person within the consent's scope that no other live
consent still covers, so the receiving agency loses its access at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from tipor.accounts.models import Agency
from tipor.cases.access import CaseView
from tipor.context import Ctx
from tipor.db import utcnow
from tipor.exceptions import Conflict, NotFound, ValidationFailed
from tipor.referrals import lifecycle
from tipor.referrals.common import audit, other_agency, party_in_case
from tipor.referrals.models import Consent, ConsentPurpose, Referral, Service
from tipor.referrals.schemas import ConsentCreate
from tipor.security.permissions import Section


@dataclass(frozen=True)
class Need:
    """A consent a referral needs: a purpose and the agency or service it names."""

    purpose: ConsentPurpose
    agency_id: int | None = None
    service: Service | None = None

    def describe(self, agency_name: str = "") -> str:
        """The need in words, for messages."""
        if self.purpose == ConsentPurpose.SHARE_WITH_AGENCY:
            return f"share_with_agency with {agency_name or f'agency {self.agency_id}'}"
        if self.purpose == ConsentPurpose.REFER_TO_SERVICE and self.service is not None:
            return f"refer_to_service for {self.service.value}"
        return self.purpose.value


def needs_of(to_agency_id: int | None, service: Service) -> list[Need]:
    """The consents a referral to this agency and service rests on."""
    needs = [Need(ConsentPurpose.SHARE_WITH_AGENCY, agency_id=to_agency_id)] if to_agency_id else []
    return needs + [Need(ConsentPurpose.REFER_TO_SERVICE, service=service)]


def live_consent(ctx: Ctx, case_id: int, party_id: int, need: Need) -> Consent | None:
    """The person's live (not withdrawn) consent for this need, if any."""
    stmt = select(Consent).where(
        Consent.case_id == case_id, Consent.party_id == party_id, Consent.purpose == need.purpose,
        Consent.withdrawn_at.is_(None))
    if need.purpose == ConsentPurpose.SHARE_WITH_AGENCY:
        stmt = stmt.where(Consent.agency_id == need.agency_id)
    elif need.purpose == ConsentPurpose.REFER_TO_SERVICE:
        stmt = stmt.where(Consent.service == need.service)
    return ctx.session.execute(stmt.order_by(Consent.id.desc()).limit(1)).scalar_one_or_none()


def record_consent(ctx: Ctx, view: CaseView, data: ConsentCreate) -> Consent:
    """Record a person's consent (identity write); a second live one for the same scope is a 409."""
    view.require(Section.IDENTITY, "write")
    party_in_case(ctx, view, data.party_id)
    if data.agency_id is not None:
        other_agency(ctx, view, data.agency_id, "agency_id")
    need = Need(data.purpose, data.agency_id, data.service)
    existing = live_consent(ctx, view.case.id, data.party_id, need)
    if existing is not None:
        raise Conflict(f"person {data.party_id} already has a live consent #{existing.id} for "
                       f"{need.describe()}; withdraw it first to record a new one",
                       {"consent_id": existing.id})
    consent = Consent(case_id=view.case.id, party_id=data.party_id, purpose=data.purpose,
                      agency_id=data.agency_id, service=data.service, method=data.method,
                      note=data.note, recorded_by_id=ctx.actor.user_id)
    ctx.session.add(consent)
    ctx.session.flush()
    audit(ctx, view, "consent.record", "consent", consent.id, party_id=data.party_id,
          purpose=data.purpose.value, agency_id=data.agency_id,
          service=data.service.value if data.service else None, method=data.method)
    return consent


def list_consents(ctx: Ctx, view: CaseView) -> Sequence[Consent]:
    """Consents of the case, newest first (identity read; empty otherwise)."""
    if not view.can(Section.IDENTITY):
        return []
    return ctx.session.execute(select(Consent).where(Consent.case_id == view.case.id)
                               .order_by(Consent.id.desc())).scalars().all()


def withdraw_consent(ctx: Ctx, view: CaseView, consent_id: int, reason: str = "") -> list[Referral]:
    """Withdraw a consent and close the open referrals that rested on it; returns those closed."""
    view.require(Section.IDENTITY, "write")
    consent = ctx.session.get(Consent, consent_id)
    if consent is None or consent.case_id != view.case.id:
        raise NotFound(f"consent {consent_id} is not part of case {view.case.reference}")
    if consent.withdrawn_at is not None:
        raise ValidationFailed(f"consent_id: consent {consent_id} was already withdrawn on "
                               f"{consent.withdrawn_at:%Y-%m-%d}", [("consent_id", "already withdrawn")])
    consent.withdrawn_at = utcnow()
    ctx.session.flush()
    audit(ctx, view, "consent.withdraw", "consent", consent.id, party_id=consent.party_id,
          purpose=consent.purpose.value, reason=reason.strip())
    closed = [r for r in _resting_on(ctx, consent) if not _still_covered(ctx, r)]
    for referral in closed:
        lifecycle.close_for_withdrawal(ctx, view, referral, consent.id)
    return closed


def _resting_on(ctx: Ctx, consent: Consent) -> Sequence[Referral]:
    if consent.purpose == ConsentPurpose.ANONYMOUS_STATISTICS:
        return []
    stmt = select(Referral).where(Referral.case_id == consent.case_id,
                                  Referral.party_id == consent.party_id,
                                  Referral.status.in_(lifecycle.OPEN))
    if consent.purpose == ConsentPurpose.SHARE_WITH_AGENCY:
        stmt = stmt.where(Referral.to_agency_id == consent.agency_id)
    else:
        stmt = stmt.where(Referral.service == consent.service)
    return ctx.session.execute(stmt.order_by(Referral.id)).scalars().all()


def _still_covered(ctx: Ctx, referral: Referral) -> bool:
    return all(live_consent(ctx, referral.case_id, referral.party_id, need) is not None
               for need in needs_of(referral.to_agency_id, referral.service))


def basis(ctx: Ctx, referral: Referral) -> list[Consent]:
    """The live consents a referral rests on now (empty when it rests on an override)."""
    found = [live_consent(ctx, referral.case_id, referral.party_id, need)
             for need in needs_of(referral.to_agency_id, referral.service)]
    return [c for c in found if c is not None]


def agency_name(ctx: Ctx, agency_id: int | None) -> str:
    """An agency's name for messages and lists ('' for none)."""
    if agency_id is None:
        return ""
    agency = ctx.session.get(Agency, agency_id)
    return agency.name if agency else f"agency {agency_id}"
