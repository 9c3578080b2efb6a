"""Pydantic shapes of consents, referrals and support items, in and out."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tipor.fields import Date, DueDate, Id, Version
from tipor.referrals.models import ConsentPurpose, ReferralStatus, Service
from tipor.security.permissions import Section

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True)

#: How consent was given; "guardian" when a parent or guardian consented for a child.
ConsentMethod = Literal["verbal", "written", "electronic", "guardian", "interpreter_assisted"]


class ConsentCreate(BaseModel):
    """One person's consent for one purpose: an agency to share with, or a service to refer to."""

    model_config = _IN
    party_id: Id
    purpose: ConsentPurpose
    agency_id: Id | None = None
    service: Service | None = None
    method: ConsentMethod = "verbal"
    note: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _scope(self) -> ConsentCreate:
        match self.purpose:
            case ConsentPurpose.SHARE_WITH_AGENCY:
                if self.agency_id is None:
                    raise ValueError("agency_id: consent to share needs the agency it names")
                if self.service is not None:
                    raise ValueError("service: leave empty for consent to share with an agency")
            case ConsentPurpose.REFER_TO_SERVICE:
                if self.service is None:
                    raise ValueError("service: consent to a referral needs the service it names")
                if self.agency_id is not None:
                    raise ValueError("agency_id: leave empty for consent to a service referral")
            case ConsentPurpose.ANONYMOUS_STATISTICS:
                if self.agency_id is not None or self.service is not None:
                    raise ValueError("agency_id, service: consent to anonymous statistics names "
                                     "neither an agency nor a service")
        return self


class ConsentWithdraw(BaseModel):
    """Why a consent is withdrawn (kept in the audit log)."""

    model_config = _IN
    reason: str = Field(default="", max_length=2000)


class ConsentRead(BaseModel):
    """A consent as listed."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    party_id: int
    purpose: ConsentPurpose
    agency_id: int | None
    service: Service | None
    method: str
    note: str
    recorded_by_id: int | None
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None


class ReferralCreate(BaseModel):
    """A referral of one person to another agency and/or a service, with its first follow-up."""

    model_config = _IN
    party_id: Id
    service: Service
    to_agency_id: Id | None = None
    provider: str = Field(default="", max_length=200)
    sections: list[Section] = Field(default_factory=list, max_length=len(Section))
    follow_up: DueDate
    reason: str = Field(default="", max_length=5000)
    consent_override: str = Field(default="", max_length=5000,
                                  description="written reason to refer without consent "
                                              "(roles with consent.override only)")

    @model_validator(mode="after")
    def _sections_need_agency(self) -> ReferralCreate:
        if self.sections and self.to_agency_id is None:
            raise ValueError("sections: only a referral to an agency using tipor can grant case "
                             "sections; choose the agency or grant none")
        self.sections = list(dict.fromkeys(self.sections))
        return self


class ReferralTransition(BaseModel):
    """A status change with its note and the next follow-up date (needed unless it ends)."""

    model_config = _IN
    to: ReferralStatus
    note: str = Field(default="", max_length=5000)
    follow_up: DueDate | None = None
    version: Version


class ReferralChangeRead(BaseModel):
    """One step of a referral's history."""

    model_config = ConfigDict(from_attributes=True)
    from_status: str
    to_status: str
    note: str
    follow_up: dt.date | None
    by_user_id: int | None
    at: dt.datetime


class ReferralRead(BaseModel):
    """A referral as listed, with whether its follow-up is overdue and what it rests on."""

    id: int
    case_id: int
    party_id: int
    from_agency_id: int
    from_agency: str
    to_agency_id: int | None
    to_agency: str | None
    service: Service
    provider: str
    sections: list[str]
    status: ReferralStatus
    follow_up: dt.date | None
    overdue: bool
    reason: str
    consent_override: str
    consent_ids: list[int]
    version: int
    history: list[ReferralChangeRead] = []


class AftercarePlanCreate(BaseModel):
    """Generate the aftercare checks after a nephrectomy."""

    model_config = _IN
    party_id: Id
    surgery_date: Date
    referral_id: Id | None = None


class SupportItemCreate(BaseModel):
    """One support step (shelter, legal aid, an extra medical check …)."""

    model_config = _IN
    party_id: Id
    kind: str = Field(min_length=2, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1, max_length=200)
    due: DueDate
    section: Section = Section.MEDICAL
    referral_id: Id | None = None


class SupportCheck(BaseModel):
    """A support step done: when, and what came of it (stored encrypted)."""

    model_config = _IN
    done_at: Date
    result: str = Field(min_length=1, max_length=10000)
    version: Version


class SupportItemRead(BaseModel):
    """A support step; ``result`` only for users who may read its section."""

    id: int
    case_id: int
    party_id: int
    referral_id: int | None
    kind: str
    section: str
    title: str
    due: dt.date
    done_at: dt.date | None
    overdue: bool
    result: str | None
    version: int
