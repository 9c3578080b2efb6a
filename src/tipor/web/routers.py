"""Every router of the app, in one list: go from a URL to its module in one hop."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from tipor.web.api import accounts as api_accounts
from tipor.web.api import audit as api_audit
from tipor.web.api import meta as api_meta
from tipor.web.pages import account, admin, auth, home

PAGE_ROUTERS: list[APIRouter] = [auth.router, home.router, account.router, admin.router]
API_ROUTERS: list[APIRouter] = [api_meta.router, api_accounts.router, api_audit.router]


def include_all(app: FastAPI) -> None:
    """Attach every page and API router."""
    for router in PAGE_ROUTERS:
        app.include_router(router)
    for router in API_ROUTERS:
        app.include_router(router, prefix="/api/v1")
