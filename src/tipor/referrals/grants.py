"""Referrals as the case file's grants: a referral addressed to an agency opens the case to it.

Registered with :mod:`tipor.cases.access` when the referrals package is imported
(``tipor/referrals/__init__.py``), so the case file never imports referrals.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tipor.cases.access import Grant, register_grants
from tipor.referrals.lifecycle import LIVE, OPEN
from tipor.referrals.models import Referral
from tipor.security.permissions import Section


class ReferralGrants:
    """Open referrals to an agency: proposed shows the summary, live ones their sections."""

    def grants(self, session: Session, case_id: int, agency_id: int) -> Sequence[Grant]:
        """One grant per open referral of this case to this agency."""
        rows = session.execute(select(Referral).where(
            Referral.case_id == case_id, Referral.to_agency_id == agency_id,
            Referral.status.in_(OPEN))).scalars().all()
        return [Grant(r.id, r.status in LIVE, frozenset(Section(s) for s in r.sections))
                for r in rows]

    def granted_case_ids(self, agency_id: int) -> Select[int]:
        """Cases with an open referral to this agency."""
        return select(Referral.case_id).where(
            Referral.to_agency_id == agency_id, Referral.status.in_(OPEN))


PROVIDER = ReferralGrants()


def register() -> None:
    """Let referrals open cases to the agencies they are addressed to."""
    register_grants(PROVIDER)
