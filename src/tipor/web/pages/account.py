"""The signed-in user's own account: second factor, password, API tokens, sign out everywhere."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from tipor.accounts import auth, sessions
from tipor.accounts.models import User
from tipor.accounts.schemas import PasswordChange, TokenCreate
from tipor.accounts.service import change_own_password
from tipor.db import settle
from tipor.exceptions import AuthenticationFailed, Throttled, ValidationFailed
from tipor.security import totp
from tipor.web.deps import (
    CtxDep,
    CurrentUser,
    Db,
    check_csrf,
    current_credential,
    system_actor,
)
from tipor.web.forms import FormData, parse
from tipor.web.templating import render

router = APIRouter(include_in_schema=False)
Csrf = Depends(check_csrf)
#: ?done=… after a redirect: the label key of the confirmation to show.
DONE = {"signed_out": "account.signed_out_everywhere", "password": "account.password_changed",
        "revoked": "account.token_revoked"}


def _page(request: Request, db: Db, user: User, context: dict[str, object] | None = None,
          status_code: int = 200) -> Response:
    rows = sessions.list_tokens(db, user=user)
    tokens = [{"row": r, "live": sessions.is_live(r)} for r in rows]
    return render(request, "account.html", {"tokens": tokens} | (context or {}),
                  status_code=status_code)


@router.get("/account")
def account(request: Request, user: CurrentUser, db: Db, done: str = "") -> Response:
    return _page(request, db, user, {"done": DONE.get(done)})


@router.post("/account/tokens", dependencies=[Csrf])
def create_token(request: Request, user: CurrentUser, db: Db, data: FormData) -> Response:
    try:
        body = parse(TokenCreate, dict(data))
    except ValidationFailed as exc:
        return _page(request, db, user, {"problems": exc.problems}, status_code=422)
    _row, plain = auth.create_token(db, user=user, name=body.name, days=body.days,
                                    actor=system_actor(request, user))
    return _page(request, db, user, {"new_token": plain}, status_code=201)


@router.post("/account/tokens/{token_id}/revoke", dependencies=[Csrf])
def revoke_token(request: Request, user: CurrentUser, db: Db, token_id: int) -> Response:
    sessions.revoke_token(db, user=user, token_id=token_id, actor=system_actor(request, user))
    return RedirectResponse("/account?done=revoked", status_code=303)


@router.post("/account/sign-out-everywhere", dependencies=[Csrf])
def sign_out_everywhere(request: Request, ctx: CtxDep) -> Response:
    """End every other browser session and revoke every API token; this one stays."""
    sessions.sign_out_everywhere(ctx, keep=current_credential(request))
    return RedirectResponse("/account?done=signed_out", status_code=303)


@router.post("/account/password", dependencies=[Csrf])
def change_password(request: Request, ctx: CtxDep, data: FormData) -> Response:
    """A new password ends every other session and token of this user."""
    db, user = ctx.session, ctx.require_user()
    try:
        body = parse(PasswordChange, dict(data))
        change_own_password(ctx, current_password=body.current_password,
                            new_password=body.new_password, current=current_credential(request),
                            settings=request.app.state.settings)
    except (ValidationFailed, AuthenticationFailed, Throttled) as exc:
        settle(db, exc)
        status = {AuthenticationFailed: 401, Throttled: 429}.get(type(exc), 422)
        return _page(request, db, user, {"password_problems": getattr(exc, "problems", []),
                                         "password_error": exc.message}, status_code=status)
    return RedirectResponse("/account?done=password", status_code=303)


def _sealer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret_key, salt="totp-account")


def _enrol_page(request: Request, username: str, secret: str, sealed: str, error: str = "",
                status_code: int = 200) -> Response:
    return render(request, "enrol.html", {
        "secret": secret, "uri": totp.provisioning_uri(secret, username), "sealed": sealed,
        "action": "/account/totp", "error": error}, status_code=status_code)


@router.get("/account/totp")
def totp_form(request: Request, user: CurrentUser) -> Response:
    """Any user may turn on a second factor (administrators must)."""
    if user.totp_enabled:
        return RedirectResponse("/account", status_code=303)
    secret = totp.new_secret()
    sealed = _sealer(request).dumps({"s": secret, "u": user.id})
    return _enrol_page(request, user.username, secret, sealed)


@router.post("/account/totp", dependencies=[Depends(check_csrf)])
def totp_enrol(request: Request, user: CurrentUser, db: Db, sealed: Annotated[str, Form()],
               code: Annotated[str, Form(max_length=20)]) -> Response:
    try:
        data = _sealer(request).loads(sealed, max_age=900)
    except BadSignature:
        raise ValidationFailed("the set-up form expired; reload the page to get a new secret",
                               [("sealed", "expired or altered")]) from None
    if data.get("u") != user.id:
        raise ValidationFailed("this set-up form belongs to another account; reload the page")
    try:
        auth.enrol_totp(db, user=user, secret=data["s"], code=code,
                        keyring=request.app.state.keyring, actor=system_actor(request, user))
    except ValidationFailed as exc:
        return _enrol_page(request, user.username, data["s"], sealed, exc.message, 422)
    return RedirectResponse("/account?totp=on", status_code=303)
