"""Sign in (password, then second factor), sign out, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from tipor.accounts import auth
from tipor.accounts.service import set_language
from tipor.db import settle
from tipor.exceptions import AuthenticationFailed, Throttled, ValidationFailed
from tipor.i18n import LANGUAGES
from tipor.security import totp
from tipor.settings import Settings
from tipor.web import csrf
from tipor.web.deps import (
    LANG_COOKIE,
    Db,
    OptionalUser,
    check_csrf,
    client_ip,
    get_ctx,
    pending_session,
)
from tipor.web.templating import render

router = APIRouter(include_in_schema=False)
Csrf = Depends(check_csrf)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(csrf.SESSION_COOKIE, token, httponly=True, samesite="strict",
                        secure=settings.cookie_secure, path="/",
                        max_age=int(settings.session_hours * 3600))


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login", dependencies=[Csrf])
def login_submit(
    request: Request, db: Db, username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1024)], next: Annotated[str, Form()] = "/",
) -> Response:
    settings: Settings = request.app.state.settings
    try:
        outcome = auth.login(db, username=username, password=password, ip=client_ip(request),
                             settings=settings)
    except (AuthenticationFailed, Throttled) as exc:
        settle(db, exc)  # keep the counted failure and its audit entry, nothing else
        status = 429 if isinstance(exc, Throttled) else 401
        return render(request, "login.html", {"next": _safe_next(next), "error": exc.message,
                                              "username": username}, status_code=status)
    target = "/login/enrol" if outcome.must_enrol_totp else (
        "/login/totp" if outcome.needs_totp else _safe_next(next))
    response = RedirectResponse(target, status_code=303)
    _set_session_cookie(response, outcome.token, settings)
    return response


@router.get("/login/totp")
def totp_form(request: Request, db: Db) -> Response:
    pending_session(request, db)
    return render(request, "totp.html")


@router.post("/login/totp", dependencies=[Csrf])
def totp_submit(request: Request, db: Db, code: Annotated[str, Form(max_length=20)]) -> Response:
    web = pending_session(request, db)
    try:
        auth.pass_totp(db, web=web, code=code, keyring=request.app.state.keyring,
                       ip=client_ip(request), settings=request.app.state.settings)
    except (AuthenticationFailed, Throttled) as exc:
        settle(db, exc)
        status = 429 if isinstance(exc, Throttled) else 401
        return render(request, "totp.html", {"error": exc.message}, status_code=status)
    return RedirectResponse("/", status_code=303)


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret_key, salt="totp-enrol")


@router.get("/login/enrol")
def enrol_form(request: Request, db: Db) -> Response:
    web = pending_session(request, db)
    secret = totp.new_secret()
    return render(request, "enrol.html", {
        "secret": secret, "uri": totp.provisioning_uri(secret, web.user.username),
        "sealed": _serializer(request).dumps({"s": secret, "u": web.user_id}),
    })


@router.post("/login/enrol", dependencies=[Csrf])
def enrol_submit(request: Request, db: Db, sealed: Annotated[str, Form()],
                 code: Annotated[str, Form(max_length=20)]) -> Response:
    web = pending_session(request, db)
    try:
        data = _serializer(request).loads(sealed, max_age=900)
    except BadSignature:
        raise ValidationFailed("the set-up form expired; reload the page to get a new secret",
                               [("sealed", "expired or altered")]) from None
    if data.get("u") != web.user_id:
        raise ValidationFailed("this set-up form belongs to another account; reload the page")
    try:
        auth.enrol_totp(db, user=web.user, secret=data["s"], code=code,
                        keyring=request.app.state.keyring,
                        actor=auth.actor_for(web.user, client_ip(request)), web=web)
    except ValidationFailed as exc:
        return render(request, "enrol.html", {
            "secret": data["s"], "uri": totp.provisioning_uri(data["s"], web.user.username),
            "sealed": sealed, "error": exc.message}, status_code=422)
    return RedirectResponse("/", status_code=303)


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request, db: Db) -> Response:
    auth.logout(db, token=request.cookies.get(csrf.SESSION_COOKIE, ""), ip=client_ip(request))
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    response.delete_cookie(csrf.SESSION_COOKIE, path="/")
    return response


@router.post("/language", dependencies=[Csrf])
def change_language(request: Request, db: Db, user: OptionalUser,
                    language: Annotated[str, Form(max_length=8)],
                    next: Annotated[str, Form()] = "/") -> Response:
    if language not in LANGUAGES:
        raise ValidationFailed(f"unknown language {language!r}; choose one of "
                               f"{', '.join(LANGUAGES)}", [("language", "unknown")])
    if user is not None:
        set_language(get_ctx(request, db, user), language=language)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, language, samesite="strict", path="/", httponly=True,
                        secure=request.app.state.settings.cookie_secure)
    return response
