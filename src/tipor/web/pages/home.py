"""The dashboard and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from tipor import __version__
from tipor.security.permissions import ROLE_SECTIONS, permissions_of
from tipor.web.deps import CurrentUser, Db
from tipor.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def dashboard(request: Request, user: CurrentUser) -> Response:
    sections = {s.value: sorted(a) for s, a in ROLE_SECTIONS[user.role].items()}
    return render(request, "home.html", {
        "permissions": permissions_of(user.role), "sections": sections,
    })


@router.get("/healthz")
def healthz(db: Db) -> Response:
    """Liveness and database reachability, for load balancers and monitoring."""
    db.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok", "version": __version__})
