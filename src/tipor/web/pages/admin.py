"""Administration pages: agencies, users and the audit log (admins only)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from tipor.accounts import service, throttle
from tipor.accounts.models import AgencyKind, Role, User
from tipor.accounts.schemas import AgencyCreate, AgencyUpdate, UserCreate, UserUpdate
from tipor.audit import service as audit
from tipor.exceptions import Conflict, ValidationFailed
from tipor.security.permissions import Permission
from tipor.web.deps import Db, check_csrf, current_credential, require, system_actor
from tipor.web.forms import FormData, parse
from tipor.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)
AgencyAdmin = Annotated[User, Depends(require(Permission.ADMIN_AGENCIES))]
UserAdmin = Annotated[User, Depends(require(Permission.ADMIN_USERS))]
Auditor = Annotated[User, Depends(require(Permission.AUDIT_READ))]
Csrf = Depends(check_csrf)


def _failed(request: Request, template: str, exc: ValidationFailed | Conflict,
            context: dict[str, object]) -> Response:
    problems = exc.problems if isinstance(exc, ValidationFailed) else [("", exc.message)]
    status = 409 if isinstance(exc, Conflict) else 422
    return render(request, template, context | {"problems": problems, "error": exc.message},
                  status_code=status)


@router.get("/agencies")
def agencies(request: Request, db: Db, admin: AgencyAdmin) -> Response:
    return render(request, "admin/agencies.html", {
        "agencies": service.list_agencies(db), "kinds": list(AgencyKind), "form": {}})


@router.post("/agencies", dependencies=[Csrf])
def agency_create(request: Request, db: Db, admin: AgencyAdmin, data: FormData) -> Response:
    try:
        service.create_agency(db, data=parse(AgencyCreate, dict(data)),
                              actor=system_actor(request, admin))
    except (ValidationFailed, Conflict) as exc:
        return _failed(request, "admin/agencies.html", exc, {
            "agencies": service.list_agencies(db), "kinds": list(AgencyKind), "form": data})
    return RedirectResponse("/admin/agencies", status_code=303)


@router.get("/agencies/{agency_id}")
def agency_edit(request: Request, db: Db, admin: AgencyAdmin, agency_id: int) -> Response:
    agency = service.get_agency(db, agency_id)
    return render(request, "admin/agency_edit.html", {"agency": agency, "kinds": list(AgencyKind)})


@router.post("/agencies/{agency_id}", dependencies=[Csrf])
def agency_update(request: Request, db: Db, admin: AgencyAdmin, agency_id: int,
                  data: FormData) -> Response:
    fields: dict[str, object] = dict(data)
    fields["is_active"] = data.get("is_active") == "on"
    try:
        service.update_agency(db, agency_id=agency_id, data=parse(AgencyUpdate, fields),
                              actor=system_actor(request, admin))
    except (ValidationFailed, Conflict) as exc:
        db.rollback()
        return _failed(request, "admin/agency_edit.html", exc, {
            "agency": service.get_agency(db, agency_id), "kinds": list(AgencyKind),
            "conflict": getattr(exc, "fields", None)})
    return RedirectResponse("/admin/agencies", status_code=303)


def _user_context(db: Db) -> dict[str, object]:
    return {"agencies": service.list_agencies(db), "roles": list(Role)}


def _users_context(request: Request, db: Db) -> dict[str, object]:
    users = service.list_users(db)
    locked = throttle.locked_usernames(db, request.app.state.settings, users)
    return {"users": users, "locked": locked} | _user_context(db)


@router.get("/users")
def users(request: Request, db: Db, admin: UserAdmin) -> Response:
    return render(request, "admin/users.html", {"form": {}} | _users_context(request, db))


@router.post("/users", dependencies=[Csrf])
def user_create(request: Request, db: Db, admin: UserAdmin, data: FormData) -> Response:
    try:
        service.create_user(db, data=parse(UserCreate, dict(data)),
                            actor=system_actor(request, admin))
    except (ValidationFailed, Conflict) as exc:
        form = {k: v for k, v in data.items() if k != "password"}
        return _failed(request, "admin/users.html", exc,
                       {"form": form} | _users_context(request, db))
    return RedirectResponse("/admin/users", status_code=303)


def _edit_context(request: Request, db: Db, user_id: int) -> dict[str, object]:
    target = service.get_user(db, user_id)
    locked = throttle.is_locked(db, request.app.state.settings, target)
    return {"target": target, "locked": locked} | _user_context(db)


@router.get("/users/{user_id}")
def user_edit(request: Request, db: Db, admin: UserAdmin, user_id: int,
              unlocked: bool = False) -> Response:
    return render(request, "admin/user_edit.html", {"unlocked": unlocked}
                  | _edit_context(request, db, user_id))


@router.post("/users/{user_id}/unlock", dependencies=[Csrf])
def user_unlock(request: Request, db: Db, admin: UserAdmin, user_id: int) -> Response:
    """Let a locked-out user sign in again now; audited."""
    throttle.unlock(db, user=service.get_user(db, user_id), actor=system_actor(request, admin))
    return RedirectResponse(f"/admin/users/{user_id}?unlocked=1", status_code=303)


@router.post("/users/{user_id}", dependencies=[Csrf])
def user_update(request: Request, db: Db, admin: UserAdmin, user_id: int,
                data: FormData) -> Response:
    fields: dict[str, object] = dict(data)
    fields["is_active"] = data.get("is_active") == "on"
    try:
        service.update_user(db, user_id=user_id, data=parse(UserUpdate, fields),
                            actor=system_actor(request, admin), current=current_credential(request))
    except (ValidationFailed, Conflict) as exc:
        db.rollback()
        return _failed(request, "admin/user_edit.html", exc, {
            "conflict": getattr(exc, "fields", None)} | _edit_context(request, db, user_id))
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
