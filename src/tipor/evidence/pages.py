"""The case's evidence tab: the files with their chain of custody, upload, download, hand-over.

A form with bad input re-renders the tab with its problems (422, or 409 for a stale version)
after the request's transaction is rolled back, so nothing half-done is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from tipor.cases import service as cases
from tipor.cases.access import CaseView, view_case
from tipor.cases.tabs import render_case
from tipor.context import Ctx
from tipor.evidence import service as evidence
from tipor.evidence.store import FileStore
from tipor.exceptions import Conflict, ValidationFailed
from tipor.web.deps import CtxDep, check_csrf
from tipor.web.forms import FormData
from tipor.web.headers import attachment

router = APIRouter(prefix="/cases", include_in_schema=False)
Csrf = Depends(check_csrf)


def _tab(request: Request, ctx: Ctx, view: CaseView, extra: dict[str, Any] | None = None,
         status_code: int = 200) -> Response:
    items = evidence.list_evidence(ctx, view)
    return render_case(request, view, "cases/evidence.html", "evidence", {
        "items": items, "custody": {i.id: evidence.custody_of(ctx, i.id) for i in items},
        "form": {}} | (extra or {}), status_code=status_code)


def _run(request: Request, ctx: Ctx, case_id: int, data: dict[str, str],
         action: Callable[[CaseView], object]) -> Response:
    """Run a form's action; on bad input re-render the tab with problems and what was typed."""
    view = view_case(ctx, case_id)
    try:
        action(view)
    except (ValidationFailed, Conflict) as exc:
        ctx.session.rollback()
        problems = exc.problems if isinstance(exc, ValidationFailed) else [("version", exc.message)]
        return _tab(request, ctx, view_case(ctx, case_id),
                    {"problems": problems, "form": data, "error": exc.message},
                    409 if isinstance(exc, Conflict) else 422)
    return RedirectResponse(f"/cases/{case_id}/evidence", status_code=303)


def _store(request: Request) -> FileStore:
    return FileStore(request.app.state.settings.evidence_dir)


@router.get("/{case_id}/evidence")
def case_evidence(request: Request, ctx: CtxDep, case_id: int) -> Response:
    return _tab(request, ctx, cases.open_case(ctx, case_id))


@router.post("/{case_id}/evidence", dependencies=[Csrf])
def case_upload(request: Request, ctx: CtxDep, case_id: int, file: Annotated[UploadFile, File()],
                description: Annotated[str, Form()] = "",
                received_from: Annotated[str, Form()] = "") -> Response:
    store = _store(request)
    return _run(request, ctx, case_id, {"description": description},
                lambda view: evidence.add_evidence(
                    ctx, view, store, stream=file.file, filename=file.filename or "",
                    content_type=file.content_type or "", description=description,
                    holder=received_from))


@router.get("/{case_id}/evidence/{evidence_id}/download")
def case_download(request: Request, ctx: CtxDep, case_id: int, evidence_id: int) -> Response:
    item, data = evidence.read_evidence(ctx, view_case(ctx, case_id), _store(request), evidence_id)
    return Response(data, media_type=item.content_type, headers={
        "Content-Disposition": attachment(item.filename)})


@router.post("/{case_id}/evidence/{evidence_id}/custody", dependencies=[Csrf])
def case_custody(request: Request, ctx: CtxDep, case_id: int, evidence_id: int,
                 data: FormData) -> Response:
    return _run(request, ctx, case_id, data, lambda view: evidence.add_custody(
        ctx, view, evidence_id, from_holder=data.get("from_holder", ""),
        to_holder=data.get("to_holder", ""), place=data.get("place", ""), note=data.get("note", "")))
