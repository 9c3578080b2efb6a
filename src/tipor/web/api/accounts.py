"""Agencies, users and personal tokens over JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, status

from tipor.accounts import auth, service, sessions
from tipor.accounts.schemas import (
    AccessEnded,
    AgencyCreate,
    AgencyRead,
    AgencyUpdate,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from tipor.web.deps import CtxDep, CurrentUser, Db, check_csrf, current_credential, system_actor

#: The services decide who may do what (``accounts.service``): a refusal is their 403.
router = APIRouter(tags=["accounts"], dependencies=[Depends(check_csrf)])


@router.get("/agencies", operation_id="agencies-list")
def list_agencies(ctx: CtxDep) -> list[AgencyRead]:
    """Every agency (names and kinds are not sensitive: users need them to refer)."""
    return [AgencyRead.model_validate(a) for a in service.list_agencies(ctx)]


@router.post("/agencies", status_code=status.HTTP_201_CREATED, operation_id="agencies-create")
def create_agency(ctx: CtxDep, body: AgencyCreate) -> AgencyRead:
    """Create an agency (admins)."""
    return AgencyRead.model_validate(service.create_agency(ctx, data=body))


@router.patch("/agencies/{agency_id}", operation_id="agencies-update")
def update_agency(ctx: CtxDep, agency_id: int, body: AgencyUpdate) -> AgencyRead:
    """Change an agency; send the version you read, or get 409 with the current values."""
    return AgencyRead.model_validate(service.update_agency(ctx, agency_id=agency_id, data=body))


@router.get("/users", operation_id="users-list")
def list_users(ctx: CtxDep, agency_id: int | None = None) -> list[UserRead]:
    """Users, optionally of one agency (admins)."""
    return [UserRead.model_validate(u) for u in service.list_users(ctx, agency_id=agency_id)]


@router.post("/users", status_code=status.HTTP_201_CREATED, operation_id="users-create")
def create_user(ctx: CtxDep, body: UserCreate) -> UserRead:
    """Create a user (admins); the password must meet the strength rule."""
    return UserRead.model_validate(service.create_user(ctx, data=body))


@router.patch("/users/{user_id}", operation_id="users-update")
def update_user(request: Request, ctx: CtxDep, user_id: int, body: UserUpdate) -> UserRead:
    """Change a user; send the version you read, or get 409 with the current values."""
    user = service.update_user(ctx, user_id=user_id, data=body,
                               current=current_credential(request))
    return UserRead.model_validate(user)


@router.post("/users/{user_id}/unlock", operation_id="users-unlock")
def unlock_user(ctx: CtxDep, user_id: int) -> UserRead:
    """Clear a sign-in lock now (admins); audited."""
    return UserRead.model_validate(service.unlock_user(ctx, user_id=user_id))


@router.post("/tokens", status_code=status.HTTP_201_CREATED, operation_id="tokens-create")
def create_token(request: Request, db: Db, user: CurrentUser, body: TokenCreate) -> TokenCreated:
    """A personal bearer token for scripts; shown once, stored only as a hash."""
    row, plain = auth.create_token(db, user=user, name=body.name, days=body.days,
                                   actor=system_actor(request, user))
    return TokenCreated(id=row.id, name=row.name, token=plain, expires_at=row.expires_at)


@router.get("/tokens", operation_id="tokens-list")
def list_tokens(db: Db, user: CurrentUser) -> list[TokenRead]:
    """Your own tokens, newest first (the tokens themselves are never shown again)."""
    return [TokenRead.model_validate(t) for t in sessions.list_tokens(db, user=user)]


@router.delete("/tokens/{token_id}", operation_id="tokens-revoke")
def revoke_token(request: Request, db: Db, user: CurrentUser, token_id: int) -> TokenRead:
    """Revoke one of your tokens at once; audited. Revoking twice is harmless."""
    row = sessions.revoke_token(db, user=user, token_id=token_id,
                                actor=system_actor(request, user))
    return TokenRead.model_validate(row)


@router.post("/sessions/sign-out-everywhere", operation_id="sessions-end-all")
def sign_out_everywhere(request: Request, ctx: CtxDep) -> AccessEnded:
    """End every other browser session and revoke every other token of yours; audited."""
    sessions.sign_out_everywhere(ctx, keep=current_credential(request))
    return AccessEnded(message="every other session has ended and every other token is revoked")
