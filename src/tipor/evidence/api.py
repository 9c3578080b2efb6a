"""Evidence over JSON (under /api/v1/cases/{id}/evidence): upload, download, custody.

Same URLs and operation ids as when these routes lived in the case file's API; every route
enforces the evidence section through the CaseView."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from tipor.cases.access import view_case
from tipor.cases.api import Created
from tipor.evidence import service as evidence
from tipor.evidence.store import FileStore
from tipor.web.deps import CtxDep, check_csrf
from tipor.web.headers import attachment

router = APIRouter(prefix="/cases", tags=["cases"], dependencies=[Depends(check_csrf)])


def _store(request: Request) -> FileStore:
    return FileStore(request.app.state.settings.evidence_dir)


@router.post("/{case_id}/evidence", status_code=201, operation_id="evidence-create")
def add_evidence(
    request: Request, ctx: CtxDep, case_id: int, file: Annotated[UploadFile, File()],
    description: Annotated[str, Form(max_length=2000)] = "",
    received_from: Annotated[str, Form(max_length=200)] = "",
) -> Created:
    """Upload an evidence file; stored by SHA-256, with its first custody entry."""
    view = view_case(ctx, case_id)
    item = evidence.add_evidence(ctx, view, _store(request), stream=file.file,
                                 filename=file.filename or "", description=description,
                                 content_type=file.content_type or "", holder=received_from)
    return Created(id=item.id, version=item.version)


@router.get("/{case_id}/evidence/{evidence_id}", operation_id="evidence-download",
            response_class=Response,
            responses={200: {"description": "the file as uploaded, its SHA-256 verified",
                             "content": {"application/octet-stream": {}}}})
def download(request: Request, ctx: CtxDep, case_id: int, evidence_id: int) -> Response:
    """The file, after its SHA-256 is verified (409 if it was altered)."""
    view = view_case(ctx, case_id)
    item, data = evidence.read_evidence(ctx, view, _store(request), evidence_id)
    return Response(data, media_type=item.content_type, headers={
        "Content-Disposition": attachment(item.filename),
        "X-Content-SHA256": item.sha256})


class CustodyBody(BaseModel):
    """A hand-over of an evidence item."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    from_holder: str = Field(max_length=200)
    to_holder: str = Field(max_length=200)
    place: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=2000)


@router.post("/{case_id}/evidence/{evidence_id}/custody", status_code=201,
             operation_id="evidence-custody")
def custody(ctx: CtxDep, case_id: int, evidence_id: int, body: CustodyBody) -> Created:
    """Record who handed the item to whom, when and where."""
    entry = evidence.add_custody(ctx, view_case(ctx, case_id), evidence_id,
                                 **body.model_dump())
    return Created(id=entry.id, version=1)
