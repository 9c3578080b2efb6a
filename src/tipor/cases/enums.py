"""Vocabularies of the case file (HTCDS v2 names where they exist, extended for organ removal)."""

from __future__ import annotations

import enum

from tipor.security.permissions import Section


class CaseStatus(enum.StrEnum):
    """Lifecycle of a case; changes only through tipor.cases.lifecycle.transition."""

    INTAKE = "intake"
    SCREENING = "screening"
    ASSESSMENT = "assessment"
    INVESTIGATION = "investigation"
    PROSECUTION = "prosecution"
    TRIAL = "trial"
    REFERRAL_ONLY = "referral_only"
    CLOSED = "closed"


class PartyRole(enum.StrEnum):
    """A person's role in a case (HTCDS per_RoleInProcess lacks the medical roles)."""

    VICTIM = "presumed_victim"  # presumed victim / donor
    RECIPIENT = "recipient"
    BROKER = "broker"
    RECRUITER = "recruiter"
    SURGEON = "surgeon"
    ANAESTHETIST = "anaesthetist"
    NEPHROLOGIST = "nephrologist"
    COORDINATOR = "coordinator"
    INTERPRETER = "interpreter"
    TRANSPORTER = "transporter"
    FINANCIER = "financier"
    WITNESS = "witness"


class Sex(enum.StrEnum):
    """Sex as recorded (GLOTIP reports by sex and age)."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class OrganisationKind(enum.StrEnum):
    """Organisations that appear in cases."""

    HOSPITAL = "hospital"
    CLINIC = "clinic"
    LABORATORY = "laboratory"
    MEDICAL_TOURISM_AGENCY = "medical_tourism_agency"
    TRAVEL_AGENCY = "travel_agency"
    INSURER = "insurer"
    CHARITY = "charity"
    FRONT_BUSINESS = "front_business"
    OTHER = "other"


class IdentifierKind(enum.StrEnum):
    """Identifiers linked to people and organisations; each belongs to one case section."""

    PHONE = "phone"
    EMAIL = "email"
    BANK_ACCOUNT = "bank_account"
    IBAN = "iban"
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    ADDRESS = "address"
    VEHICLE = "vehicle"
    SOCIAL_HANDLE = "social_handle"


IDENTIFIER_SECTION: dict[IdentifierKind, Section] = {
    IdentifierKind.PHONE: Section.CONTACT,
    IdentifierKind.EMAIL: Section.CONTACT,
    IdentifierKind.ADDRESS: Section.CONTACT,
    IdentifierKind.SOCIAL_HANDLE: Section.CONTACT,
    IdentifierKind.PASSPORT: Section.IDENTITY,
    IdentifierKind.NATIONAL_ID: Section.IDENTITY,
    IdentifierKind.BANK_ACCOUNT: Section.FINANCIAL,
    IdentifierKind.IBAN: Section.FINANCIAL,
    IdentifierKind.VEHICLE: Section.EVIDENCE,
}


class EventKind(enum.StrEnum):
    """Timeline events (HTCDS hte_Type extended with the medical steps)."""

    RECRUITMENT = "recruitment"
    TRAVEL = "travel"
    BORDER_CROSSING = "border_crossing"
    LODGING = "lodging"
    MEDICAL_WORKUP = "medical_workup"
    HLA_TEST = "hla_crossmatch_test"
    SURGERY = "surgery"
    PAYMENT = "payment"
    THREAT = "threat"
    RETURN = "return"
    AFTERCARE = "aftercare"


MEDICAL_EVENTS = frozenset({EventKind.MEDICAL_WORKUP, EventKind.HLA_TEST, EventKind.SURGERY,
                            EventKind.AFTERCARE})


def event_section(kind: EventKind) -> Section:
    """Medical steps are medical; every other event is a fact of the offence (legal)."""
    if kind in MEDICAL_EVENTS:
        return Section.MEDICAL
    if kind == EventKind.PAYMENT:
        return Section.FINANCIAL
    return Section.LEGAL


class PaymentStatus(enum.StrEnum):
    """Whether money was promised or actually paid."""

    PROMISED = "promised"
    PAID = "paid"


class TaskStatus(enum.StrEnum):
    """Task state."""

    OPEN = "open"
    DONE = "done"
