"""Who sees which case, and which of its sections.

A case is visible to its owning agency, section by section as the role allows. Another
agency sees a case only through a referral addressed to it: while the referral is proposed it
sees the summary (to accept or decline); while accepted or in progress, the sections the
referral grants (never more than its role allows); when the referral ends, nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select

from tipor.accounts.models import Role, User
from tipor.cases.models import Case
from tipor.context import Ctx
from tipor.exceptions import NotFound, PermissionDenied
from tipor.referrals.models import Referral, ReferralStatus
from tipor.security.permissions import ROLE_SECTIONS, Permission, Section, can

LIVE = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
OPEN = (ReferralStatus.PROPOSED, *LIVE)


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
    referrals = ctx.session.execute(select(Referral).where(
        Referral.case_id == case_id, Referral.to_agency_id == user.agency_id,
        Referral.status.in_(OPEN))).scalars().all()
    if not referrals:
        raise NotFound(f"case {case_id} does not exist or is not visible to you")
    granted = frozenset(Section(s) for r in referrals if r.status in LIVE for s in r.sections)
    return CaseView(case, False, _role_sections(user.role, "read") & granted,
                    _role_sections(user.role, "write") & granted,
                    tuple(r.id for r in referrals), False)


def visible_condition(user: User) -> ColumnElement[bool]:
    """A WHERE clause selecting the cases this user may open."""
    referred = select(Referral.case_id).where(
        Referral.to_agency_id == user.agency_id, Referral.status.in_(OPEN))
    return or_(Case.agency_id == user.agency_id, Case.id.in_(referred))
