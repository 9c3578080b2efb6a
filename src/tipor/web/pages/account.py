"""The signed-in user's own account: second factor and personal API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from tipor.accounts import auth
from tipor.accounts.schemas import TokenCreate
from tipor.exceptions import ValidationFailed
from tipor.security import totp
from tipor.web.deps import CurrentUser, Db, check_csrf, system_actor
from tipor.web.forms import FormData, parse
from tipor.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/account")
def account(request: Request, user: CurrentUser) -> Response:
    return render(request, "account.html")


@router.post("/account/tokens", dependencies=[Depends(check_csrf)])
def create_token(request: Request, user: CurrentUser, db: Db, data: FormData) -> Response:
    try:
        body = parse(TokenCreate, dict(data))
    except ValidationFailed as exc:
        return render(request, "account.html", {"problems": exc.problems}, status_code=422)
    _row, plain = auth.create_token(db, user=user, name=body.name, days=body.days,
                                    actor=system_actor(request, user))
    return render(request, "account.html", {"new_token": plain}, status_code=201)


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
