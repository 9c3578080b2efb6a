"""The case bundle v1: pydantic models and the published JSON Schema generated from them.

A bundle is the plaintext exchange format of one case (identities decrypted), which is why
exports are sealed with a passphrase by default (:mod:`tipor.exchange.seal`). Records refer to
each other by bundle-local ids (``p1``, ``o1`` …), users by username, agencies by name, kind
and country. The shipped ``data/case-bundle.schema.json`` equals :func:`bundle_schema`; a test
keeps them equal. Regenerate with :func:`write_bundle_schema` after changing these models.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tipor.accounts.models import AgencyKind
from tipor.cases.enums import (
    CaseStatus,
    EventKind,
    IdentifierKind,
    OrganisationKind,
    PartyRole,
    PaymentStatus,
    Sex,
    TaskStatus,
)
from tipor.referrals.models import ConsentPurpose, ReferralStatus, Service
from tipor.security.permissions import Section

FORMAT = "tipor.case-bundle"
VERSION = 1
SCHEMA_ID = "https://tipor.example/schemas/case-bundle.schema.json"
SCHEMA_FILE = Path(__file__).parent / "data" / "case-bundle.schema.json"

_STRICT = ConfigDict(extra="forbid")
LocalId = str
Username = str | None
AMOUNT_PATTERN = r"^[0-9]{1,16}(\.[0-9]{1,2})?$"
COUNTRY_PATTERN = r"^([A-Z]{2})?$"


def _id(prefix: str) -> Any:
    return Field(pattern=rf"^{prefix}[0-9]+$", description=f"bundle-local id ({prefix}1, {prefix}2 …)")


def _ref(prefix: str) -> Any:
    return Field(default=None, pattern=rf"^{prefix}[0-9]+$",
                 description=f"bundle-local id of a {prefix}… record, or null")


class AgencyRef(BaseModel):
    """An agency, named as on both installations."""

    model_config = _STRICT
    name: str = Field(min_length=1, max_length=200)
    kind: AgencyKind
    country: str = Field(max_length=2)


class ExportInfo(BaseModel):
    """Who exported the bundle, when, from which agency."""

    model_config = _STRICT
    at: dt.datetime
    by: str
    agency: AgencyRef
    include_files: bool


class CaseHeader(BaseModel):
    """The case header."""

    model_config = _STRICT
    reference: str = Field(max_length=40, description="the reference at the exporting agency")
    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(max_length=20000)
    status: CaseStatus
    jurisdictions: list[str]
    agency: AgencyRef
    created_by: Username = None
    created_at: dt.datetime


class StatusChange(BaseModel):
    """One lifecycle transition."""

    model_config = _STRICT
    from_status: CaseStatus
    to_status: CaseStatus
    reason: str
    by: Username = None
    at: dt.datetime


class PartyRec(BaseModel):
    """A person, with decrypted identity values."""

    model_config = _STRICT
    id: LocalId = _id("p")
    roles: list[PartyRole] = Field(min_length=1)
    name: str = Field(min_length=1, max_length=300)
    aliases: list[str]
    birth_date: dt.date | None = None
    age: int | None = Field(default=None, ge=0, le=120)
    sex: Sex
    nationalities: list[str]
    languages: list[str]
    vulnerabilities: list[str]


class OrganisationRec(BaseModel):
    """An organisation in the case."""

    model_config = _STRICT
    id: LocalId = _id("o")
    name: str = Field(min_length=1, max_length=200)
    kind: OrganisationKind
    country: str = Field(pattern=COUNTRY_PATTERN)
    licensed_for_transplant: bool | None = None


class IdentifierRec(BaseModel):
    """An identifier with its decrypted, normalised value."""

    model_config = _STRICT
    id: LocalId = _id("i")
    kind: IdentifierKind
    value: str = Field(min_length=1, max_length=300)
    country: str = Field(pattern=COUNTRY_PATTERN)
    party: LocalId | None = _ref("p")
    organisation: LocalId | None = _ref("o")


class EventRec(BaseModel):
    """A timeline event."""

    model_config = _STRICT
    id: LocalId = _id("e")
    kind: EventKind
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    approximate: bool
    place: str = Field(max_length=200)
    country: str = Field(pattern=COUNTRY_PATTERN)
    description: str = Field(max_length=5000)
    parties: list[LocalId]
    organisation: LocalId | None = _ref("o")


class PaymentRec(BaseModel):
    """Money promised or paid; the amount is a decimal string so nothing is rounded."""

    model_config = _STRICT
    id: LocalId = _id("pay")
    amount: str = Field(pattern=AMOUNT_PATTERN)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    status: PaymentStatus
    date: dt.date | None = None
    payer_party: LocalId | None = _ref("p")
    payee_party: LocalId | None = _ref("p")
    payer_organisation: LocalId | None = _ref("o")
    payee_organisation: LocalId | None = _ref("o")
    purpose: str = Field(max_length=200)


class ObservationRec(BaseModel):
    """An indicator observation."""

    model_config = _STRICT
    indicator_id: str = Field(min_length=3, max_length=20)
    answer: Literal["yes", "no", "unknown"]
    note: str
    source: str = Field(max_length=200)


class TaskRec(BaseModel):
    """A task."""

    model_config = _STRICT
    id: LocalId = _id("t")
    title: str = Field(min_length=1, max_length=200)
    owner: Username = None
    due: dt.date | None = None
    status: TaskStatus


class NoteRec(BaseModel):
    """A note with its decrypted body."""

    model_config = _STRICT
    id: LocalId = _id("n")
    section: Literal["notes", "medical", "legal", "financial"]
    body: str = Field(min_length=1)
    author: Username = None
    created_at: dt.datetime


class CustodyRec(BaseModel):
    """One hand-over of an evidence item."""

    model_config = _STRICT
    from_holder: str
    to_holder: str
    at: dt.datetime
    place: str
    note: str
    recorded_by: Username = None


class EvidenceRec(BaseModel):
    """Evidence metadata, its custody chain and, optionally, the file itself (base64)."""

    model_config = _STRICT
    id: LocalId = _id("ev")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(max_length=100)
    size: int = Field(ge=0)
    description: str
    uploaded_by: Username = None
    custody: list[CustodyRec]
    content_base64: str | None = Field(default=None, description="the file, when exported with files")


class ConsentRec(BaseModel):
    """One consent of one person for one purpose."""

    model_config = _STRICT
    id: LocalId = _id("c")
    party: LocalId = Field(pattern=r"^p[0-9]+$")
    purpose: ConsentPurpose
    agency: AgencyRef | None = None
    service: Service | None = None
    method: str = Field(max_length=40)
    note: str
    recorded_by: Username = None
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None = None


class ReferralChangeRec(BaseModel):
    """One referral status change."""

    model_config = _STRICT
    from_status: str = Field(max_length=20)
    to_status: str = Field(max_length=20)
    note: str
    follow_up: dt.date | None = None
    by: Username = None
    at: dt.datetime


class ReferralRec(BaseModel):
    """A referral with its history."""

    model_config = _STRICT
    id: LocalId = _id("r")
    party: LocalId = Field(pattern=r"^p[0-9]+$")
    from_agency: AgencyRef
    to_agency: AgencyRef | None = None
    service: Service
    provider: str = Field(max_length=200)
    sections: list[Section]
    status: ReferralStatus
    follow_up: dt.date | None = None
    reason: str
    consent_override: str
    created_by: Username = None
    changes: list[ReferralChangeRec]


class SupportItemRec(BaseModel):
    """One step of a support plan, with its decrypted result."""

    model_config = _STRICT
    id: LocalId = _id("s")
    party: LocalId = Field(pattern=r"^p[0-9]+$")
    referral: LocalId | None = _ref("r")
    kind: str = Field(max_length=40)
    section: Section
    title: str = Field(min_length=1, max_length=200)
    due: dt.date
    done_at: dt.date | None = None
    result: str | None = None


class CaseBundle(BaseModel):
    """One case with everything in it (format ``tipor.case-bundle``, version 1)."""

    model_config = ConfigDict(extra="forbid", title="tipor case bundle v1")
    format: Literal["tipor.case-bundle"]
    version: Literal[1]
    exported: ExportInfo
    case: CaseHeader
    status_history: list[StatusChange]
    parties: list[PartyRec]
    organisations: list[OrganisationRec]
    identifiers: list[IdentifierRec]
    events: list[EventRec]
    payments: list[PaymentRec]
    observations: list[ObservationRec]
    tasks: list[TaskRec]
    notes: list[NoteRec]
    evidence: list[EvidenceRec]
    consents: list[ConsentRec]
    referrals: list[ReferralRec]
    support_items: list[SupportItemRec]


def bundle_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a case bundle v1."""
    schema = CaseBundle.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def dumps_schema(schema: dict[str, Any]) -> str:
    """Stable text form of the shipped schema."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def shipped_schema() -> dict[str, Any]:
    """The schema file shipped with the package."""
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def write_bundle_schema(path: Path | None = None) -> Path:
    """Write the generated schema (default: the packaged file) and return where it went."""
    target = path or SCHEMA_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps_schema(bundle_schema()), encoding="utf-8")
    return target
