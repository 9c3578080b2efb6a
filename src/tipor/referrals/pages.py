"""The case's referrals tab: consents, referrals with their follow-up, and the support plan.

Every form re-renders the tab in place with its problems (422, or 409 for a stale version) and
what was typed; the request's transaction is rolled back first, so nothing half-done is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from tipor.cases import parties
from tipor.cases.access import CaseView, view_case
from tipor.cases.tabs import render_case
from tipor.context import Ctx
from tipor.exceptions import Conflict, NotFound, ValidationFailed
from tipor.referrals import consent, lifecycle, service, support
from tipor.referrals.models import ConsentPurpose, Referral, ReferralStatus, Service
from tipor.referrals.schedule import aftercare_schedule
from tipor.referrals.schemas import (
    AftercarePlanCreate,
    ConsentCreate,
    ReferralCreate,
    SupportCheck,
)
from tipor.security.permissions import Permission, Section, can
from tipor.web.deps import CtxDep, check_csrf
from tipor.web.forms import FormData, parse

router = APIRouter(prefix="/cases", include_in_schema=False)
Csrf = Depends(check_csrf)
METHODS = ("verbal", "written", "electronic", "guardian", "interpreter_assisted")


def _tab(request: Request, ctx: Ctx, view: CaseView, extra: dict[str, Any] | None = None,
         status_code: int = 200) -> Response:
    user = ctx.require_user()
    today = dt.date.today()
    referrals = service.list_referrals(ctx, view, today)
    rows = {r.id: r for r in ctx.session.execute(select(Referral).where(
        Referral.id.in_([r.id for r in referrals] or [-1]))).scalars()}
    agencies = service.agencies_to_refer_to(ctx, view) if view.owner else []
    context = {
        "referrals": referrals, "steps": {i: lifecycle.steps_for(ctx, r) for i, r in rows.items()},
        "people": parties.read_parties(ctx, view), "consents": consent.list_consents(ctx, view),
        "agencies": agencies, "agency_names": {a.id: a.name for a in agencies},
        "services": list(Service), "purposes": list(ConsentPurpose), "methods": METHODS,
        "grantable": [s for s in Section if view.can(s)], "today": today,
        "may_consent": view.can(Section.IDENTITY, "write"),
        "may_refer": view.owner and can(user, Permission.REFERRALS_MANAGE),
        "may_override": can(user, Permission.CONSENT_OVERRIDE),
        "may_plan": view.can(Section.MEDICAL, "write"),
        "support": support.list_support_items(ctx, view, today),
        "schedule": aftercare_schedule(), "open_referrals": [
            r for r in referrals if r.status not in lifecycle.TERMINAL],
        "form": {}, "form_name": "", "problems": [],
    }
    return render_case(request, view, "referrals/tab.html", "referrals",
                       context | (extra or {}), status_code=status_code)


def _redirect(case_id: int) -> Response:
    return RedirectResponse(f"/cases/{case_id}/referrals", status_code=303)


def _run(request: Request, ctx: Ctx, case_id: int, form_name: str, data: dict[str, Any],
         action: Callable[[CaseView], object]) -> Response:
    """Run a form's action; on bad input re-render the tab with problems and what was typed."""
    view = view_case(ctx, case_id)
    try:
        action(view)
    except (ValidationFailed, Conflict) as exc:
        ctx.session.rollback()
        view = view_case(ctx, case_id)
        problems = exc.problems if isinstance(exc, ValidationFailed) else [("version", exc.message)]
        return _tab(request, ctx, view, {"problems": problems or [("", exc.message)],
                                         "form": data, "form_name": form_name},
                    409 if isinstance(exc, Conflict) else 422)
    try:
        view_case(ctx, case_id)
    except NotFound:  # e.g. the receiver just completed its referral: the case is gone for it
        return RedirectResponse("/", status_code=303)
    return _redirect(case_id)


@router.get("/{case_id}/referrals")
def referrals_tab(request: Request, ctx: CtxDep, case_id: int) -> Response:
    return _tab(request, ctx, view_case(ctx, case_id))


@router.post("/{case_id}/referrals/consents", dependencies=[Csrf])
def record_consent(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    return _run(request, ctx, case_id, "consent", data, lambda view: consent.record_consent(
        ctx, view, parse(ConsentCreate, dict(data))))


@router.post("/{case_id}/referrals/consents/{consent_id}/withdraw", dependencies=[Csrf])
def withdraw_consent(request: Request, ctx: CtxDep, case_id: int, consent_id: int,
                     data: FormData) -> Response:
    return _run(request, ctx, case_id, f"withdraw-{consent_id}", data,
                lambda view: consent.withdraw_consent(ctx, view, consent_id,
                                                      data.get("reason", "")))


@router.post("/{case_id}/referrals/new", dependencies=[Csrf])
def create_referral(request: Request, ctx: CtxDep, case_id: int, data: FormData,
                    sections: Annotated[list[str] | None, Form()] = None) -> Response:
    fields: dict[str, Any] = dict(data) | {"sections": sections or []}
    shown = dict(data) | {"sections": sections or []}
    return _run(request, ctx, case_id, "referral", shown, lambda view: service.create_referral(
        ctx, view, parse(ReferralCreate, fields)))


def _status(value: str) -> ReferralStatus:
    try:
        return ReferralStatus(value)
    except ValueError:
        raise ValidationFailed("to: choose the new status", [("to", "unknown status")]) from None


def _int(value: str, field: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed(f"{field}: reload the page and try again",
                               [(field, "missing or not a number")]) from None


def _date(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"{field}: {value!r} is not a date; use YYYY-MM-DD",
                               [(field, "not a date")]) from None


@router.post("/{case_id}/referrals/{referral_id}/transition", dependencies=[Csrf])
def transition(request: Request, ctx: CtxDep, case_id: int, referral_id: int,
               data: FormData) -> Response:
    return _run(request, ctx, case_id, f"transition-{referral_id}", data,
                lambda view: lifecycle.transition(
                    ctx, view, referral_id, to=_status(data.get("to", "")),
                    note=data.get("note", ""), follow_up=_date(data.get("follow_up", ""), "follow_up"),
                    version=_int(data.get("version", ""), "version")))


@router.post("/{case_id}/referrals/aftercare", dependencies=[Csrf])
def aftercare_plan(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    def action(view: CaseView) -> object:
        plan = parse(AftercarePlanCreate, dict(data))
        return support.create_aftercare_plan(ctx, view, plan.party_id, plan.surgery_date,
                                             plan.referral_id)

    return _run(request, ctx, case_id, "aftercare", data, action)


@router.post("/{case_id}/referrals/support/{item_id}/check", dependencies=[Csrf])
def record_check(request: Request, ctx: CtxDep, case_id: int, item_id: int,
                 data: FormData) -> Response:
    return _run(request, ctx, case_id, f"check-{item_id}", data, lambda view: support.record_check(
        ctx, view, item_id, parse(SupportCheck, dict(data))))
