"""Checks shared by the referral services: the person is in the case, the agency exists, dates."""

from __future__ import annotations

import datetime as dt

from tipor.accounts.models import Agency
from tipor.audit.service import record
from tipor.cases.access import CaseView
from tipor.cases.models import Party
from tipor.context import Ctx
from tipor.exceptions import ValidationFailed


def party_in_case(ctx: Ctx, view: CaseView, party_id: int, field: str = "party_id") -> Party:
    """The person, or ValidationFailed naming ``field`` when they are not part of this case."""
    party = ctx.session.get(Party, party_id)
    if party is None or party.case_id != view.case.id:
        raise ValidationFailed(f"{field}: person {party_id} is not part of case "
                               f"{view.case.reference}; choose a person listed in the case",
                               [(field, "person not in this case")])
    return party


def other_agency(ctx: Ctx, view: CaseView, agency_id: int, field: str) -> Agency:
    """An active agency other than the case's owner, or ValidationFailed naming ``field``."""
    agency = ctx.session.get(Agency, agency_id)
    if agency is None or not agency.is_active:
        raise ValidationFailed(f"{field}: agency {agency_id} does not exist or is inactive; "
                               "choose an agency from the list", [(field, "unknown agency")])
    if agency.id == view.case.agency_id:
        raise ValidationFailed(f"{field}: {agency.name} owns this case already; choose another "
                               "agency", [(field, "the owning agency")])
    return agency


def not_past(day: dt.date | None, field: str, today: dt.date, what: str = "follow-up date") -> dt.date:
    """The date, or ValidationFailed when it is missing or before today."""
    if day is None:
        raise ValidationFailed(f"{field}: give the next {what} (every open referral needs one)",
                               [(field, "required")])
    if day < today:
        raise ValidationFailed(f"{field}: {day.isoformat()} is in the past; the {what} must be "
                               f"today ({today.isoformat()}) or later", [(field, "in the past")])
    return day


def not_future(day: dt.date, field: str, today: dt.date) -> dt.date:
    """The date, or ValidationFailed when it lies after today."""
    if day > today:
        raise ValidationFailed(f"{field}: {day.isoformat()} is in the future; give the date it "
                               "actually happened", [(field, "in the future")])
    return day


def audit(ctx: Ctx, view: CaseView, action: str, object_type: str, object_id: object,
          **detail: object) -> None:
    """One audit entry naming the case (so the case's audit tab finds it)."""
    record(ctx.session, actor=ctx.actor, action=action, object_type=object_type,
           object_id=object_id, detail={"case_id": view.case.id, **detail})
