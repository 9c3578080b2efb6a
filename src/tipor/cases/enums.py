"""Vocabularies of the case file as typed enums; their sections and HTCDS v2 values are data.

``cases/data/vocabulary.yaml`` is the source of which case section each identifier kind and
event kind belongs to and of the HTCDS v2 values (extended for organ removal). Importing this
module reads that file and refuses to go on (``CatalogueError`` naming the file and the value)
when a value is in the enums and not in the file, or the other way round.
"""

from __future__ import annotations

import enum

from tipor.cases.vocabulary import load_case_vocabulary
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


class PaymentStatus(enum.StrEnum):
    """Whether money was promised or actually paid."""

    PROMISED = "promised"
    PAID = "paid"


class TaskStatus(enum.StrEnum):
    """Task state."""

    OPEN = "open"
    DONE = "done"


#: vocabulary name in the data file -> its enum
VOCABULARIES: dict[str, type[enum.StrEnum]] = {
    "case_status": CaseStatus, "party_role": PartyRole, "sex": Sex,
    "organisation_kind": OrganisationKind, "identifier_kind": IdentifierKind,
    "event_kind": EventKind, "payment_status": PaymentStatus, "task_status": TaskStatus,
}
DATA = load_case_vocabulary(VOCABULARIES)

IDENTIFIER_SECTION: dict[IdentifierKind, Section] = {
    IdentifierKind(v): s for v, s in DATA.sections("identifier_kind").items()}
EVENT_SECTION: dict[EventKind, Section] = {
    EventKind(v): s for v, s in DATA.sections("event_kind").items()}
MEDICAL_EVENTS = frozenset(k for k, s in EVENT_SECTION.items() if s is Section.MEDICAL)


def event_section(kind: EventKind) -> Section:
    """The case section of an event (medical steps, payments, else the facts of the offence)."""
    return EVENT_SECTION[kind]
