"""Case exchange over JSON: export a case (sealed by default), import a bundle, HTCDS CSV."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from tipor.evidence.store import FileStore
from tipor.exchange.htcds import export_htcds_for_transfer
from tipor.exchange.transfer import export_for_transfer, import_for_transfer
from tipor.fields import Flag, Id
from tipor.web.deps import CtxDep, check_csrf

router = APIRouter(tags=["exchange"], dependencies=[Depends(check_csrf)])


class ExportBody(BaseModel):
    """How to export: sealed with ``passphrase`` unless ``clear`` is chosen explicitly."""

    model_config = ConfigDict(extra="forbid")
    passphrase: str | None = Field(default=None, max_length=1024,
                                   description="at least 12 characters")
    clear: Flag = Field(default=False, description="export unencrypted (audited as such)")
    include_files: Flag = False


class ImportBody(BaseModel):
    """A case bundle, or a sealed envelope with its passphrase."""

    model_config = ConfigDict(extra="forbid")
    bundle: dict[str, Any]
    passphrase: str | None = Field(default=None, max_length=1024)


class Imported(BaseModel):
    """The case created by an import and what could not be matched."""

    id: int
    reference: str
    version: int
    unmatched_users: list[str]
    files_stored: int
    files_missing: list[str]


class HtcdsBody(BaseModel):
    """Cases to export as HTCDS CSV."""

    model_config = ConfigDict(extra="forbid")
    case_ids: list[Id] = Field(min_length=1, max_length=500)
    passphrase: str | None = Field(default=None, max_length=1024)
    clear: Flag = False


def _store(request: Request) -> FileStore:
    return FileStore(request.app.state.settings.evidence_dir)


@router.post("/cases/{case_id}/export", operation_id="cases-export")
def export_case(ctx: CtxDep, request: Request, case_id: int, body: ExportBody) -> dict[str, Any]:
    """The case bundle: a sealed envelope, or the clear bundle when ``clear`` is true."""
    return export_for_transfer(ctx, case_id, include_files=body.include_files, store=_store(request),
                               passphrase=body.passphrase, clear=body.clear)


@router.post("/cases/import", status_code=status.HTTP_201_CREATED, operation_id="cases-import")
def import_case(ctx: CtxDep, request: Request, body: ImportBody) -> Imported:
    """Validate the whole bundle, then create a new case in your agency (422 lists every problem)."""
    result = import_for_transfer(ctx, body.bundle, passphrase=body.passphrase, store=_store(request))
    return Imported(id=result.case.id, reference=result.case.reference, version=result.case.version,
                    unmatched_users=result.unmatched_users, files_stored=result.files_stored,
                    files_missing=result.files_missing)


@router.post("/exports/htcds", operation_id="exports-htcds",
             responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
def export_htcds(ctx: CtxDep, body: HtcdsBody) -> Response:
    """HTCDS v2 CSV of these cases: a sealed envelope, or CSV text when ``clear`` is true."""
    out = export_htcds_for_transfer(ctx, body.case_ids, passphrase=body.passphrase, clear=body.clear)
    if isinstance(out, str):
        return PlainTextResponse(out, media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="htcds.csv"'})
    return JSONResponse(out)
