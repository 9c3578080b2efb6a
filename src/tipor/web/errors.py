"""Map tipor's exceptions to HTTP: JSON under /api, pages elsewhere. Never a traceback."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tipor.exceptions import (
    AuthenticationFailed,
    Conflict,
    IntegrityError,
    NotFound,
    PermissionDenied,
    Throttled,
    TiporError,
    UnknownValue,
    ValidationFailed,
)
from tipor.i18n import translate
from tipor.web import unavailable
from tipor.web.deps import CsrfFailed, LoginRequired, SecondFactorRequired
from tipor.web.inputs import error_message, request_lang
from tipor.web.limits import BodyTooLarge, mib
from tipor.web.templating import render

log = logging.getLogger("tipor.web")

STATUS: list[tuple[type[TiporError], int]] = [
    (CsrfFailed, 403), (LoginRequired, 401), (SecondFactorRequired, 401),
    (AuthenticationFailed, 401), (PermissionDenied, 403), (NotFound, 404), (Conflict, 409),
    (Throttled, 429), (UnknownValue, 422), (ValidationFailed, 422), (IntegrityError, 409),
]


def is_api(request: Request) -> bool:
    """Whether the request is for the JSON API (the API's documentation is a page)."""
    return request.url.path.startswith("/api/") and not request.url.path.startswith("/api/docs")


def _status(exc: TiporError) -> int:
    for kind, status in STATUS:
        if isinstance(exc, kind):
            return status
    return 400


def _plain(value: object) -> object:
    """``value`` as JSON-ready data; anything the encoder does not know becomes its text."""
    try:
        return jsonable_encoder(value)
    except (TypeError, ValueError):
        if isinstance(value, dict):
            return {str(k): _plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set):
            return [_plain(v) for v in value]
        return str(value)


def _payload(exc: TiporError) -> dict[str, Any]:
    body: dict[str, Any] = {"error": type(exc).__name__, "message": exc.message}
    if isinstance(exc, ValidationFailed) and exc.problems:
        body["problems"] = [{"field": path, "message": msg} for path, msg in exc.problems]
    if isinstance(exc, Conflict) and exc.fields:
        # dates, decimals and enums in the conflicting values must not turn a 409 into a 500
        body["conflict"] = _plain(exc.fields)
    if isinstance(exc, UnknownValue):
        body["valid"] = exc.valid
    return body


async def tipor_error(request: Request, exc: Exception) -> Response:
    """One place that turns a TiporError into a response."""
    assert isinstance(exc, TiporError)
    status = _status(exc)
    if is_api(request):
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
        return JSONResponse(_payload(exc), status_code=status, headers=headers)
    if isinstance(exc, SecondFactorRequired):
        return RedirectResponse("/login/enrol" if exc.enrol else "/login/totp", status_code=303)
    if isinstance(exc, LoginRequired):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    key = {CsrfFailed: "form.expired", PermissionDenied: "error.forbidden",
           NotFound: "error.not_found", Conflict: "error.conflict"}.get(type(exc))
    return render(request, "error.html", {"message_key": key, "message": exc.message,
                                          "problems": getattr(exc, "problems", [])},
                  status_code=status)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "body"


async def validation_error(request: Request, exc: Exception) -> Response:
    """FastAPI's request validation, reworded to name each field."""
    assert isinstance(exc, RequestValidationError)
    lang = request_lang(request)
    problems = [{"field": _field(tuple(e.get("loc", ()))), "message": error_message(e, lang)}
                for e in exc.errors()]
    message = "invalid input: " + "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    if is_api(request):
        return JSONResponse({"error": "ValidationFailed", "message": message,
                             "problems": problems}, status_code=422)
    return render(request, "error.html", {"message": message, "problems": [
        (p["field"], p["message"]) for p in problems]}, status_code=422)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's HTTP errors (404 for unknown routes, 405 …) in our shapes."""
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc, BodyTooLarge):
        return _too_large(request, exc)
    if is_api(request):
        return JSONResponse({"error": "HTTPError", "message": str(exc.detail)},
                            status_code=exc.status_code, headers=exc.headers)
    key = "error.not_found" if exc.status_code == 404 else None
    return render(request, "error.html", {"message_key": key, "message": str(exc.detail)},
                  status_code=exc.status_code)


def _too_large(request: Request, exc: BodyTooLarge) -> Response:
    message = translate("input.body_too_large", request_lang(request), limit=mib(exc.limit))
    if is_api(request):
        return JSONResponse({"error": "PayloadTooLarge", "message": message, "limit": exc.limit},
                            status_code=413, headers={"Connection": "close"})
    response = render(request, "error.html", {"message": message}, status_code=413)
    response.headers["Connection"] = "close"
    return response


async def database_error(request: Request, exc: Exception) -> Response:
    """A value the database cannot hold (422), or a database that is busy or down (503)."""
    unavailable = isinstance(exc, OperationalError)
    status, key = (503, "input.unavailable") if unavailable else (422, "input.out_of_range")
    log.warning("database refused %s %s: %s", request.method, request.url.path, exc)
    message = translate(key, request_lang(request))
    headers = {"Retry-After": "5"} if unavailable else None
    if is_api(request):
        kind = "ServiceUnavailable" if unavailable else "ValidationFailed"
        return JSONResponse({"error": kind, "message": message}, status_code=status,
                            headers=headers)
    response = render(request, "error.html", {"message": message}, status_code=status)
    response.headers.update(headers or {})
    return response


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """Anything unforeseen: logged with its traceback, shown as a short apology."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    message = "An unexpected error occurred. Nothing was saved. Please try again or tell your administrator."
    if is_api(request):
        return JSONResponse({"error": "InternalError", "message": message}, status_code=500)
    return render(request, "error.html", {"message": message}, status_code=500)


def install(app: FastAPI) -> None:
    """Register every handler on the app."""
    app.add_exception_handler(TiporError, tipor_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DataError, database_error)
    app.add_exception_handler(OperationalError, database_error)
    app.add_exception_handler(Exception, unexpected_error)
    unavailable.install(app)  # 503 + Retry-After for database contention, after retries
