"""Typed dependencies: the request's DB session, the signed-in user, permissions, CSRF."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from tipor.accounts.auth import actor_for, resolve_api_token, resolve_session
from tipor.accounts.models import Role, User, WebSession
from tipor.accounts.sessions import Current
from tipor.audit.service import Actor, record
from tipor.context import Ctx
from tipor.db import committed_before, open_session, settle, translate_error
from tipor.exceptions import PermissionDenied, TiporError
from tipor.i18n import normalise
from tipor.security.permissions import Permission, can
from tipor.security.proxies import client_address, parse_networks
from tipor.web import csrf

LANG_COOKIE = "tipor_lang"


@dataclass(frozen=True)
class Viewer:
    """A detached snapshot of the signed-in user for templates and error pages, which may
    render after the request's session was rolled back."""

    id: int
    username: str
    display_name: str
    role: Role
    agency_id: int
    agency_name: str
    agency_kind: str
    agency_country: str
    language: str
    totp_enabled: bool

    @classmethod
    def of(cls, user: User) -> Viewer:
        """Copy what pages show of a user."""
        return cls(user.id, user.username, user.display_name, user.role, user.agency_id,
                   user.agency.name, user.agency.kind.value, user.agency.country, user.language,
                   user.totp_enabled)


class LoginRequired(TiporError):
    """No signed-in user: pages redirect to the login form, the API answers 401."""


class SecondFactorRequired(TiporError):
    """Password accepted but the second factor is still owed (or must be set up)."""

    def __init__(self, enrol: bool) -> None:
        super().__init__("finish signing in with your second factor")
        self.enrol = enrol


class CsrfFailed(TiporError):
    """The form's CSRF token is missing or belongs to another session."""


def get_db(request: Request) -> Iterator[Session]:
    """A session for this request: committed if the handler succeeds, else rolled back.

    Contention never surfaces as a 500: a concurrent edit that won (stale ORM version) becomes
    Conflict (409); a lock, pool or deadlock failure becomes Unavailable (503), which
    ``web.unavailable`` re-runs a few times while nothing of the request was committed.
    """
    session = open_session(request.app.state.settings)
    try:
        yield session
        session.commit()
    except BaseException as exc:
        _rollback_quietly(session, exc)
        translated = translate_error(exc, retryable=not committed_before(session))
        if translated is not None:
            raise translated from exc
        raise
    finally:
        session.close()


def _rollback_quietly(session: Session, exc: BaseException | None = None) -> None:
    # A lost connection cannot roll back; the error being handled is the one to report.
    try:
        settle(session, exc) if exc is not None else session.rollback()
    except Exception:  # noqa: BLE001
        session.invalidate()


Db = Annotated[Session, Depends(get_db, scope="function")]


def client_ip(request: Request) -> str:
    """The client's address: the peer's, or X-Forwarded-For's only when the peer is one of
    TIPOR_TRUSTED_PROXIES (anyone can send that header; see ``security.proxies``)."""
    peer = request.client.host if request.client else ""
    trusted = parse_networks(request.app.state.settings.trusted_proxies)
    return client_address(peer, request.headers.get("x-forwarded-for", ""), trusted)


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def optional_user(request: Request, db: Db) -> User | None:
    """The signed-in user (session cookie or bearer token), or None; sets the language."""
    user: User | None = None
    request.state.auth = None
    request.state.api_token_id = None
    token = _bearer(request)
    if token:
        row = resolve_api_token(db, token)  # refuses revoked tokens and inactive users/agencies
        user = row.user if row is not None else None
        request.state.auth = "token" if row else None
        request.state.api_token_id = row.id if row else None
    else:
        web = resolve_session(db, request.cookies.get(csrf.SESSION_COOKIE, ""))
        request.state.web_session = web
        if web is not None and web.mfa_passed:
            user = web.user
            request.state.auth = "session"
    request.state.user = Viewer.of(user) if user is not None else None
    request.state.lang = normalise(user.language if user else request.cookies.get(LANG_COOKIE))
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


def pending_session(request: Request, db: Db) -> WebSession:
    """A session whose password was accepted but whose second factor is owed."""
    optional_user(request, db)
    web: WebSession | None = getattr(request.state, "web_session", None)
    if web is None or web.mfa_passed:
        raise LoginRequired("sign in first")
    return web


def current_user(request: Request, user: OptionalUser) -> User:
    """The signed-in user, or LoginRequired / SecondFactorRequired."""
    if user is None:
        web = getattr(request.state, "web_session", None)
        if web is not None and not web.mfa_passed:
            raise SecondFactorRequired(enrol=not web.user.totp_enabled)
        raise LoginRequired("sign in to continue")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require(permission: Permission) -> Callable[..., User]:
    """A dependency that admits only users whose role grants ``permission`` (refusals audited)."""

    def checker(request: Request, user: CurrentUser, db: Db) -> User:
        if not can(user, permission):
            actor, path = actor_for(user, client_ip(request)), request.url.path
            raise PermissionDenied(f"your role ({user.role.value}) does not allow this "
                                   f"({permission.value})").keeping(lambda s: record(
                s, actor=actor, action="access.denied", object_type="permission",
                object_id=permission.value, outcome="denied", detail={"path": path}))
        return user

    return checker


async def check_csrf(request: Request, user: OptionalUser) -> None:
    """Refuse a state-changing request whose CSRF token does not match this session.

    Bearer-token API calls are exempt: a browser never attaches that header on its own.
    """
    if request.method in ("GET", "HEAD", "OPTIONS") or _bearer(request):
        return
    supplied = request.headers.get(csrf.HEADER, "")
    if not supplied and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        supplied = str(form.get(csrf.FIELD, ""))
    if not csrf.is_valid(request, request.app.state.settings.secret_key, supplied):
        raise CsrfFailed("form expired")


def current_credential(request: Request) -> Current:
    """The session or token making this request (kept when 'every other' one is ended)."""
    web: WebSession | None = getattr(request.state, "web_session", None)
    return Current(session_id=web.id if web is not None else None,
                   token_id=getattr(request.state, "api_token_id", None))


def system_actor(request: Request, user: User | None) -> Actor:
    """The audit actor for this request."""
    if user is None:
        return Actor(None, "anonymous", None, client_ip(request))
    return actor_for(user, client_ip(request))


def get_ctx(request: Request, db: Db, user: CurrentUser) -> Ctx:
    """The unit of work for a signed-in user's request: session, actor, keys, user."""
    return Ctx(session=db, actor=actor_for(user, client_ip(request)),
               keyring=request.app.state.keyring, user=user)


#: Handlers that work on cases take ``ctx: CtxDep``.
CtxDep = Annotated[Ctx, Depends(get_ctx)]
