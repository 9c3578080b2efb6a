"""CSRF tokens bound to the browser session (or, before login, to a pre-session cookie).

A token is an HMAC of the session's identity, so a form opened in another session (for
example before signing in again in a second tab) carries a token that no longer matches.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

SESSION_COOKIE = "tipor_session"
PRE_COOKIE = "tipor_pre"
FIELD = "csrf_token"
HEADER = "x-csrf-token"


def _mac(secret: str, label: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{label}:{value}".encode(), hashlib.sha256).hexdigest()


def expected_token(request: Request, secret: str) -> str:
    """The token forms on this page must carry."""
    session_token = request.cookies.get(SESSION_COOKIE, "")
    if session_token and getattr(request.state, "user", None) is not None:
        return _mac(secret, "session", hashlib.sha256(session_token.encode()).hexdigest())
    return _mac(secret, "pre", pre_value(request))


def pre_value(request: Request) -> str:
    """The pre-session value from the cookie, or a new one to set on the response."""
    value = request.cookies.get(PRE_COOKIE) or getattr(request.state, "new_pre", "")
    if not value:
        value = secrets.token_urlsafe(24)
        request.state.new_pre = value
    return value


def is_valid(request: Request, secret: str, supplied: str) -> bool:
    """Whether ``supplied`` matches the token for this request's session."""
    return bool(supplied) and hmac.compare_digest(supplied, expected_token(request, secret))
