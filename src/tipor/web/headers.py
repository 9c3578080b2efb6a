"""Response headers: security policy on every response, and safe download file names."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: No 'unsafe-inline' anywhere: every script and style sheet is a file under /static.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'"
)
#: Two years, as the HSTS preload list asks; sent only in production, where HTTPS is required.
HSTS = "max-age=63072000; includeSubDomains"

_UNSAFE_ASCII = re.compile(r'[^A-Za-z0-9 !#$&\'()+,\-.=@\[\]^_`{}~]')
# RFC 5987 attr-char: what may appear unescaped in filename*=UTF-8''…
_ATTR_CHARS = "!#$&+-.^_`|~"


def ascii_fallback(filename: str, default: str = "download") -> str:
    """An ASCII-only stand-in for ``filename`` (accents dropped, other letters replaced)."""
    decomposed = unicodedata.normalize("NFKD", filename)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _UNSAFE_ASCII.sub("_", plain).strip(" .")
    stem, dot, ext = plain.rpartition(".")
    if not (stem if dot else plain).strip("_ "):
        # nothing readable survived (an Urdu or Arabic name): keep at least the extension
        return f"{default}.{ext}" if dot and ext.strip("_") else default
    return plain[:150]


def attachment(filename: str) -> str:
    """A Content-Disposition value for any file name (RFC 6266 with RFC 5987 ``filename*``)."""
    cleaned = "".join(c for c in filename if unicodedata.category(c)[0] != "C").strip()
    fallback = ascii_fallback(cleaned)
    value = f'attachment; filename="{fallback}"'
    if cleaned and cleaned != fallback:
        value += f"; filename*=UTF-8''{quote(cleaned, safe=_ATTR_CHARS)}"
    return value


class SecurityHeaders:
    """Adds the security headers to every HTTP response, and no-store outside /static."""

    def __init__(self, app: ASGIApp, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap ``send`` so the headers are added as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(MutableHeaders(scope=message), static)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _add(self, headers: MutableHeaders, static: bool) -> None:
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if self.production:
            headers.setdefault("Strict-Transport-Security", HSTS)
        if not static:
            # pages and API answers carry identity data: never keep them in any cache
            headers["Cache-Control"] = "no-store"
            headers.setdefault("Pragma", "no-cache")


class PreSessionCookie:
    """Sets the pre-session CSRF cookie when a page minted one (``request.state.new_pre``).

    Plain ASGI rather than an ``http`` middleware: those run the app in a task group, which
    wraps a BodyTooLarge raised while reading the body in an ExceptionGroup (a 400, not 413).
    """

    def __init__(self, app: ASGIApp, cookie: str, secure: bool) -> None:
        self.app = app
        self.cookie = cookie
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the Set-Cookie header as the response starts, unless the browser has one."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(scope, MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _add(self, scope: Scope, headers: MutableHeaders) -> None:
        new_pre = scope.get("state", {}).get("new_pre", "")
        sent = MutableHeaders(scope=scope).get("cookie", "")
        if not new_pre or cookie_parser(sent).get(self.cookie):
            return
        carrier = Response()
        carrier.set_cookie(self.cookie, new_pre, httponly=True, samesite="strict",
                           secure=self.secure, path="/")
        headers.append("set-cookie", carrier.headers["set-cookie"])
