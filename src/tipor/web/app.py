"""The application factory: settings in, a configured FastAPI app out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources

from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from tipor import __version__
from tipor.law.service import check_law_data
from tipor.security.crypto import Keyring
from tipor.settings import Settings, get_settings
from tipor.web import csrf, errors
from tipor.web.routers import include_all
from tipor.web.templating import build_templates

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; font-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'"
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web app; refuses unsafe settings in production mode."""
    settings = settings or get_settings()
    settings.check()
    check_law_data()  # refuse to start on invalid jurisdiction data (names file, rule, fix)
    app = FastAPI(
        title="tipor API", version=__version__, docs_url=None, redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        description="Case intelligence and referral against trafficking for organ removal. "
        "Authenticate with a personal token (`Authorization: Bearer …`) or a browser session "
        "(state-changing calls then need the `X-CSRF-Token` header).",
    )
    app.state.settings = settings
    app.state.keyring = Keyring.from_settings(settings.data_keys, settings.blind_index_key)
    app.state.templates = build_templates()
    _mount_static(app)
    errors.install(app)
    include_all(app)
    app.middleware("http")(_headers_and_cookies)
    return app


def _mount_static(app: FastAPI) -> None:
    import swagger_ui_bundle

    # the more specific mount first: Starlette matches mounts in order
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
              name="swagger")
    static = resources.files("tipor.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json", title="tipor API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )


async def _headers_and_cookies(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if not request.url.path.startswith("/static"):
        response.headers.setdefault("Cache-Control", "no-store")
    new_pre = getattr(request.state, "new_pre", "")
    if new_pre and not request.cookies.get(csrf.PRE_COOKIE):
        settings: Settings = request.app.state.settings
        response.set_cookie(csrf.PRE_COOKIE, new_pre, httponly=True, samesite="strict",
                            secure=settings.cookie_secure, path="/")
    return response
