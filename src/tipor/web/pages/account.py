"""The signed-in user's own account: language and personal API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from tipor.accounts import auth
from tipor.accounts.schemas import TokenCreate
from tipor.exceptions import ValidationFailed
from tipor.web.deps import CurrentUser, Db, check_csrf, system_actor
from tipor.web.forms import FormData, parse
from tipor.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/account")
def account(request: Request, user: CurrentUser) -> Response:
    return render(request, "account.html")


@router.post("/account/tokens", dependencies=[Depends(check_csrf)])
def create_token(request: Request, user: CurrentUser, db: Db, data: FormData) -> Response:
    try:
        body = parse(TokenCreate, dict(data))
    except ValidationFailed as exc:
        return render(request, "account.html", {"problems": exc.problems}, status_code=422)
    _row, plain = auth.create_token(db, user=user, name=body.name, days=body.days,
                                    actor=system_actor(request, user))
    return render(request, "account.html", {"new_token": plain}, status_code=201)
