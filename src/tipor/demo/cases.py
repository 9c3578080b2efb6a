"""Fictional demo cases, built through the real services so they are encrypted and audited.

The shapes follow the public patterns in the domain reference (recruitment with a job offer,
a guesthouse, a clinic without a transplant licence, promised versus paid sums), never real
people: every name is generated and starts with "Fictional".
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy.orm import Session

from tipor.accounts.auth import actor_for
from tipor.accounts.models import User
from tipor.cases import lifecycle, parties, service, timeline, work
from tipor.cases.access import CaseView, view_case
from tipor.cases.enums import (
    IDENTIFIER_SECTION,
    CaseStatus,
    EventKind,
    IdentifierKind,
    OrganisationKind,
    PartyRole,
    PaymentStatus,
    Sex,
    event_section,
)
from tipor.cases.read_models import known_indicator_ids
from tipor.cases.schemas import (
    CaseCreate,
    EventCreate,
    IdentifierCreate,
    ObservationSet,
    OrganisationCreate,
    PartyCreate,
    PaymentCreate,
    TaskCreate,
)
from tipor.context import Ctx
from tipor.demo.names import person_name, place_name
from tipor.security.crypto import Keyring
from tipor.security.permissions import Section

ROUTES = [("PK", "PK", "PKR"), ("NP", "IN", "INR"), ("BD", "IN", "INR"), ("IQ", "IQ", "IQD"),
          ("EG", "EG", "EGP"), ("AF", "AF", "AFN")]
VULNERABILITIES = ["debt", "unemployment", "irregular status", "illiteracy", "displacement",
                   "brick-kiln labour"]
PHONE_SAMPLES = {"PK": "0300 {n:07d}", "IN": "98{n:08d}", "NP": "984{n:07d}", "BD": "017{n:08d}",
                 "IQ": "0770 {n:07d}", "EG": "010 {n:08d}", "AF": "070 {n:07d}"}


def seed_cases(session: Session, *, owners: list[User], count: int, rng: random.Random,
               keyring: Keyring, today: dt.date) -> list[int]:
    """Create ``count`` fictional cases owned in turn by ``owners``; returns their ids."""
    ids = []
    for i in range(count):
        owner = owners[i % len(owners)]
        ctx = Ctx(session=session, actor=actor_for(owner), keyring=keyring, user=owner)
        ids.append(_one_case(ctx, rng, today, i))
    return ids


def _one_case(ctx: Ctx, rng: random.Random, today: dt.date, index: int) -> int:
    origin, operated, currency = rng.choice(ROUTES)
    town = place_name(rng)
    case = service.create_case(ctx, CaseCreate(
        title=f"Fictional case {index + 1}: kidney removal after job offer in {town}",
        summary="Synthetic demo case. A young person was promised work, taken to a guesthouse, "
                "tested and operated on in a clinic without a transplant licence.",
        jurisdictions=sorted({origin, operated})))
    view = view_case(ctx, case.id)
    victim = parties.add_party(ctx, view, PartyCreate(
        roles=[PartyRole.VICTIM], name=person_name(rng), age=rng.randint(17, 34),
        sex=rng.choice([Sex.MALE, Sex.MALE, Sex.FEMALE]), nationalities=[origin],
        vulnerabilities=rng.sample(VULNERABILITIES, 2)))
    broker = parties.add_party(ctx, view, PartyCreate(roles=[PartyRole.BROKER, PartyRole.RECRUITER],
                                                      name=person_name(rng), nationalities=[origin]))
    if view.can(IDENTIFIER_SECTION[IdentifierKind.PHONE], "write"):
        number = PHONE_SAMPLES[origin].format(n=rng.randint(1000000, 9999999))
        parties.add_identifier(ctx, view, IdentifierCreate(
            kind=IdentifierKind.PHONE, value=number, country=origin, party_id=broker.id))
    start = today - dt.timedelta(days=rng.randint(60, 700))
    if view.can(Section.LEGAL, "write"):
        _facts(ctx, view, rng, start, town, origin, operated, currency, victim.id, broker.id)
    _advance(ctx, view, index)
    if view.can(Section.NOTES, "write"):
        work.add_task(ctx, view, TaskCreate(title="Arrange medical examination (single kidney?)",
                                            owner_id=ctx.actor.user_id,
                                            due=today + dt.timedelta(days=rng.randint(-5, 20))))
    return case.id


#: Demo cases stand at different points of their lifecycle (index modulo the list length).
STAGES: list[list[tuple[CaseStatus, str]]] = [
    [],
    [(CaseStatus.SCREENING, "intake interview done")],
    [(CaseStatus.SCREENING, "intake interview done"),
     (CaseStatus.ASSESSMENT, "screening result high; assessing")],
    [(CaseStatus.SCREENING, "intake interview done"),
     (CaseStatus.ASSESSMENT, "screening result high; assessing"),
     (CaseStatus.INVESTIGATION, "medical examination confirms a single kidney")],
    [(CaseStatus.REFERRAL_ONLY, "the person wants support, not a complaint")],
]


def _advance(ctx: Ctx, view: CaseView, index: int) -> None:
    for status, reason in STAGES[index % len(STAGES)]:
        lifecycle.transition(ctx, view, to=status, reason=reason, version=view.case.version)


def _facts(ctx: Ctx, view: CaseView, rng: random.Random, start: dt.date, town: str, origin: str,
           operated: str, currency: str, victim: int, broker: int) -> None:
    clinic = parties.add_organisation(ctx, view, OrganisationCreate(
        name=f"Fictional {place_name(rng)} Care Clinic", kind=OrganisationKind.CLINIC,
        country=operated, licensed_for_transplant=False))
    steps = [(EventKind.RECRUITMENT, 0, town, origin), (EventKind.TRAVEL, 5, "", operated),
             (EventKind.LODGING, 6, "guesthouse", operated),
             (EventKind.HLA_TEST, 12, "laboratory", operated),
             (EventKind.SURGERY, 20, clinic.name, operated), (EventKind.RETURN, 27, town, origin)]
    for kind, offset, place, country in steps:
        if view.can(event_section(kind), "write"):
            timeline.add_event(ctx, view, EventCreate(
                kind=kind, date_from=start + dt.timedelta(days=offset), place=place,
                country=country, party_ids=[victim], organisation_id=clinic.id
                if kind == EventKind.SURGERY else None, approximate=offset == 0))
    if view.can(Section.FINANCIAL, "write"):
        promised = Decimal(rng.choice([300000, 400000, 500000]))
        timeline.add_payment(ctx, view, PaymentCreate(
            amount=promised, currency=currency, status=PaymentStatus.PROMISED,
            payer_party_id=broker, payee_party_id=victim, purpose="promised for a kidney"))
        timeline.add_payment(ctx, view, PaymentCreate(
            amount=(promised / 5).quantize(Decimal("1")), currency=currency,
            status=PaymentStatus.PAID, payer_party_id=broker, payee_party_id=victim,
            date=start + dt.timedelta(days=21), purpose="paid after surgery"))
    for indicator, answer in (("BRK-04", "yes"), ("DOC-10", "unknown")):
        work.set_observation(ctx, view, ObservationSet(indicator_id=indicator, answer=answer,
                                                       source="demo interview"),
                             known_indicator_ids)
