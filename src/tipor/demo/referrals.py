"""Demo referrals in every status, with consents, an audited override and an aftercare plan.

Built through the real services, acting as the demo users of each side, with dates set in
the past where a status needs history (so some follow-ups are overdue today, as in real work).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tipor.accounts.auth import actor_for
from tipor.accounts.models import User
from tipor.cases.access import CaseView, view_case
from tipor.cases.models import Party
from tipor.context import Ctx
from tipor.referrals import consent, lifecycle, service, support
from tipor.referrals.models import ConsentPurpose, ReferralStatus, Service
from tipor.referrals.schemas import ConsentCreate, ReferralCreate
from tipor.security.crypto import Keyring
from tipor.security.permissions import Section

S = ReferralStatus
#: The steps from "proposed" to each status: (status, which side moves it).
PATHS: dict[S, list[tuple[S, str]]] = {
    S.PROPOSED: [],
    S.ACCEPTED: [(S.ACCEPTED, "receiver")],
    S.DECLINED: [(S.DECLINED, "receiver")],
    S.IN_PROGRESS: [(S.ACCEPTED, "receiver"), (S.IN_PROGRESS, "receiver")],
    S.COMPLETED: [(S.ACCEPTED, "receiver"), (S.IN_PROGRESS, "receiver"),
                  (S.COMPLETED, "receiver")],
    S.CLOSED: [(S.ACCEPTED, "receiver"), (S.CLOSED, "sender")],
}


#: Statuses given to the demo referrals in turn, so that every status appears.
ORDER = [S.PROPOSED, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.DECLINED, S.CLOSED]


@dataclass(frozen=True)
class Sides:
    """Who sends and who receives, with the receiving agency's id."""

    sender: User
    receiver: User
    service: Service
    sections: tuple[Section, ...]


def _ctx(session: Session, user: User, keyring: Keyring) -> Ctx:
    return Ctx(session=session, actor=actor_for(user), keyring=keyring, user=user)


def refer_demo_case(session: Session, keyring: Keyring, case_id: int, sides: Sides,
                    status: S, today: dt.date, *, with_consent: bool = True) -> None:
    """Refer the case's presumed victim and walk the referral to ``status``."""
    sender = _ctx(session, sides.sender, keyring)
    view = view_case(sender, case_id)
    victim = session.execute(select(Party).where(Party.case_id == case_id)
                             .order_by(Party.id)).scalars().first()
    assert victim is not None
    started = today - dt.timedelta(days=40)
    if with_consent:
        _consents(sender, view, victim.id, sides)
    reason = "" if with_consent else ("Immediate danger to the person; consent could not be "
                                      "obtained safely at the checkpoint (demo override).")
    referral = service.create_referral(sender, view, ReferralCreate(
        party_id=victim.id, service=sides.service, to_agency_id=sides.receiver.agency_id,
        sections=list(sides.sections), follow_up=started + dt.timedelta(days=14),
        reason="Fictional demo referral", consent_override=reason), today=started)
    day = started
    for to, side in PATHS[status]:
        day += dt.timedelta(days=7)
        actor = _ctx(session, sides.receiver if side == "receiver" else sides.sender, keyring)
        lifecycle.transition(actor, view_case(actor, case_id), referral.id, to=to,
                             note=f"demo: {to.value}", follow_up=day + dt.timedelta(days=14),
                             version=referral.version, today=day)
    if status == S.IN_PROGRESS and Section.MEDICAL in sides.sections:
        clinician = _ctx(session, sides.receiver, keyring)
        support.create_aftercare_plan(clinician, view_case(clinician, case_id), victim.id,
                                      started + dt.timedelta(days=3), referral.id, today=today)


def _consents(ctx: Ctx, view: CaseView, party_id: int, sides: Sides) -> None:
    consent.record_consent(ctx, view, ConsentCreate(
        party_id=party_id, purpose=ConsentPurpose.SHARE_WITH_AGENCY,
        agency_id=sides.receiver.agency_id, method="verbal", note="demo: explained in Urdu"))
    consent.record_consent(ctx, view, ConsentCreate(
        party_id=party_id, purpose=ConsentPurpose.REFER_TO_SERVICE, service=sides.service,
        method="verbal"))



def seed_referrals(session: Session, keyring: Keyring, case_ids: list[int],
                   users: dict[str, User], today: dt.date) -> None:
    """Refer each demo case, walking the referrals through every status in turn.

    NGO cases go to the health authority for a medical examination (medical and identity
    sections); helpline and police cases go to the NGO for shelter (identity, contact, notes);
    the first police referral is made without consent, with an audited override.
    """
    shelter = (Section.IDENTITY, Section.CONTACT, Section.NOTES)
    medical_order = [S.IN_PROGRESS, S.COMPLETED, S.PROPOSED, S.ACCEPTED]
    counts = {"medical": 0, "shelter": 0}
    for index, case_id in enumerate(case_ids):
        owner = users[("investigator", "caseworker", "helpline")[index % 3]]
        if owner.username == "caseworker":
            sides = Sides(owner, users["clinician"], Service.medical_examination,
                          (Section.IDENTITY, Section.MEDICAL))
            status = medical_order[counts["medical"] % len(medical_order)]
            counts["medical"] += 1
        else:
            sides = Sides(owner, users["caseworker"], Service.shelter, shelter)
            status = ORDER[counts["shelter"] % len(ORDER)]
            counts["shelter"] += 1
        refer_demo_case(session, keyring, case_id, sides, status, today,
                        with_consent=index != 0)
