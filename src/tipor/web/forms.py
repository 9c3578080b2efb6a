"""Turn submitted forms into validated pydantic models, with messages naming each field."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from tipor.exceptions import ValidationFailed
from tipor.web.csrf import FIELD
from tipor.web.inputs import error_message, request_lang

M = TypeVar("M", bound=BaseModel)
#: The language of the form being parsed; set per request by ``form_dict``, read by ``parse``.
_FORM_LANG: ContextVar[str] = ContextVar("tipor_form_lang", default="en")


async def form_dict(request: Request) -> dict[str, str]:
    """The submitted fields as text, without the CSRF token; empty fields become absent."""
    _FORM_LANG.set(request_lang(request))
    form = await request.form()
    return {k: str(v).strip() for k, v in form.items() if k != FIELD and str(v).strip() != ""}


def parse(model: type[M], data: dict[str, object]) -> M:
    """Validate ``data`` into ``model``, or ValidationFailed listing every bad field.

    Forms submit text, so the API's strict scalar types are relaxed here (``"3"`` is 3).
    """
    try:
        return model.model_validate(data, strict=False)
    except PydanticValidationError as exc:
        lang = _FORM_LANG.get()
        problems = [(".".join(str(p) for p in err["loc"]) or "form",
                     error_message(dict(err), lang)) for err in exc.errors()]
        raise ValidationFailed(
            "please correct: " + "; ".join(f"{f}: {m}" for f, m in problems), problems
        ) from None


#: The submitted form as a dict, parsed before a (synchronous) handler runs.
FormData = Annotated[dict[str, str], Depends(form_dict)]
