"""Case-file tables. Identifying values are stored encrypted (``*_enc``) with keyed blind
indexes (``*_bidx``) for exact search; see tipor.security.crypto and tipor.cases.privacy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tipor.cases.enums import (
    CaseStatus,
    EventKind,
    IdentifierKind,
    OrganisationKind,
    PaymentStatus,
    Sex,
    TaskStatus,
)
from tipor.db import Base, Timestamped, str_enum, utcnow
from tipor.security.sealed import Revealed


class Versioned:
    """Optimistic locking: every update must name the version it was based on."""

    version: Mapped[int] = mapped_column(Integer, default=1)


class Case(Timestamped, Versioned, Base):
    """One case file, owned by one agency."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, "case_status"),
                                               default=CaseStatus.INTAKE, index=True)
    jurisdictions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    parties: Mapped[list[Party]] = relationship(back_populates="case", order_by="Party.id",
                                                cascade="all, delete-orphan")
    __mapper_args__ = {"version_id_col": Versioned.version}


class CaseStatusChange(Base):
    """Every lifecycle transition with its reason."""

    __tablename__ = "case_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(40))
    to_status: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Party(Timestamped, Versioned, Base):
    """A person in a case. Name, aliases and date of birth are encrypted (identity section)."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    name_enc: Mapped[str] = mapped_column(Text)
    name_bidx: Mapped[str] = mapped_column(String(64), index=True)
    aliases_enc: Mapped[str | None] = mapped_column(Text, default=None)
    birth_date_enc: Mapped[str | None] = mapped_column(Text, default=None)
    age: Mapped[int | None] = mapped_column(Integer, default=None)
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, "party_sex"), default=Sex.UNKNOWN)
    nationalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    vulnerabilities: Mapped[list[str]] = mapped_column(JSON, default=list)

    case: Mapped[Case] = relationship(back_populates="parties")
    __mapper_args__ = {"version_id_col": Versioned.version}


class Organisation(Timestamped, Versioned, Base):
    """A hospital, clinic, laboratory, agency, insurer, charity or front business in a case."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind, "org_kind"))
    country: Mapped[str] = mapped_column(String(2), default="")
    licensed_for_transplant: Mapped[bool | None] = mapped_column(Boolean, default=None)
    __mapper_args__ = {"version_id_col": Versioned.version}


class Identifier(Timestamped, Versioned, Base):
    """A phone, email, account, document number, address, vehicle or handle (encrypted)."""

    __tablename__ = "identifiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[IdentifierKind] = mapped_column(str_enum(IdentifierKind, "identifier_kind"))
    value_enc: Mapped[str] = mapped_column(Text)
    value_bidx: Mapped[str] = mapped_column(String(64), index=True)
    masked: Mapped[str] = mapped_column(String(60))
    country: Mapped[str] = mapped_column(String(2), default="")
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id", ondelete="SET NULL"),
                                                 default=None)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), default=None)
    __mapper_args__ = {"version_id_col": Versioned.version}


class Event(Timestamped, Versioned, Base):
    """A dated step on the timeline; ``approximate`` when only roughly known."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, "event_kind"))
    date_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    date_to: Mapped[dt.date | None] = mapped_column(Date, default=None)
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    place: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    description_enc: Mapped[str] = mapped_column(Text)  # encrypted (cases.timeline)
    party_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), default=None)
    __mapper_args__ = {"version_id_col": Versioned.version}

    description = Revealed()


class Payment(Timestamped, Versioned, Base):
    """Money promised or paid between parties or organisations."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    payer_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="SET NULL"), default=None)
    payee_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="SET NULL"), default=None)
    payer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), default=None)
    payee_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), default=None)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[PaymentStatus] = mapped_column(str_enum(PaymentStatus, "payment_status"))
    date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    purpose: Mapped[str] = mapped_column(String(200), default="")
    __mapper_args__ = {"version_id_col": Versioned.version}


class Observation(Timestamped, Versioned, Base):
    """An indicator from the catalogue observed (yes / no / unknown) in this case."""

    __tablename__ = "observations"
    __table_args__ = (UniqueConstraint("case_id", "indicator_id", name="uq_observations_case_indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[str] = mapped_column(String(20))
    answer: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    __mapper_args__ = {"version_id_col": Versioned.version}


class Task(Timestamped, Versioned, Base):
    """Work with an owner and a deadline."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    due: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus, "task_status"),
                                               default=TaskStatus.OPEN)
    __mapper_args__ = {"version_id_col": Versioned.version}


class Note(Timestamped, Versioned, Base):
    """A free-text note, encrypted because notes often name people."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(20), default="notes")
    body_enc: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    __mapper_args__ = {"version_id_col": Versioned.version}
