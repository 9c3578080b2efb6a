"""Consents, referrals, support plans and dashboard alerts over JSON (under /api/v1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel

from tipor.cases.access import view_case
from tipor.context import Ctx
from tipor.referrals import consent, lifecycle, service, support
from tipor.referrals.schedule import aftercare_schedule
from tipor.referrals.schemas import (
    AftercarePlanCreate,
    ConsentCreate,
    ConsentRead,
    ConsentWithdraw,
    ReferralCreate,
    ReferralRead,
    ReferralTransition,
    SupportCheck,
    SupportItemCreate,
    SupportItemRead,
)
from tipor.security.permissions import Section
from tipor.web.deps import CtxDep, check_csrf

router = APIRouter(tags=["referrals"], dependencies=[Depends(check_csrf)])


class Withdrawn(BaseModel):
    """A withdrawn consent and the referrals its withdrawal closed."""

    consent: ConsentRead
    closed_referral_ids: list[int]


class Alerts(BaseModel):
    """What the dashboard shows about referrals and support plans."""

    today: dt.date
    overdue_referrals: list[dict[str, Any]]
    overdue_support_items: list[dict[str, Any]]
    referrals_to_my_agency: list[dict[str, Any]]


def _read(ctx: Ctx, referral_id: int, case_id: int) -> ReferralRead:
    view = view_case(ctx, case_id)
    return service.read_referral(ctx, lifecycle.get_referral(ctx, view, referral_id),
                                 dt.date.today())


@router.get("/cases/{case_id}/consents", operation_id="consents-list")
def list_consents(ctx: CtxDep, case_id: int) -> list[ConsentRead]:
    """Consents of the case's people (identity section)."""
    view = view_case(ctx, case_id)
    view.require(Section.IDENTITY)
    return [ConsentRead.model_validate(c) for c in consent.list_consents(ctx, view)]


@router.post("/cases/{case_id}/consents", status_code=status.HTTP_201_CREATED,
             operation_id="consents-create")
def create_consent(ctx: CtxDep, case_id: int, body: ConsentCreate) -> ConsentRead:
    """Record a person's consent for one purpose (identity write)."""
    return ConsentRead.model_validate(consent.record_consent(ctx, view_case(ctx, case_id), body))


@router.post("/cases/{case_id}/consents/{consent_id}/withdraw", operation_id="consents-withdraw")
def withdraw_consent(ctx: CtxDep, case_id: int, consent_id: int,
                     body: ConsentWithdraw | None = None) -> Withdrawn:
    """Withdraw a consent; the open referrals resting on it are closed."""
    view = view_case(ctx, case_id)
    closed = consent.withdraw_consent(ctx, view, consent_id, body.reason if body else "")
    item = next(c for c in consent.list_consents(ctx, view) if c.id == consent_id)
    return Withdrawn(consent=ConsentRead.model_validate(item),
                     closed_referral_ids=[r.id for r in closed])


@router.get("/cases/{case_id}/referrals", operation_id="referrals-list")
def list_referrals(ctx: CtxDep, case_id: int) -> list[ReferralRead]:
    """Referrals of the case you may see, with history, consent basis and overdue flag."""
    return service.list_referrals(ctx, view_case(ctx, case_id))


@router.post("/cases/{case_id}/referrals", status_code=status.HTTP_201_CREATED,
             operation_id="referrals-create")
def create_referral(ctx: CtxDep, case_id: int, body: ReferralCreate) -> ReferralRead:
    """Refer a person (needs consent, or an override reason from a permitted role)."""
    referral = service.create_referral(ctx, view_case(ctx, case_id), body)
    return _read(ctx, referral.id, case_id)


@router.post("/cases/{case_id}/referrals/{referral_id}/transition",
             operation_id="referrals-transition")
def transition(ctx: CtxDep, case_id: int, referral_id: int, body: ReferralTransition) -> ReferralRead:
    """Move a referral (409 on a stale version; follow-up date needed unless it ends)."""
    referral = lifecycle.transition(ctx, view_case(ctx, case_id), referral_id, to=body.to,
                                    note=body.note, follow_up=body.follow_up, version=body.version)
    # read from the row itself: a receiver who just ended the referral no longer sees the case
    return service.read_referral(ctx, referral, dt.date.today())


@router.get("/cases/{case_id}/support", operation_id="support-list")
def list_support(ctx: CtxDep, case_id: int) -> list[SupportItemRead]:
    """Support items in sections you may read (results decrypted, display audited)."""
    return support.list_support_items(ctx, view_case(ctx, case_id))


def _items(ctx: Ctx, case_id: int, ids: set[int]) -> list[SupportItemRead]:
    return [i for i in support.list_support_items(ctx, view_case(ctx, case_id)) if i.id in ids]


@router.post("/cases/{case_id}/support", status_code=status.HTTP_201_CREATED,
             operation_id="support-create")
def create_support(ctx: CtxDep, case_id: int, body: SupportItemCreate) -> SupportItemRead:
    """Add one support step for a person."""
    item = support.add_support_item(ctx, view_case(ctx, case_id), body)
    return _items(ctx, case_id, {item.id})[0]


@router.post("/cases/{case_id}/support/aftercare", status_code=status.HTTP_201_CREATED,
             operation_id="support-aftercare-plan")
def create_aftercare(ctx: CtxDep, case_id: int, body: AftercarePlanCreate) -> list[SupportItemRead]:
    """Generate the aftercare checks after a nephrectomy (medical write)."""
    items = support.create_aftercare_plan(ctx, view_case(ctx, case_id), body.party_id,
                                          body.surgery_date, body.referral_id)
    return _items(ctx, case_id, {i.id for i in items})


@router.post("/cases/{case_id}/support/{item_id}/check", operation_id="support-check")
def record_check(ctx: CtxDep, case_id: int, item_id: int, body: SupportCheck) -> SupportItemRead:
    """Record a support step done, with its result (409 on a stale version)."""
    item = support.record_check(ctx, view_case(ctx, case_id), item_id, body)
    return _items(ctx, case_id, {item.id})[0]


@router.get("/aftercare/schedule", operation_id="support-aftercare-schedule")
def schedule(ctx: CtxDep) -> dict[str, Any]:
    """The aftercare schedule with each interval's source and verification status."""
    return aftercare_schedule().model_dump(by_alias=True)


@router.get("/alerts", operation_id="alerts-list")
def alerts(ctx: CtxDep) -> Alerts:
    """Overdue referrals and support steps, and open referrals addressed to your agency."""
    today = dt.date.today()
    return Alerts(
        today=today,
        overdue_referrals=[_plain(a) for a in service.overdue_referrals(ctx, today)],
        overdue_support_items=[_plain(a) for a in support.overdue_support_items(ctx, today)],
        referrals_to_my_agency=[_plain(a) for a in service.referrals_to_my_agency(ctx, today)])


def _plain(alert: service.ReferralAlert | support.SupportAlert) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in asdict(alert).items():
        out[key] = value.isoformat() if isinstance(value, dt.date) else getattr(value, "value", value)
    return out
