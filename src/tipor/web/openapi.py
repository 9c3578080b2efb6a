"""The API's OpenAPI document and its Swagger UI, for signed-in users only.

Every operation documents each error status it can answer, all with one ``Error`` schema,
derived from what the route depends on (so a new route is documented without extra work):

    any operation              422 (bad parameters, NUL characters, out-of-range integers)
    a request body             400 (unreadable body), 413 (body above the limit)
    signed-in user required    401, 403 (role or CSRF), 404, 409 (stale version, duplicate,
                               failed integrity check), 503 (database busy or down)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from tipor.fields import MAX_INT
from tipor.web.deps import CurrentUser, current_user
from tipor.web.inputs import MIN_INT
from tipor.web.templating import render

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "the kind of error, e.g. ValidationFailed"},
        "message": {"type": "string", "description": "what is wrong and how to fix it"},
        "problems": {"type": "array", "items": {
            "type": "object", "properties": {"field": {"type": "string"},
                                             "message": {"type": "string"}}}},
        "conflict": {"type": "object", "description": "current and submitted values (409)"},
        "valid": {"type": "array", "items": {"type": "string"}},
        "limit": {"type": "integer", "description": "the body limit in bytes (413)"},
    },
}
DESCRIPTIONS = {
    400: "The body could not be read (malformed multipart or encoding).",
    401: "Not signed in: send `Authorization: Bearer <token>` or a session cookie.",
    403: "Your role or agency does not allow this, or the CSRF token is missing or stale.",
    404: "The object does not exist, or you may not know that it does.",
    409: "A stale version (both values returned), a duplicate, or a failed integrity check.",
    413: "The request body is larger than the limit for this route.",
    422: "The input does not fit; `problems` names each field.",
    429: "Too many attempts; wait for `Retry-After` seconds.",
    503: "The database is busy or unreachable; nothing was saved, retry after `Retry-After`.",
}
AUTHENTICATED = (401, 403, 404, 409, 503)
WITH_BODY = (400, 413)


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def error_statuses(route: APIRoute | RouteContext) -> list[int]:
    """The error statuses ``route`` can answer, by what it depends on."""
    statuses = {422}
    if current_user in set(_calls(route.dependant)):
        statuses.update(AUTHENTICATED)
    if route.body_field is not None:
        statuses.update(WITH_BODY)
    return sorted(statuses)


def _document(operation: dict[str, Any], statuses: list[int]) -> None:
    responses = operation.setdefault("responses", {})
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    # a route may declare more (e.g. 429) in its own ``responses``: those get the schema too
    declared = {int(s) for s in responses if str(s).isdigit() and int(s) in DESCRIPTIONS}
    for status in sorted(set(statuses) | declared):
        entry = responses.setdefault(str(status), {})
        entry.setdefault("description", DESCRIPTIONS[status])
        entry["content"] = content
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        for option in [schema, *schema.get("anyOf", [])]:
            if option.get("type") == "integer":  # the range inputs.guard_inputs enforces
                option["maximum"] = min(option.get("maximum", MAX_INT), MAX_INT)
                option["minimum"] = max(option.get("minimum", MIN_INT), MIN_INT)


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document with every error status documented (built once, then cached)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes)
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    # included routers are resolved lazily: their routes are reached through route contexts
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        path = schema["paths"].get(route.path_format or "", {})
        for method in route.methods or ():
            if method.lower() in path:
                _document(path[method.lower()], error_statuses(route))
    app.openapi_schema = schema
    return schema


def docs_router(app: FastAPI) -> APIRouter:
    """The OpenAPI document and Swagger UI, both behind sign-in."""
    router = APIRouter(include_in_schema=False)

    @router.get("/api/v1/openapi.json")
    def openapi_json(user: CurrentUser) -> JSONResponse:
        return JSONResponse(build_openapi(app))

    @router.get("/api/docs")
    def api_docs(request: Request, user: CurrentUser) -> HTMLResponse:
        return render(request, "api_docs.html")

    return router


def install(app: FastAPI) -> None:
    """Serve the documentation to signed-in users; ``app.openapi()`` gives the full document."""
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    app.include_router(docs_router(app))
