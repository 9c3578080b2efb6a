"""Create referrals behind the consent gate, list them, and the dashboard's referral alerts.

A referral goes from the case's owning agency to another agency and/or a service for one
person. It needs that person's live consent to share with the agency and to be referred to the
service; without it, only a role with ``consent.override`` may refer, with a written reason
that is audited as its own action and shown on the case. The sections it grants are never more
than the referring user may read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from tipor.accounts.models import Agency
from tipor.cases.access import CaseView
from tipor.cases.models import Case
from tipor.context import Ctx
from tipor.exceptions import PermissionDenied, ValidationFailed
from tipor.referrals import consent as consents
from tipor.referrals.common import audit, not_past, other_agency, party_in_case
from tipor.referrals.lifecycle import OPEN, TERMINAL
from tipor.referrals.models import Referral, ReferralChange, ReferralStatus
from tipor.referrals.schemas import ReferralChangeRead, ReferralCreate, ReferralRead
from tipor.security.permissions import Permission, Section, can

#: A written reason for a consent override must say something.
MIN_OVERRIDE = 15


def create_referral(ctx: Ctx, view: CaseView, data: ReferralCreate,
                    today: dt.date | None = None) -> Referral:
    """Refer a person; refused without consent unless a permitted role writes an override."""
    user = ctx.require_user()
    if not view.owner or not can(user, Permission.REFERRALS_MANAGE):
        raise PermissionDenied("only staff of the case's owning agency who manage referrals "
                               "can refer a person")
    party_in_case(ctx, view, data.party_id)
    agency = other_agency(ctx, view, data.to_agency_id, "to_agency_id") if data.to_agency_id else None
    _check_grants(view, data.sections)
    not_past(data.follow_up, "follow_up", today or dt.date.today())
    missing = [n for n in consents.needs_of(data.to_agency_id, data.service)
               if consents.live_consent(ctx, view.case.id, data.party_id, n) is None]
    override = _override(ctx, missing, data.consent_override, agency)
    referral = Referral(
        case_id=view.case.id, party_id=data.party_id, from_agency_id=view.case.agency_id,
        to_agency_id=data.to_agency_id, service=data.service, provider=data.provider,
        sections=[s.value for s in data.sections], follow_up=data.follow_up, reason=data.reason,
        consent_override=override, created_by_id=user.id)
    ctx.session.add(referral)
    ctx.session.flush()
    ctx.session.add(ReferralChange(referral_id=referral.id, from_status="",
                                   to_status=ReferralStatus.PROPOSED.value, note=data.reason,
                                   follow_up=data.follow_up, by_user_id=user.id))
    audit(ctx, view, "referral.create", "referral", referral.id, party_id=data.party_id,
          to_agency_id=data.to_agency_id, service=data.service.value,
          sections=referral.sections, follow_up=data.follow_up.isoformat(),
          consent_ids=[c.id for c in consents.basis(ctx, referral)])
    if override:
        audit(ctx, view, "referral.consent_override", "referral", referral.id,
              missing=[n.describe(agency.name if agency else "") for n in missing], reason=override)
    return referral


def _check_grants(view: CaseView, sections: list[Section]) -> None:
    unreadable = [s.value for s in sections if not view.can(s)]
    if unreadable:
        raise ValidationFailed(
            f"sections: you cannot grant {', '.join(unreadable)}: your role does not read "
            "those sections of this case", [("sections", f"cannot grant {s}") for s in unreadable])


def _override(ctx: Ctx, missing: list[consents.Need], reason: str, agency: Agency | None) -> str:
    if not missing:
        return ""  # consent covers the referral; an override would say nothing
    names = "; ".join(n.describe(agency.name if agency else "") for n in missing)
    user = ctx.require_user()
    if not reason.strip():
        raise ValidationFailed(
            f"consent: the person has no live consent for {names}; record the consent first, "
            "or a user whose role may override consent gives a written reason",
            [("consent", f"missing consent: {names}")])
    if not can(user, Permission.CONSENT_OVERRIDE):
        raise PermissionDenied(f"consent_override: your role ({user.role.value}) cannot refer "
                               f"without consent (missing: {names}); record the consent first")
    if len(reason.strip()) < MIN_OVERRIDE:
        raise ValidationFailed(f"consent_override: write why the referral cannot wait for consent "
                               f"(at least {MIN_OVERRIDE} characters)",
                               [("consent_override", "reason too short")])
    return reason.strip()


def list_referrals(ctx: Ctx, view: CaseView, today: dt.date | None = None) -> list[ReferralRead]:
    """Referrals of the case this user may see: all for the owner, those addressed to a receiver."""
    stmt = select(Referral).where(Referral.case_id == view.case.id)
    if not view.owner:
        stmt = stmt.where(Referral.id.in_(view.referral_ids or (-1,)))
    rows = ctx.session.execute(stmt.order_by(Referral.id.desc())).scalars().all()
    return [read_referral(ctx, r, today or dt.date.today()) for r in rows]


def read_referral(ctx: Ctx, r: Referral, today: dt.date) -> ReferralRead:
    """A referral with agency names, overdue flag, consent basis and history."""
    changes = ctx.session.execute(select(ReferralChange).where(
        ReferralChange.referral_id == r.id).order_by(ReferralChange.id)).scalars().all()
    return ReferralRead(
        id=r.id, case_id=r.case_id, party_id=r.party_id, from_agency_id=r.from_agency_id,
        from_agency=consents.agency_name(ctx, r.from_agency_id), to_agency_id=r.to_agency_id,
        to_agency=consents.agency_name(ctx, r.to_agency_id) or None, service=r.service,
        provider=r.provider, sections=list(r.sections), status=r.status, follow_up=r.follow_up,
        overdue=is_overdue(r, today), reason=r.reason, consent_override=r.consent_override,
        consent_ids=[c.id for c in consents.basis(ctx, r)], version=r.version,
        history=[ReferralChangeRead.model_validate(c) for c in changes])


def is_overdue(r: Referral, today: dt.date) -> bool:
    """An open referral whose follow-up date has passed."""
    return r.status not in TERMINAL and r.follow_up is not None and r.follow_up < today


@dataclass(frozen=True)
class ReferralAlert:
    """A referral on the dashboard: sent by or addressed to the user's agency."""

    referral_id: int
    case_id: int
    case_reference: str
    status: ReferralStatus
    service: str
    follow_up: dt.date | None
    days_overdue: int
    direction: str  # "sent" or "received"
    other_agency: str


def _alerts(ctx: Ctx, stmt: Select[Referral, str], today: dt.date) -> list[ReferralAlert]:
    user = ctx.require_user()
    rows = ctx.session.execute(stmt).all()
    out = []
    for r, ref in rows:
        sent = r.from_agency_id == user.agency_id
        other = r.to_agency_id if sent else r.from_agency_id
        days = (today - r.follow_up).days if r.follow_up and r.follow_up < today else 0
        out.append(ReferralAlert(
            r.id, r.case_id, ref, r.status, r.service.value, r.follow_up, days,
            "sent" if sent else "received",
            consents.agency_name(ctx, other) or r.provider or "—"))
    return out


def overdue_referrals(ctx: Ctx, today: dt.date) -> list[ReferralAlert]:
    """Open referrals sent or received by the user's agency whose follow-up is before ``today``."""
    user = ctx.require_user()
    if not can(user, Permission.CASES_READ):
        return []
    stmt = (select(Referral, Case.reference).join(Case, Case.id == Referral.case_id)
            .where(Referral.status.in_(OPEN), Referral.follow_up < today,
                   or_(Referral.from_agency_id == user.agency_id,
                       Referral.to_agency_id == user.agency_id))
            .order_by(Referral.follow_up, Referral.id))
    return _alerts(ctx, stmt, today)


def referrals_to_my_agency(ctx: Ctx, today: dt.date | None = None) -> list[ReferralAlert]:
    """Open referrals addressed to the user's agency, proposed ones first, then by follow-up."""
    user = ctx.require_user()
    if not can(user, Permission.CASES_READ):
        return []
    stmt = (select(Referral, Case.reference).join(Case, Case.id == Referral.case_id)
            .where(Referral.status.in_(OPEN), Referral.to_agency_id == user.agency_id)
            .order_by(Referral.status != ReferralStatus.PROPOSED, Referral.follow_up, Referral.id))
    return _alerts(ctx, stmt, today or dt.date.today())


def agencies_to_refer_to(ctx: Ctx, view: CaseView) -> list[Agency]:
    """Active agencies other than the case's owner, by name (for the referral form)."""
    return list(ctx.session.execute(select(Agency).where(
        Agency.is_active.is_(True), Agency.id != view.case.agency_id)
        .order_by(Agency.name)).scalars().all())
