"""Catalogue and screening over JSON (/api/v1): browse indicators, screen, save, attach.

``POST /screening`` takes the documented input (docs/formats/screening.md) and answers the
documented result; with ``save=true`` it also stores it (201, ``Location`` and
``X-Screening-Id`` name the saved screening). Bad input answers 422 naming the bad value and
the valid ones, and nothing is saved.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from tipor.accounts.models import User
from tipor.catalogue.service import get_catalogue, indicator_detail, profile_summary
from tipor.context import Ctx
from tipor.fields import Id, QueryFlag
from tipor.screening import service
from tipor.screening.formats import result_to_dict
from tipor.security.permissions import Permission
from tipor.web.deps import CtxDep, check_csrf, require

router = APIRouter(tags=["screening"], dependencies=[Depends(check_csrf)])
Reader = Annotated[User, Depends(require(Permission.CATALOGUE_READ))]
Screener = Annotated[User, Depends(require(Permission.SCREENING_USE))]
Lang = Annotated[str, Query(description="language of labels and questions: en ur ar fa es fr")]


class AttachBody(BaseModel):
    """Which case to attach a saved screening to."""

    model_config = ConfigDict(extra="forbid")
    case_id: Id


@router.get("/catalogue", operation_id="catalogue-get")
def catalogue(user: Reader, lang: Lang = "en") -> dict[str, Any]:
    """The catalogue version, its languages and every indicator, texts in ``lang``."""
    cat = get_catalogue()
    cat.check_language(lang)
    return {"version": cat.version, "language": lang,
            "languages": [lg.model_dump(mode="json") for lg in cat.languages],
            "indicators": [indicator_detail(cat, i.id, lang) for i in cat.indicators]}


@router.get("/catalogue/indicators/{indicator_id}", operation_id="catalogue-indicator")
def indicator(user: Reader, indicator_id: str, lang: Lang = "en") -> dict[str, Any]:
    """One indicator: questions per observer, evidence, cases seen, sources (verification)."""
    return indicator_detail(get_catalogue(), indicator_id, lang) | {
        "catalogue_version": get_catalogue().version}


@router.get("/screening/profiles", operation_id="screening-profiles")
def profiles(user: Screener, lang: Lang = "en") -> dict[str, Any]:
    """The screening profiles (situations) with titles, observers and indicator ids."""
    cat = get_catalogue()
    cat.check_language(lang)
    return {"catalogue_version": cat.version, "language": lang,
            "profiles": [profile_summary(cat, p.id, lang) for p in cat.profiles]}


def _saved_body(ctx: Ctx, saved: service.SavedScreening) -> dict[str, Any]:
    return service.summary(saved.row) | {
        "input": saved.request.model_dump(mode="json"), "result": result_to_dict(saved.result)}


@router.post("/screening", operation_id="screening-run", response_model=None)
def run_screening(
    ctx: CtxDep, user: Screener,
    document: Annotated[dict[str, Any], Body(description="a screening input document")],
    save: QueryFlag = False, case_id: int | None = None,
) -> JSONResponse:
    """Screen the documented input; ``save=true`` stores it (optionally on ``case_id``)."""
    request, result = service.run_document(document)
    if not save:
        return JSONResponse(result_to_dict(result))
    saved = service.save_screening(ctx, request, case_id=case_id)
    url = f"/api/v1/screening/saved/{saved.row.id}"
    return JSONResponse(result_to_dict(saved.result), status_code=201,
                        headers={"Location": url, "X-Screening-Id": str(saved.row.id)})


@router.get("/screening/saved/{screening_id}", operation_id="screening-saved-get")
def saved_screening(ctx: CtxDep, screening_id: int) -> dict[str, Any]:
    """A saved screening you may see: its clear fields, input and result (reading audited)."""
    return _saved_body(ctx, service.open_screening(ctx, screening_id))


@router.post("/screening/saved/{screening_id}/attach", operation_id="screening-saved-attach")
def attach(ctx: CtxDep, screening_id: int, body: AttachBody) -> dict[str, Any]:
    """Attach a saved screening to a case (needs write access to the case's legal section)."""
    return service.summary(service.attach_screening(ctx, screening_id, body.case_id))
