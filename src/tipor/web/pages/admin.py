"""Administration pages: agencies, users and the audit log (admins only).

The permission dependencies are a first filter, so a non-administrator never sees these
forms; the account services refuse on their own as well."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from tipor.accounts import service, throttle
from tipor.accounts.models import AgencyKind, Role, User
from tipor.accounts.schemas import AgencyCreate, AgencyUpdate, UserCreate, UserUpdate
from tipor.audit import service as audit
from tipor.context import Ctx
from tipor.exceptions import Conflict, ValidationFailed
from tipor.security.permissions import Permission
from tipor.web.deps import Db, check_csrf, current_credential, get_ctx, require
from tipor.web.forms import FormData, parse
from tipor.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)
AgencyAdmin = Annotated[User, Depends(require(Permission.ADMIN_AGENCIES))]
UserAdmin = Annotated[User, Depends(require(Permission.ADMIN_USERS))]
Auditor = Annotated[User, Depends(require(Permission.AUDIT_READ))]
Csrf = Depends(check_csrf)


def _agency_admin(request: Request, db: Db, admin: AgencyAdmin) -> Ctx:
    return get_ctx(request, db, admin)


def _user_admin(request: Request, db: Db, admin: UserAdmin) -> Ctx:
    return get_ctx(request, db, admin)


AgencyCtx = Annotated[Ctx, Depends(_agency_admin)]
UserCtx = Annotated[Ctx, Depends(_user_admin)]


def _failed(request: Request, template: str, exc: ValidationFailed | Conflict,
            context: dict[str, object]) -> Response:
    problems = exc.problems if isinstance(exc, ValidationFailed) else [("", exc.message)]
    status = 409 if isinstance(exc, Conflict) else 422
    return render(request, template, context | {"problems": problems, "error": exc.message},
                  status_code=status)


@router.get("/agencies")
def agencies(request: Request, ctx: AgencyCtx) -> Response:
    return render(request, "admin/agencies.html", {
        "agencies": service.list_agencies(ctx), "kinds": list(AgencyKind), "form": {}})


@router.post("/agencies", dependencies=[Csrf])
def agency_create(request: Request, ctx: AgencyCtx, data: FormData) -> Response:
    try:
        service.create_agency(ctx, data=parse(AgencyCreate, dict(data)))
    except (ValidationFailed, Conflict) as exc:
        return _failed(request, "admin/agencies.html", exc, {
            "agencies": service.list_agencies(ctx), "kinds": list(AgencyKind), "form": data})
    return RedirectResponse("/admin/agencies", status_code=303)


@router.get("/agencies/{agency_id}")
def agency_edit(request: Request, ctx: AgencyCtx, agency_id: int) -> Response:
    agency = service.get_agency(ctx, agency_id=agency_id)
    return render(request, "admin/agency_edit.html", {"agency": agency, "kinds": list(AgencyKind)})


@router.post("/agencies/{agency_id}", dependencies=[Csrf])
def agency_update(request: Request, ctx: AgencyCtx, agency_id: int, data: FormData) -> Response:
    fields: dict[str, object] = dict(data)
    fields["is_active"] = data.get("is_active") == "on"
    try:
        service.update_agency(ctx, agency_id=agency_id, data=parse(AgencyUpdate, fields))
    except (ValidationFailed, Conflict) as exc:
        ctx.session.rollback()
        return _failed(request, "admin/agency_edit.html", exc, {
            "agency": service.get_agency(ctx, agency_id=agency_id), "kinds": list(AgencyKind),
            "conflict": getattr(exc, "fields", None)})
    return RedirectResponse("/admin/agencies", status_code=303)


def _user_context(ctx: Ctx) -> dict[str, object]:
    return {"agencies": service.list_agencies(ctx), "roles": list(Role)}


def _users_context(request: Request, ctx: Ctx) -> dict[str, object]:
    users = service.list_users(ctx)
    locked = throttle.locked_usernames(ctx.session, request.app.state.settings, users)
    return {"users": users, "locked": locked} | _user_context(ctx)


@router.get("/users")
def users(request: Request, ctx: UserCtx) -> Response:
    return render(request, "admin/users.html", {"form": {}} | _users_context(request, ctx))


@router.post("/users", dependencies=[Csrf])
def user_create(request: Request, ctx: UserCtx, data: FormData) -> Response:
    try:
        service.create_user(ctx, data=parse(UserCreate, dict(data)))
    except (ValidationFailed, Conflict) as exc:
        form = {k: v for k, v in data.items() if k != "password"}
        return _failed(request, "admin/users.html", exc,
                       {"form": form} | _users_context(request, ctx))
    return RedirectResponse("/admin/users", status_code=303)


def _edit_context(request: Request, ctx: Ctx, user_id: int) -> dict[str, object]:
    target = service.get_user(ctx, user_id=user_id)
    locked = throttle.is_locked(ctx.session, request.app.state.settings, target)
    return {"target": target, "locked": locked} | _user_context(ctx)


@router.get("/users/{user_id}")
def user_edit(request: Request, ctx: UserCtx, user_id: int, unlocked: bool = False) -> Response:
    return render(request, "admin/user_edit.html", {"unlocked": unlocked}
                  | _edit_context(request, ctx, user_id))


@router.post("/users/{user_id}/unlock", dependencies=[Csrf])
def user_unlock(ctx: UserCtx, user_id: int) -> Response:
    """Let a locked-out user sign in again now; audited."""
    service.unlock_user(ctx, user_id=user_id)
    return RedirectResponse(f"/admin/users/{user_id}?unlocked=1", status_code=303)


@router.post("/users/{user_id}", dependencies=[Csrf])
def user_update(request: Request, ctx: UserCtx, user_id: int, data: FormData) -> Response:
    fields: dict[str, object] = dict(data)
    fields["is_active"] = data.get("is_active") == "on"
    try:
        service.update_user(ctx, user_id=user_id, data=parse(UserUpdate, fields),
                            current=current_credential(request))
    except (ValidationFailed, Conflict) as exc:
        ctx.session.rollback()
        return _failed(request, "admin/user_edit.html", exc, {
            "conflict": getattr(exc, "fields", None)} | _edit_context(request, ctx, user_id))
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit")
def audit_log(
    request: Request, db: Db, admin: Auditor, actor: str = "", action: str = "",
    object_type: str = "", outcome: str = "", since: str = "", until: str = "",
    page: Annotated[int, Query(ge=1)] = 1, verify: bool = False,
) -> Response:
    flt = audit.AuditFilter(actor=actor.strip().lower(), action=action.strip(),
                            object_type=object_type.strip(), outcome=outcome.strip(),
                            since=since.strip(), until=until.strip())
    rows, total = audit.search(db, flt, offset=(page - 1) * 50, limit=50)
    verdict = audit.verify(db) if verify else None
    return render(request, "admin/audit.html", {
        "rows": rows, "total": total, "flt": flt, "page": page,
        "pages": max(1, math.ceil(total / 50)), "verdict": verdict})
