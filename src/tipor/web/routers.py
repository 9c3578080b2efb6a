"""Every router of the app, in one list: go from a URL to its module in one hop."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from tipor.cases import api as cases_api
from tipor.cases import pages as cases_pages
from tipor.evidence import api as evidence_api
from tipor.evidence import pages as evidence_pages
from tipor.exchange import api as exchange_api
from tipor.law import api as law_api
from tipor.law import pages as law_pages
from tipor.referrals import api as referrals_api
from tipor.referrals import pages as referrals_pages
from tipor.screening import api as screening_api
from tipor.screening import pages as screening_pages
from tipor.web.api import accounts as api_accounts
from tipor.web.api import audit as api_audit
from tipor.web.api import meta as api_meta
from tipor.web.pages import account, admin, auth, home

PAGE_ROUTERS: list[APIRouter] = [
    auth.router, home.router, account.router, admin.router,
    cases_pages.router, evidence_pages.router, referrals_pages.router, screening_pages.router,
    law_pages.router,
]
API_ROUTERS: list[APIRouter] = [
    api_meta.router, api_accounts.router, api_audit.router,
    cases_api.router, evidence_api.router, referrals_api.router, exchange_api.router,
    screening_api.router, law_api.router,
]


def include_all(app: FastAPI) -> None:
    """Attach every page and API router."""
    for router in PAGE_ROUTERS:
        app.include_router(router)
    for router in API_ROUTERS:
        app.include_router(router, prefix="/api/v1")
