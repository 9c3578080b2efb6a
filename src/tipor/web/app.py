"""The application factory: settings in, a configured FastAPI app out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources

from fastapi import Depends, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from tipor import __version__
from tipor.security.crypto import Keyring
from tipor.settings import Settings, get_settings
from tipor.web import csrf, errors, openapi
from tipor.web.headers import SecurityHeaders
from tipor.web.inputs import guard_inputs
from tipor.web.limits import BodyLimit
from tipor.web.routers import include_all
from tipor.web.templating import build_templates


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web app; refuses unsafe settings in production mode."""
    settings = settings or get_settings()
    settings.check()
    app = FastAPI(
        title="tipor API", version=__version__, docs_url=None, redoc_url=None,
        openapi_url=None, dependencies=[Depends(guard_inputs)],
        description="Case intelligence and referral against trafficking for organ removal. "
        "Authenticate with a personal token (`Authorization: Bearer …`) or a browser session "
        "(state-changing calls then need the `X-CSRF-Token` header). Request bodies are "
        f"limited to {settings.max_body_bytes} bytes ({settings.max_upload_bytes} for evidence "
        "uploads and case imports); larger ones are refused with 413.",
    )
    app.state.settings = settings
    app.state.keyring = Keyring.from_settings(settings.data_keys, settings.blind_index_key)
    app.state.templates = build_templates()
    _mount_static(app)
    errors.install(app)
    openapi.install(app)
    include_all(app)
    app.middleware("http")(_pre_session_cookie)
    # the last added runs first: headers wrap everything, the body limit wraps the app
    app.add_middleware(BodyLimit, max_body=settings.max_body_bytes,
                       max_upload=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders, production=settings.mode == "production")
    return app


def _mount_static(app: FastAPI) -> None:
    import swagger_ui_bundle

    # the more specific mount first: Starlette matches mounts in order
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
              name="swagger")
    static = resources.files("tipor.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")


async def _pre_session_cookie(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    new_pre = getattr(request.state, "new_pre", "")
    if new_pre and not request.cookies.get(csrf.PRE_COOKIE):
        settings: Settings = request.app.state.settings
        response.set_cookie(csrf.PRE_COOKIE, new_pre, httponly=True, samesite="strict",
                            secure=settings.cookie_secure, path="/")
    return response
