"""The fact pattern: persons, organisations, places and the facts of a case, each with its
source and how firmly it is established.

The model is the contract between the case file (which will fill it) and the engine; its JSON
Schema ships as ``tipor/law/data/fact-pattern.schema.json`` and is documented in
``docs/formats/fact-pattern.md``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

FORMAT_VERSION: Literal[2] = 2

Firmness = Literal["established", "alleged", "disputed"]
SourceKind = Literal[
    "testimony", "document", "medical_record", "financial_record", "digital_record",
    "official_record", "court_finding", "expert_opinion", "observation", "other",
]
PersonRole = Literal[
    "donor", "recipient", "broker", "recruiter", "surgeon", "anaesthetist", "nephrologist",
    "coordinator", "interpreter", "transporter", "financier", "official", "organiser",
    "family_member", "witness", "nurse", "laboratory_technician", "guard", "owner", "cashier",
    "driver", "doctor",
]
Qualification = Literal[
    "licensed_physician", "nurse", "other_health_professional", "none", "other", "unknown",
]
Sex = Literal["female", "male", "other", "unknown"]
Presence = Literal["yes", "no", "unknown"]
Region = Literal[
    "gulf_state", "eu_member_state", "europe", "middle_east", "north_africa",
    "sub_saharan_africa", "south_asia", "southeast_asia", "east_asia", "central_asia",
    "latin_america", "north_america", "oceania", "unknown",
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
Stage = Literal["completed", "attempted", "planned", "unknown"]
Authorisation = Literal["authorised", "unauthorised", "obtained_by_deception", "unknown"]
FalsifiedDocument = Literal["kinship", "consent", "identity", "medical", "other"]
MeansKind = Literal[
    "threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power",
    "abuse_of_vulnerability", "payment_to_controller", "drugging", "confinement",
]
DeceptionTopic = Literal[
    "payment", "risk", "nature_of_procedure", "job", "organ_regrows", "legality",
    "aftercare", "other",
]
Vulnerability = Literal[
    "poverty", "debt", "unemployment", "refugee", "irregular_status", "illiteracy",
    "disability", "dependency", "addiction", "homelessness", "age", "other",
]
PurposeStage = Literal["intended", "attempted", "completed", "unknown"]
ConsentContent = Literal["consented", "refused", "withdrew", "unknown"]
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
    count: int = Field(1, ge=1, description="how many persons this entry stands for")
    sex: Sex = "unknown"
    qualification: Qualification = Field(
        "unknown", description="professional registration, for anyone in a medical role")
    prior_convictions: int | None = Field(
        None, ge=0, description="previous convictions for such offences; omitted: not known")
    prior_charges: int | None = Field(
        None, ge=0, description="previous charges (not convictions); omitted: not known")


class Organisation(Fact):
    """A hospital, clinic, agency, insurer or company."""

    label: str = Field(min_length=1)
    kind: OrganisationKind
    roles: list[OrganisationRole] = Field(min_length=1)
    country: str | None = Field(None, pattern=_COUNTRY)


class Place(_Model):
    """A place where something happened: an ISO 3166-1 alpha-2 country (XK: Kosovo), or only
    the region of a state not yet identified."""

    id: str = _ID
    label: str = Field(min_length=1)
    country: str | None = Field(None, pattern=_COUNTRY)
    region: Region | None = Field(None, description="region of an unidentified state")
    subdivision: str | None = Field(None, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
                                    description="ISO 3166-2 code, where the law differs by it")

    @model_validator(mode="after")
    def _country_or_region(self) -> Place:
        if self.country is None and self.region is None:
            raise ValueError("a place needs a country or a region "
                             "(region: unknown when the state is not known)")
        return self


class Act(Fact):
    """Something someone did: a trafficking act or an organ-trade act."""

    kind: ActKind
    present: Presence = Field("yes", description="whether the act happened (no: it did not)")
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
    procedure: str | None = Field(None, description="the procedure performed, e.g. nephrectomy")
    documents: list[FalsifiedDocument] = Field(default_factory=list)


class Means(Fact):
    """A means of trafficking used by offenders against donors."""

    kind: MeansKind
    present: Presence = Field("yes", description="whether the means was used (no: it was not)")
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
    procedure: str | None = Field(None, description="the procedure the donor agreed to")


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
    via: list[str] = Field(default_factory=list,
                           description="accounts or front businesses the money passed through")
    date: str | None = Field(None, pattern=_DATE)
    date_to: str | None = Field(None, pattern=_DATE)


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

    format_version: Literal[2] = FORMAT_VERSION
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
#: Roles in which a person does clinical work on a patient (operating, anaesthesia, nursing).
CLINICAL_ROLES: frozenset[str] = frozenset(
    {"surgeon", "anaesthetist", "nephrologist", "doctor", "nurse"})
#: Roles of the medical side of a transplant: whether their holder is a health professional
#: depends on the person's qualification, not on the role.
MEDICAL_ROLES: frozenset[str] = CLINICAL_ROLES | {"coordinator", "laboratory_technician"}
#: Qualifications that make a person a health professional.
PROFESSIONAL_QUALIFICATIONS: frozenset[str] = frozenset(
    {"licensed_physician", "nurse", "other_health_professional"})
#: Means that overcome the donor's will by force (used for consent and companion conduct).
COERCIVE_MEANS: frozenset[str] = frozenset(
    {"threat", "force", "coercion", "abduction", "drugging", "confinement"})
