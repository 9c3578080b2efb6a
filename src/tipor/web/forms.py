"""Turn submitted forms into validated pydantic models, with messages naming each field."""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from tipor.exceptions import ValidationFailed
from tipor.web.csrf import FIELD

M = TypeVar("M", bound=BaseModel)


async def form_dict(request: Request) -> dict[str, str]:
    """The submitted fields as text, without the CSRF token; empty fields become absent."""
    form = await request.form()
    return {k: str(v).strip() for k, v in form.items() if k != FIELD and str(v).strip() != ""}


def parse(model: type[M], data: dict[str, object]) -> M:
    """Validate ``data`` into ``model``, or ValidationFailed listing every bad field."""
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        problems = [(".".join(str(p) for p in err["loc"]) or "form", err["msg"])
                    for err in exc.errors()]
        raise ValidationFailed(
            "please correct: " + "; ".join(f"{f}: {m}" for f, m in problems), problems
        ) from None


#: The submitted form as a dict, parsed before a (synchronous) handler runs.
FormData = Annotated[dict[str, str], Depends(form_dict)]
