"""Jinja2 templates with the translation function, text direction and CSRF token."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from tipor.i18n import LANGUAGES, direction, translate
from tipor.security.permissions import Permission, can
from tipor.web.csrf import FIELD, expected_token


def build_templates() -> Jinja2Templates:
    """The template environment, loading from the package."""
    folder = str(resources.files("tipor.web") / "templates")
    templates = Jinja2Templates(directory=folder)
    templates.env.globals["LANGUAGES"] = LANGUAGES
    templates.env.globals["Permission"] = Permission
    templates.env.globals["CSRF_FIELD"] = FIELD
    return templates


def render(request: Request, name: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> HTMLResponse:
    """Render a page in the request's language and direction."""
    lang = getattr(request.state, "lang", "en")
    user = getattr(request.state, "user", None)
    settings = request.app.state.settings

    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    ctx: dict[str, Any] = {
        "request": request, "lang": lang, "dir": direction(lang), "t": t, "user": user,
        "csrf_token": expected_token(request, settings.secret_key),
        "can": (lambda perm: user is not None and can(user, perm)),
        "demo": settings.mode != "production",
    }
    ctx.update(context or {})
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
