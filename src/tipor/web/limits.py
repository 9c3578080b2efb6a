"""Request body limits, enforced before anything parses the body.

A declared ``Content-Length`` above the limit is refused on the first read, before a single byte
is taken from the client; a streamed (chunked) body is counted as it arrives and refused as soon
as it passes the limit, so memory never holds more than the limit. Evidence uploads and case
bundle imports get their own, larger limit.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Routes that carry files: the evidence upload (page and API) and the case-bundle import.
UPLOAD_PATHS = re.compile(r"^(/api/v1)?/cases/[^/]+/evidence/?$|^/api/v1/cases/import/?$")
MIB = 1024 * 1024


class BodyTooLarge(HTTPException):
    """The request body is above the limit for its route (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"the request body is larger than {mib(limit)}")
        self.limit = limit


def mib(size: int) -> str:
    """A byte count for people: '100 MiB', '1.5 MiB', '16 KiB', '900 bytes'."""
    for unit, scale in (("MiB", MIB), ("KiB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def declared_length(scope: Scope) -> int | None:
    """The Content-Length header as a number, or None when absent or unreadable."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """ASGI middleware: refuse bodies above ``max_body`` (``max_upload`` on upload routes)."""

    def __init__(self, app: ASGIApp, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    def limit_for(self, path: str) -> int:
        """The body limit that applies to ``path``."""
        return self.max_upload if UPLOAD_PATHS.match(path) else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand the app a ``receive`` that counts bytes and raises BodyTooLarge past the limit."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(str(scope.get("path", "")))
        declared = declared_length(scope)
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit)  # refused before reading anything from the client
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        # BodyTooLarge is an HTTPException, which FastAPI re-raises while reading a body: the
        # app's handler answers 413 in the usual shape (JSON under /api, a page elsewhere).
        # Nothing between here and the app may run it in a task group (an ExceptionGroup
        # would turn the 413 into a 400): hence plain ASGI middleware only.
        await self.app(scope, limited, send)
