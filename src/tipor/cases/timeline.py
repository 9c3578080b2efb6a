"""Events on the timeline and payments, with date-order checks.

Every event's description is encrypted (not only medical ones): free text about recruitment,
threats or payments names people as readily as a surgery note does, and one rule for the
column keeps rotation and the migration simple. Kind, dates, place and country stay in clear:
the timeline picture, the order checks and the legal mapping work on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from tipor.audit.service import record
from tipor.cases.access import CaseView
from tipor.cases.enums import EventKind, event_section
from tipor.cases.models import Event, Organisation, Party, Payment
from tipor.cases.schemas import EventCreate, PaymentCreate
from tipor.context import Ctx
from tipor.exceptions import ValidationFailed
from tipor.security.crypto import Keyring
from tipor.security.permissions import Section
from tipor.security.sealed import reveal

DESCRIPTION = "events.description"

#: Pairs (earlier, later) that normally occur in this order; a reversal needs confirmation.
EXPECTED_ORDER: tuple[tuple[EventKind, EventKind], ...] = (
    (EventKind.RECRUITMENT, EventKind.SURGERY),
    (EventKind.RECRUITMENT, EventKind.TRAVEL),
    (EventKind.MEDICAL_WORKUP, EventKind.SURGERY),
    (EventKind.HLA_TEST, EventKind.SURGERY),
    (EventKind.SURGERY, EventKind.AFTERCARE),
)


def order_warnings(new: EventCreate, existing: Sequence[Event]) -> list[str]:
    """Warnings for a new event dated out of the usual order against the existing ones."""
    if new.date_from is None:
        return []
    warnings = []
    for event in existing:
        if event.date_from is None:
            continue
        for earlier, later in EXPECTED_ORDER:
            if new.kind == later and event.kind == earlier and new.date_from < event.date_from:
                warnings.append(f"{later.value} on {new.date_from} is before the "
                                f"{earlier.value} on {event.date_from}")
            if new.kind == earlier and event.kind == later and new.date_from > event.date_from:
                warnings.append(f"{earlier.value} on {new.date_from} is after the "
                                f"{later.value} on {event.date_from}")
    return warnings


def _check_refs(ctx: Ctx, view: CaseView, party_ids: list[int], org_ids: list[int | None]) -> None:
    for pid in party_ids:
        party = ctx.session.get(Party, pid)
        if party is None or party.case_id != view.case.id:
            raise ValidationFailed(f"party_ids: person {pid} is not part of this case",
                                   [("party_ids", f"unknown person {pid}")])
    for oid in (o for o in org_ids if o is not None):
        org = ctx.session.get(Organisation, oid)
        if org is None or org.case_id != view.case.id:
            raise ValidationFailed(f"organisation_id: organisation {oid} is not part of this case",
                                   [("organisation_id", f"unknown organisation {oid}")])


def add_event(ctx: Ctx, view: CaseView, data: EventCreate) -> tuple[Event, list[str]]:
    """Add an event; impossible dates are refused, unusual order needs ``confirm_order``."""
    view.require(event_section(data.kind), "write")
    if data.date_from and data.date_to and data.date_to < data.date_from:
        raise ValidationFailed(f"date_to: {data.date_to} is before date_from {data.date_from}; "
                               "swap them or correct one", [("date_to", "before date_from")])
    _check_refs(ctx, view, data.party_ids, [data.organisation_id])
    existing = ctx.session.execute(select(Event).where(Event.case_id == view.case.id)).scalars().all()
    warnings = order_warnings(data, existing)
    if warnings and not data.confirm_order:
        raise ValidationFailed(
            "date_from: " + "; ".join(warnings) + ". If this is right, confirm the order and "
            "save again.", [("date_from", w) for w in warnings])
    fields = data.model_dump(exclude={"confirm_order", "description"})
    event = Event(case_id=view.case.id, **fields,
                  description_enc=seal_description(ctx.keyring, data.description))
    event.country = event.country.upper()
    reveal(event, "description", data.description)
    ctx.session.add(event)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="event.create", object_type="event",
           object_id=event.id, detail={"case_id": view.case.id, "kind": data.kind.value,
                                       "order_warnings": warnings})
    return event, warnings


def list_events(ctx: Ctx, view: CaseView) -> list[Event]:
    """Timeline events this user may see, in date order (undated last), descriptions decrypted."""
    rows = ctx.session.execute(select(Event).where(Event.case_id == view.case.id)).scalars().all()
    visible = [reveal_description(ctx.keyring, e) for e in rows if view.can(event_section(e.kind))]
    return sorted(visible, key=lambda e: (e.date_from is None, e.date_from or dt.date.min, e.id))


def seal_description(keyring: Keyring, text: str) -> str:
    """The encrypted column value of an event description."""
    return keyring.encrypt(text, purpose=DESCRIPTION)


def reveal_description(keyring: Keyring, event: Event) -> Event:
    """Decrypt the event's description into ``event.description``."""
    reveal(event, "description", keyring.decrypt(event.description_enc, purpose=DESCRIPTION))
    return event


def add_payment(ctx: Ctx, view: CaseView, data: PaymentCreate) -> Payment:
    """Record money promised or paid (financial section)."""
    view.require(Section.FINANCIAL, "write")
    _check_refs(ctx, view, [p for p in (data.payer_party_id, data.payee_party_id) if p],
                [data.payer_organisation_id, data.payee_organisation_id])
    payment = Payment(case_id=view.case.id, **data.model_dump())
    ctx.session.add(payment)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="payment.create", object_type="payment",
           object_id=payment.id, detail={"case_id": view.case.id})
    return payment


def list_payments(ctx: Ctx, view: CaseView) -> Sequence[Payment]:
    """Payments, if the user may read the financial section."""
    if not view.can(Section.FINANCIAL):
        return []
    return ctx.session.execute(select(Payment).where(Payment.case_id == view.case.id)
                               .order_by(Payment.date, Payment.id)).scalars().all()
