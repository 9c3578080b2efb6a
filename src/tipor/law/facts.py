"""The fact pattern: persons, organisations, places and the facts of a case, each with its
source and how firmly it is established.

The model is the contract between the case file (which will fill it) and the engine; its JSON
Schema ships as ``tipor/law/data/fact-pattern.schema.json`` and is documented in
``docs/formats/fact-pattern.md``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

FORMAT_VERSION: Literal[1] = 1

Firmness = Literal["established", "alleged", "disputed"]
SourceKind = Literal[
    "testimony", "document", "medical_record", "financial_record", "digital_record",
    "official_record", "court_finding", "expert_opinion", "observation", "other",
]
PersonRole = Literal[
    "donor", "recipient", "broker", "recruiter", "surgeon", "anaesthetist", "nephrologist",
    "coordinator", "interpreter", "transporter", "financier", "official", "organiser",
    "family_member", "witness",
]
OrganisationRole = Literal[
    "facility", "insurer", "laboratory", "travel_agency", "broker", "financier", "employer",
    "front_business", "authority",
]
OrganisationKind = Literal[
    "hospital", "clinic", "laboratory", "medical_tourism_agency", "travel_agency", "insurer",
    "company", "charity", "front_business", "public_body", "other",
]
AgeBand = Literal["under_18", "18-24", "25-34", "35-49", "50-plus"]
TraffickingAct = Literal["recruitment", "transport", "transfer", "harbouring", "receipt"]
OrganTradeAct = Literal[
    "removal", "implantation", "use", "solicitation", "recruitment_for_gain", "brokering",
    "advertising", "offering_undue_advantage", "receiving_undue_advantage",
    "falsifying_documents",
]
ActKind = Literal[TraffickingAct, OrganTradeAct]
Stage = Literal["completed", "attempted", "planned"]
Authorisation = Literal["authorised", "unauthorised", "obtained_by_deception", "unknown"]
FalsifiedDocument = Literal["kinship", "consent", "identity", "medical", "other"]
MeansKind = Literal[
    "threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power",
    "abuse_of_vulnerability", "payment_to_controller",
]
DeceptionTopic = Literal[
    "payment", "risk", "nature_of_procedure", "job", "organ_regrows", "legality",
    "aftercare", "other",
]
Vulnerability = Literal[
    "poverty", "debt", "unemployment", "refugee", "irregular_status", "illiteracy",
    "disability", "dependency", "addiction", "homelessness", "age", "other",
]
PurposeStage = Literal["intended", "attempted", "completed"]
ConsentContent = Literal["consented", "refused", "withdrew"]
PaymentStatus = Literal["promised", "paid"]
PaymentPurpose = Literal[
    "organ", "agent_fee", "surgery", "expenses", "undue_advantage", "travel", "other",
]
HarmKind = Literal["death", "serious_harm"]

_ID = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="unique id in the file")
_COUNTRY = r"^[A-Z]{2}$"
Country = Annotated[str, StringConstraints(pattern=_COUNTRY)]
_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fact(_Model):
    """Common to every fact: where it comes from and how firmly it is established."""

    id: str = _ID
    source: SourceKind
    firmness: Firmness
    reference: str = Field("", description="exhibit, statement or page the fact comes from")
    note: str = ""


class Person(Fact):
    """A person; source and firmness apply to the age and nationalities stated."""

    label: str = Field(min_length=1, description="pseudonym or public name, never a victim's")
    roles: list[PersonRole] = Field(min_length=1)
    age: int | None = Field(None, ge=0, le=120, description="age at the time of the acts")
    age_band: AgeBand | None = None
    nationalities: list[Country] = Field(default_factory=list)
    residences: list[Country] = Field(default_factory=list)
    located_in: list[Country] = Field(default_factory=list, description="where now found or held")
    previous_convictions: bool = False


class Organisation(Fact):
    """A hospital, clinic, agency, insurer or company."""

    label: str = Field(min_length=1)
    kind: OrganisationKind
    roles: list[OrganisationRole] = Field(min_length=1)
    country: str | None = Field(None, pattern=_COUNTRY)


class Place(_Model):
    """A place where something happened; country is an ISO 3166-1 alpha-2 code (XK: Kosovo)."""

    id: str = _ID
    label: str = Field(min_length=1)
    country: str = Field(pattern=_COUNTRY)
    subdivision: str | None = Field(None, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
                                    description="ISO 3166-2 code, where the law differs by it")


class Act(Fact):
    """Something someone did: a trafficking act or an organ-trade act."""

    kind: ActKind
    actors: list[str] = Field(default_factory=list, description="person or organisation ids")
    victims: list[str] = Field(default_factory=list, description="donors concerned (person ids)")
    recipients: list[str] = Field(default_factory=list, description="organ recipients")
    place: str | None = Field(None, description="place id where the act happened")
    through: list[str] = Field(default_factory=list, description="place ids passed through")
    date: str | None = Field(None, pattern=_DATE)
    date_to: str | None = Field(None, pattern=_DATE)
    stage: Stage = "completed"
    authorisation: Authorisation = "unknown"
    organ: str | None = None
    documents: list[FalsifiedDocument] = Field(default_factory=list)


class Means(Fact):
    """A means of trafficking used by offenders against donors."""

    kind: MeansKind
    by: list[str] = Field(min_length=1, description="offender ids")
    victims: list[str] = Field(min_length=1)
    about: list[DeceptionTopic] = Field(default_factory=list, description="what was lied about")
    vulnerabilities: list[Vulnerability] = Field(default_factory=list)
    offender_knew: Firmness | None = Field(None, description="knowledge of the vulnerability")
    offender_used: Firmness | None = Field(None, description="use of it to obtain agreement")
    controller: str | None = Field(None, description="person having control (payment means)")


class Purpose(Fact):
    """The purpose of organ removal as intended, attempted or completed."""

    victims: list[str] = Field(min_length=1)
    held_by: list[str] = Field(default_factory=list, description="whose purpose it was")
    stage: PurposeStage
    organ: str | None = None


class ConsentStatement(Fact):
    """What a donor said about agreeing to the removal."""

    person: str
    content: ConsentContent
    informed: bool | None = None
    specific: bool | None = None


class Payment(Fact):
    """Money or a comparable advantage, promised or paid."""

    payer: str | None = None
    payee: str | None = None
    donor: str | None = Field(None, description="the donor whose organ the payment concerns")
    amount: float | None = Field(None, ge=0)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    status: PaymentStatus
    purpose: PaymentPurpose
    place: str | None = None
    date: str | None = Field(None, pattern=_DATE)


class Harm(Fact):
    """Death or serious harm to a donor."""

    person: str
    kind: HarmKind


class Group(Fact):
    """An organised group acting in concert."""

    label: str = ""
    members: list[str] = Field(min_length=1)


class Agreement(Fact):
    """An agreement between parties to bring about trafficking or organ removal (conspiracy)."""

    parties: list[str] = Field(min_length=2)
    victims: list[str] = Field(default_factory=list)
    aim: str = Field(min_length=1)
    place: str | None = Field(None, description="place id where the agreement was made")


class FactPattern(_Model):
    """A whole fact pattern: the input of :func:`tipor.law.engine.qualify`."""

    format_version: Literal[1] = FORMAT_VERSION
    title: str = Field(min_length=1)
    reference: str = ""
    jurisdictions: list[Country] = Field(default_factory=list, description="extra states to assess")
    persons: list[Person] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    acts: list[Act] = Field(default_factory=list)
    means: list[Means] = Field(default_factory=list)
    purposes: list[Purpose] = Field(default_factory=list)
    consents: list[ConsentStatement] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    harms: list[Harm] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    agreements: list[Agreement] = Field(default_factory=list)


TRAFFICKING_ACTS: frozenset[str] = frozenset(
    {"recruitment", "transport", "transfer", "harbouring", "receipt"})
MEDICAL_ROLES: frozenset[str] = frozenset(
    {"surgeon", "anaesthetist", "nephrologist", "coordinator"})
