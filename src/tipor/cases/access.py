"""Who sees which case, and which of its sections.

A case is visible to its owning agency, section by section as the role allows. Another
agency sees a case only through a grant: the referrals package supplies them (a referral
addressed to the agency; see ``tipor/referrals/grants.py``). While a grant is pending the
agency sees the summary (to accept or decline); while it is live, the sections it grants
(never more than the user's role allows); when it ends, nothing.

The case file does not import the packages that grant access (they sit above it): they
register a :class:`GrantProvider` here. The registry fails closed: with no provider
registered, no other agency sees any case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import ColumnElement, Select, or_
from sqlalchemy.orm import Session

from tipor.accounts.models import Role, User
from tipor.cases.models import Case
from tipor.context import Ctx
from tipor.exceptions import NotFound, PermissionDenied
from tipor.security.permissions import ROLE_SECTIONS, Permission, Section, can


@dataclass(frozen=True)
class Grant:
    """One reason another agency may open a case (for instance one referral)."""

    referral_id: int
    live: bool  # False: pending, the summary only; True: the sections below
    sections: frozenset[Section]


class GrantProvider(Protocol):
    """What a package that lets other agencies into a case supplies."""

    def grants(self, session: Session, case_id: int, agency_id: int) -> Sequence[Grant]:
        """The open grants of this case to this agency (none: the case is hidden)."""

    def granted_case_ids(self, agency_id: int) -> Select[int]:
        """A SELECT of the ids of the cases with an open grant to this agency."""


_PROVIDERS: list[GrantProvider] = []


def register_grants(provider: GrantProvider) -> None:
    """Let ``provider``'s grants open cases to other agencies (registering twice is a no-op)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def unregister_grants(provider: GrantProvider) -> None:
    """Withdraw a provider (tests use it to check that access fails closed)."""
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def grant_providers() -> tuple[GrantProvider, ...]:
    """The providers registered so far."""
    return tuple(_PROVIDERS)


@dataclass(frozen=True)
class CaseView:
    """A case as one user may see it."""

    case: Case
    owner: bool
    read: frozenset[Section]
    write: frozenset[Section]
    referral_ids: tuple[int, ...]
    manage: bool  # may edit the case header and move its status

    def can(self, section: Section, action: str = "read") -> bool:
        """Whether this user may read (or write) a section of this case."""
        return section in (self.write if action == "write" else self.read)

    def require(self, section: Section, action: str = "read") -> None:
        """PermissionDenied unless :meth:`can`."""
        if not self.can(section, action):
            raise PermissionDenied(f"you may not {action} the {section.value} section of this case")


def _role_sections(role: Role, action: str) -> frozenset[Section]:
    return frozenset(s for s, acts in ROLE_SECTIONS[role].items() if action in acts)


def view_case(ctx: Ctx, case_id: int) -> CaseView:
    """The case with this user's rights, or NotFound (also when it exists but is hidden)."""
    user = ctx.require_user()
    case = ctx.session.get(Case, case_id)
    if case is None or not can(user, Permission.CASES_READ):
        raise NotFound(f"case {case_id} does not exist or is not visible to you")
    if case.agency_id == user.agency_id:
        manage = can(user, Permission.CASES_CREATE) or user.role == Role.PROSECUTOR
        return CaseView(case, True, _role_sections(user.role, "read"),
                        _role_sections(user.role, "write"), (), manage)
    grants = [g for p in _PROVIDERS for g in p.grants(ctx.session, case_id, user.agency_id)]
    if not grants:
        raise NotFound(f"case {case_id} does not exist or is not visible to you")
    granted = frozenset(s for g in grants if g.live for s in g.sections)
    return CaseView(case, False, _role_sections(user.role, "read") & granted,
                    _role_sections(user.role, "write") & granted,
                    tuple(g.referral_id for g in grants), False)


def visible_condition(user: User) -> ColumnElement[bool]:
    """A WHERE clause selecting the cases this user may open."""
    granted = [Case.id.in_(p.granted_case_ids(user.agency_id)) for p in _PROVIDERS]
    return or_(Case.agency_id == user.agency_id, *granted)
