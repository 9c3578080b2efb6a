"""Pydantic shapes of the case file, in and out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tipor.cases.enums import (
    CaseStatus,
    EventKind,
    IdentifierKind,
    OrganisationKind,
    PartyRole,
    PaymentStatus,
    Sex,
)
from tipor.fields import MAX_ITEMS, BirthDate, Date, DueDate, Flag, Id, Item, Version, Whole

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True)
#: An age in years, as a number (not text).
StrictAge = Annotated[Whole, Field(ge=0, le=120)]


def _countries(values: list[str]) -> list[str]:
    cleaned = [v.strip().upper() for v in values if v.strip()]
    for code in cleaned:
        if len(code) != 2 or not code.isalpha():
            raise ValueError(f"{code!r} is not a two-letter ISO country code (e.g. PK, IQ, NP)")
    return cleaned


class CaseCreate(BaseModel):
    """A new case."""

    model_config = _IN
    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(default="", max_length=20000)
    jurisdictions: list[Item] = Field(default_factory=list, max_length=30)

    _j = field_validator("jurisdictions")(_countries)


class CaseUpdate(BaseModel):
    """Changes to the case header; ``version`` is the one you read."""

    model_config = _IN
    version: Version
    title: str | None = Field(default=None, min_length=3, max_length=200)
    summary: str | None = Field(default=None, max_length=20000)
    jurisdictions: list[Item] | None = Field(default=None, max_length=30)

    @field_validator("jurisdictions")
    @classmethod
    def _j(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _countries(value)


class Transition(BaseModel):
    """A status change with its reason."""

    model_config = _IN
    to: CaseStatus
    reason: str = Field(min_length=1, max_length=2000)
    version: Version


class CaseRead(BaseModel):
    """A case header as listed."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    reference: str
    title: str
    status: CaseStatus
    agency_id: int
    jurisdictions: list[str]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class PartyCreate(BaseModel):
    """A person in a case; the name is required, everything else optional."""

    model_config = _IN
    roles: list[PartyRole] = Field(min_length=1, max_length=len(PartyRole))
    name: str = Field(min_length=1, max_length=300)
    aliases: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS)
    birth_date: BirthDate | None = None
    age: StrictAge | None = None
    sex: Sex = Sex.UNKNOWN
    nationalities: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS)
    languages: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS)
    vulnerabilities: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS)

    _n = field_validator("nationalities")(_countries)


class PartyUpdate(BaseModel):
    """Changes to a person; ``version`` is the one you read."""

    model_config = _IN
    version: Version
    roles: list[PartyRole] | None = Field(default=None, min_length=1, max_length=len(PartyRole))
    name: str | None = Field(default=None, min_length=1, max_length=300)
    aliases: list[Item] | None = Field(default=None, max_length=MAX_ITEMS)
    birth_date: BirthDate | None = None
    age: StrictAge | None = None
    sex: Sex | None = None
    nationalities: list[Item] | None = Field(default=None, max_length=MAX_ITEMS)
    languages: list[Item] | None = Field(default=None, max_length=MAX_ITEMS)
    vulnerabilities: list[Item] | None = Field(default=None, max_length=MAX_ITEMS)

    @field_validator("nationalities")
    @classmethod
    def _n(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _countries(value)


class PartyRead(BaseModel):
    """A person as this user may see them: identity fields are None without identity access."""

    id: int
    label: str
    roles: list[str]
    name: str | None = None
    aliases: list[str] | None = None
    birth_date: dt.date | None = None
    age: int | None = None
    sex: str | None = None
    nationalities: list[str] | None = None
    languages: list[str] | None = None
    vulnerabilities: list[str] | None = None
    version: int


class OrganisationCreate(BaseModel):
    """An organisation in a case."""

    model_config = _IN
    name: str = Field(min_length=1, max_length=200)
    kind: OrganisationKind
    country: str = Field(default="", max_length=2)
    licensed_for_transplant: Flag | None = None


class IdentifierCreate(BaseModel):
    """An identifier; phone numbers need a country unless written with +country code."""

    model_config = _IN
    kind: IdentifierKind
    value: str = Field(min_length=1, max_length=300)
    country: str = Field(default="", max_length=2)
    party_id: Id | None = None
    organisation_id: Id | None = None


class IdentifierRead(BaseModel):
    """An identifier: ``value`` only when the user may read its section."""

    id: int
    kind: IdentifierKind
    masked: str
    value: str | None
    party_id: int | None
    organisation_id: int | None


class EventCreate(BaseModel):
    """A step on the timeline."""

    model_config = _IN
    kind: EventKind
    date_from: Date | None = None
    date_to: Date | None = None
    approximate: Flag = False
    place: str = Field(default="", max_length=200)
    country: str = Field(default="", max_length=2)
    description: str = Field(default="", max_length=5000)
    party_ids: list[Id] = Field(default_factory=list, max_length=MAX_ITEMS)
    organisation_id: Id | None = None
    confirm_order: Flag = Field(default=False, description="store although the dates look out of order")


class PaymentCreate(BaseModel):
    """Money promised or paid."""

    model_config = _IN
    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=2)
    currency: str = Field(min_length=3, max_length=3)
    status: PaymentStatus
    date: Date | None = None
    payer_party_id: Id | None = None
    payee_party_id: Id | None = None
    payer_organisation_id: Id | None = None
    payee_organisation_id: Id | None = None
    purpose: str = Field(default="", max_length=200)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError("use a three-letter ISO currency code such as USD, PKR or EUR")
        return value.upper()


class TaskCreate(BaseModel):
    """A task with an owner and a deadline."""

    model_config = _IN
    title: str = Field(min_length=1, max_length=200)
    owner_id: Id | None = None
    due: DueDate | None = None


class NoteCreate(BaseModel):
    """A note in one section of the case."""

    model_config = _IN
    body: str = Field(min_length=1, max_length=20000)
    section: Literal["notes", "medical", "legal", "financial"] = "notes"


class ObservationSet(BaseModel):
    """An indicator observed in a case."""

    model_config = _IN
    indicator_id: str = Field(min_length=3, max_length=20)
    answer: Literal["yes", "no", "unknown"]
    note: str = Field(default="", max_length=2000)
    source: str = Field(default="", max_length=200)
