"""Who am I, and what may I do."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from tipor.accounts.schemas import UserRead
from tipor.security.permissions import ROLE_SECTIONS, permissions_of
from tipor.web.deps import CurrentUser

router = APIRouter(tags=["me"])


class Me(BaseModel):
    """The signed-in user with their permissions."""

    user: UserRead
    agency_name: str
    permissions: list[str]
    sections: dict[str, list[str]]


@router.get("/me", operation_id="me-read")
def me(user: CurrentUser) -> Me:
    """The signed-in user, their agency and what their role allows."""
    return Me(
        user=UserRead.model_validate(user), agency_name=user.agency.name,
        permissions=permissions_of(user.role),
        sections={s.value: sorted(a) for s, a in ROLE_SECTIONS[user.role].items()},
    )
