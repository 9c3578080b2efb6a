"""The dashboard and the health check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from tipor import __version__
from tipor.cases.service import CaseQuery, list_cases
from tipor.cases.work import my_tasks
from tipor.context import Ctx
from tipor.referrals.service import overdue_referrals, referrals_to_my_agency
from tipor.referrals.support import overdue_support_items
from tipor.security.permissions import ROLE_SECTIONS, Permission, can, permissions_of
from tipor.web.deps import CtxDep, Db
from tipor.web.templating import render

router = APIRouter(include_in_schema=False)


def dashboard_items(ctx: Ctx, today: dt.date) -> dict[str, Any]:
    """What a user should look at first: their tasks, alerts and recent cases."""
    user = ctx.require_user()
    items: dict[str, Any] = {"tasks": my_tasks(ctx, today), "recent": [], "alerts": None}
    if can(user, Permission.CASES_READ):
        items["recent"] = list_cases(ctx, CaseQuery(per_page=8))[0]
    if can(user, Permission.REFERRALS_MANAGE) or can(user, Permission.CASES_READ):
        items["alerts"] = {
            "overdue": overdue_referrals(ctx, today),
            "incoming": referrals_to_my_agency(ctx, today),
            "support": overdue_support_items(ctx, today),
        }
    return items


@router.get("/")
def dashboard(request: Request, ctx: CtxDep) -> Response:
    user = ctx.require_user()
    sections = {s.value: sorted(a) for s, a in ROLE_SECTIONS[user.role].items()}
    return render(request, "home.html", {
        "permissions": permissions_of(user.role), "sections": sections,
        "today": dt.date.today(), **dashboard_items(ctx, dt.date.today()),
    })


@router.get("/healthz")
def healthz(db: Db) -> Response:
    """Liveness and database reachability, for load balancers and monitoring."""
    db.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok", "version": __version__})
