"""Database contention over HTTP: re-run a request a few times, then answer 503 + Retry-After.

Admission: at most ¾ of min(worker threads, pooled connections) requests run at once (8 on
SQLite, whose single write lock serialises every transaction anyway); static files bypass it.
Without that bound, a request holding SQLite's write lock (or a PostgreSQL row lock) could wait
for a thread while every thread waits for that lock: every request then times out together.
Requests beyond the bound wait here, cheaply, for up to ADMISSION_WAIT seconds, then get 503.

A request whose transaction hit a lock, pool, deadlock or serialization failure was rolled back
whole (``web.deps.get_db``), so running it again is safe as long as nothing of it was committed
earlier and its body can be replayed. The handler marks such 503 answers with an internal
header; the middleware swallows them and re-runs the request, and only the last attempt's 503
(without the marker) reaches the client. The connection stays open: no 500, no dropped socket.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tipor.db import is_sqlite, translate_error
from tipor.exceptions import Unavailable
from tipor.web.templating import render

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

RETRY_HEADER = b"x-tipor-retryable"
ATTEMPTS = 4
ADMISSION_WAIT = 30.0
SQLITE_IN_FLIGHT = 8
QUEUE_FULL = ("the server is busy: too many requests are waiting for the database; nothing was "
              "saved, try again in a moment")
MAX_REPLAY_BYTES = 1 << 20  # larger bodies (evidence uploads) are not buffered, only answered 503


async def unavailable_error(request: Request, exc: Exception) -> Response:
    """503 with Retry-After, as JSON under /api and as a page elsewhere."""
    assert isinstance(exc, Unavailable)
    headers = {"Retry-After": str(exc.retry_after)}
    if exc.retryable:
        headers[RETRY_HEADER.decode()] = "1"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "Unavailable", "message": exc.message,
                             "retry_after": exc.retry_after}, status_code=503, headers=headers)
    page = render(request, "error.html", {"message_key": "error.busy", "message": exc.message},
                  status_code=503)
    page.headers.update(headers)
    return page


class _Replay:
    """Records the request body as it is read so a second attempt can read it again."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self.messages: list[Message] = []
        self.size = 0
        self.replayable = True

    def receiver(self) -> Receive:
        """A receive callable for one attempt: recorded messages first, then the socket."""
        index = 0

        async def receive() -> Message:
            nonlocal index
            if index < len(self.messages):
                index += 1
                return self.messages[index - 1]
            message = await self._receive()
            if message["type"] == "http.request" and self.replayable:
                self.size += len(message.get("body", b""))
                self.replayable = self.size <= MAX_REPLAY_BYTES
                self.messages.append(message)
                index += 1
            return message

        return receive


class RetryTransient:
    """ASGI middleware: re-run requests answered with a retryable 503, with jittered backoff."""

    def __init__(self, app: ASGIApp, attempts: int = ATTEMPTS) -> None:
        self.app = app
        self.attempts = attempts
        self._gate: anyio.Semaphore | None = None

    def _admission(self, scope: MutableMapping[str, Any]) -> anyio.Semaphore:
        if self._gate is None:
            settings = scope["app"].state.settings
            threads = int(anyio.to_thread.current_default_thread_limiter().total_tokens)
            pooled = settings.db_pool_size + settings.db_max_overflow
            # a request may open a second session; keep headroom in threads and connections
            limit = max(1, min(threads, pooled) * 3 // 4)
            if is_sqlite(settings.db_url):
                # every SQLite transaction takes the one write lock: more requests in flight
                # only poll for it (burning CPU) and none finishes sooner
                limit = min(limit, SQLITE_IN_FLIGHT)
            self._gate = anyio.Semaphore(limit)
        return self._gate

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        """Run the request; on a retryable 503 or transient error, run it again."""
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)  # static files never touch the database
            return
        gate, replay = self._admission(scope), _Replay(receive)
        for attempt in range(1, self.attempts + 1):
            with anyio.move_on_after(ADMISSION_WAIT) as waited:
                await gate.acquire()
            if waited.cancelled_caught:
                await _busy(scope, replay, send, QUEUE_FULL)
                return
            try:
                done = await self._attempt(scope, replay, send, final=attempt == self.attempts)
            finally:
                gate.release()
            if done:
                return
            await anyio.sleep(0.02 * 2 ** attempt * random.uniform(0.5, 1.5))  # noqa: S311

    async def _attempt(self, scope: MutableMapping[str, Any], replay: _Replay, send: Send,
                       *, final: bool) -> bool:
        state = {"swallow": False, "started": False}

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                marked = any(k.lower() == RETRY_HEADER for k, _ in headers)
                if marked and not final and replay.replayable:
                    state["swallow"] = True
                    return
                message = {**message, "headers": [(k, v) for k, v in headers
                                                  if k.lower() != RETRY_HEADER]}
                state["started"] = True
            if not state["swallow"]:
                await send(message)

        try:
            await self.app(scope, replay.receiver(), guarded)
        except Exception as exc:
            # A transient failure that escaped the request's unit of work (outside get_db).
            translated = translate_error(exc)
            if state["started"] or not isinstance(translated, Unavailable):
                raise
            if not final and replay.replayable:
                return False
            await _busy(scope, replay, send, translated.message)
        return not state["swallow"]


async def _busy(scope: MutableMapping[str, Any], replay: _Replay, send: Send, message: str) -> None:
    response = await unavailable_error(Request(scope), Unavailable(message, retryable=False))
    await response(scope, replay.receiver(), send)


def install(app: FastAPI) -> None:
    """Register the 503 handler and the retry middleware (innermost of the app's middleware)."""
    app.add_exception_handler(Unavailable, unavailable_error)
    app.add_middleware(RetryTransient)
