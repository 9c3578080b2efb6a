"""The application factory: settings in, a configured FastAPI app out."""

from __future__ import annotations

from importlib import resources

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from tipor import __version__
from tipor.law.service import check_law_data
from tipor.security.crypto import Keyring
from tipor.settings import Settings, get_settings
from tipor.web import csrf, errors, openapi
from tipor.web.headers import PreSessionCookie, SecurityHeaders
from tipor.web.inputs import guard_inputs
from tipor.web.limits import BodyLimit
from tipor.web.routers import include_all
from tipor.web.templating import build_templates


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web app; refuses unsafe settings in production mode."""
    settings = settings or get_settings()
    settings.check()
    check_law_data()  # refuse to start on invalid jurisdiction data (names file, rule, fix)
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
    # the last added runs first: headers wrap everything, the body limit wraps the app
    app.add_middleware(PreSessionCookie, cookie=csrf.PRE_COOKIE, secure=settings.cookie_secure)
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

