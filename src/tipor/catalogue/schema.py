"""Pydantic models of one indicator file (``data/indicators/<group>.yaml``) and its vocabulary.

The models are strict about shape (unknown keys are rejected, every enum is closed, every
label/title/question needs all six languages) so that a typo in a reviewer's YAML fails loudly
at load time instead of silently dropping an indicator from a screening. Cross-file rules
(ids unique, prefixes, case ids, profile references) live in ``tipor.catalogue.checks``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

LANGS: tuple[str, ...] = ("en", "ur", "ar", "fa", "es", "fr")
LANG_NAMES: dict[str, str] = {
    "en": "English", "ur": "Urdu", "ar": "Arabic", "fa": "Farsi/Dari", "es": "Spanish",
    "fr": "French",
}

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Frozen(BaseModel):
    """Base: unknown keys rejected, instances immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Lang(StrEnum):
    """Languages every label, title and question must have."""

    en = "en"
    ur = "ur"
    ar = "ar"
    fa = "fa"
    es = "es"
    fr = "fr"


class Group(StrEnum):
    """Observed subject group; one indicator file each. Order is the catalogue order."""

    victim = "victim"
    control = "control"
    recipient = "recipient"
    broker = "broker"
    medical = "medical"
    financial = "financial"
    documents = "documents"


GROUP_PREFIX: dict[Group, str] = {
    Group.victim: "VIC", Group.control: "CTL", Group.recipient: "REC", Group.broker: "BRK",
    Group.medical: "MED", Group.financial: "FIN", Group.documents: "DOC",
}


class Observer(StrEnum):
    """Who can see an indicator (and whose question wording applies)."""

    police = "police"
    prosecutor = "prosecutor"
    ngo = "ngo"
    helpline = "helpline"
    labour_inspector = "labour_inspector"
    transplant_clinician = "transplant_clinician"
    authorisation_committee = "authorisation_committee"
    nephrologist = "nephrologist"
    health_regulator = "health_regulator"
    fiu = "fiu"
    border_officer = "border_officer"


class Stage(StrEnum):
    """Crime stage (HOTT barrier model); declaration order is the screening order."""

    recruitment = "recruitment"
    transport = "transport"
    entry = "entry"
    documents = "documents"
    housing = "housing"
    transplant = "transplant"
    aftercare = "aftercare"
    finance = "finance"


class Element(StrEnum):
    """Legal element an indicator can evidence (Palermo act/means/purpose, organ-trade offence)."""

    act = "act"
    means = "means"
    purpose = "purpose"
    organ_trade = "organ_trade"


class Means(StrEnum):
    """Palermo Art. 3(a) means."""

    threat = "threat"
    force = "force"
    coercion = "coercion"
    abduction = "abduction"
    fraud = "fraud"
    deception = "deception"
    abuse_of_power = "abuse_of_power"
    abuse_of_vulnerability = "abuse_of_vulnerability"
    payments_to_controller = "payments_to_controller"


class Act(StrEnum):
    """Palermo Art. 3(a) acts."""

    recruitment = "recruitment"
    transport = "transport"
    transfer = "transfer"
    harbouring = "harbouring"
    receipt = "receipt"


class Strength(StrEnum):
    """How much one observation weighs; declaration order is strongest first."""

    strong = "strong"
    medium = "medium"
    weak = "weak"


class Urgent(StrEnum):
    """Safeguarding flags that call for action now, whatever the level."""

    child = "child"
    medical_emergency = "medical_emergency"
    immediate_danger = "immediate_danger"


class Service(StrEnum):
    """Services a practitioner can refer to."""

    medical_examination = "medical_examination"
    medical_aftercare = "medical_aftercare"
    shelter = "shelter"
    psychosocial_support = "psychosocial_support"
    legal_aid = "legal_aid"
    interpretation = "interpretation"
    law_enforcement = "law_enforcement"
    child_protection = "child_protection"
    return_reintegration = "return_reintegration"
    financial_investigation = "financial_investigation"
    health_regulator = "health_regulator"
    consular_assistance = "consular_assistance"


class Verification(StrEnum):
    """How far a source was checked: [V] verified, [K] unverified, [?] disputed."""

    verified = "verified"
    unverified = "unverified"
    disputed = "disputed"


class TranslationStatus(StrEnum):
    """Review state of one language in one file."""

    source = "source"
    draft = "draft"
    reviewed = "reviewed"


class Answer(StrEnum):
    """A practitioner's answer to one indicator question."""

    yes = "yes"
    no = "no"
    unknown = "unknown"


class Level(StrEnum):
    """Screening result level; declaration order is lowest first."""

    none = "none"
    low = "low"
    medium = "medium"
    high = "high"


class Text(Frozen):
    """One text in all six languages."""

    en: NonEmpty
    ur: NonEmpty
    ar: NonEmpty
    fa: NonEmpty
    es: NonEmpty
    fr: NonEmpty

    def get(self, lang: str) -> str:
        """The text in ``lang`` (a code from ``LANGS``)."""
        return str(getattr(self, Lang(lang).value))


class Evidences(Frozen):
    """One legal element an indicator can evidence."""

    element: Element
    means: Means | None = None
    act: Act | None = None

    @model_validator(mode="after")
    def _means_and_act_fit_element(self) -> Evidences:
        if self.element is Element.means and self.means is None:
            raise ValueError("element 'means' needs `means:` naming which means")
        if self.means is not None and self.element is not Element.means:
            raise ValueError("`means:` is only allowed with element: means")
        if self.act is not None and self.element is not Element.act:
            raise ValueError("`act:` is only allowed with element: act")
        return self


class Questions(Frozen):
    """Question wording: ``default`` plus optional overrides per observer."""

    default: Text
    police: Text | None = None
    prosecutor: Text | None = None
    ngo: Text | None = None
    helpline: Text | None = None
    labour_inspector: Text | None = None
    transplant_clinician: Text | None = None
    authorisation_committee: Text | None = None
    nephrologist: Text | None = None
    health_regulator: Text | None = None
    fiu: Text | None = None
    border_officer: Text | None = None

    def for_observer(self, observer: str | None) -> Text:
        """The observer's own wording, else the default."""
        if observer is None:
            return self.default
        own: Text | None = getattr(self, Observer(observer).value)
        return own if own is not None else self.default

    def overridden(self) -> tuple[Observer, ...]:
        """Observers that have their own wording."""
        return tuple(o for o in Observer if getattr(self, o.value) is not None)


class Referral(Frozen):
    """A service to refer to, optionally within a deadline."""

    service: Service
    within_hours: Annotated[int, Field(ge=0)] | None = None


class Source(Frozen):
    """Where the indicator comes from, and how far that was checked."""

    ref: NonEmpty
    url: NonEmpty | None = None
    verification: Verification


IndicatorId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}-[0-9]{2,3}$")]
CaseRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]


class Indicator(Frozen):
    """One observable sign of trafficking for organ removal."""

    id: IndicatorId
    label: Text
    observers: Annotated[tuple[Observer, ...], Field(min_length=1)]
    stage: Stage
    evidences: Annotated[tuple[Evidences, ...], Field(min_length=1)]
    strength: Strength
    strength_reason: NonEmpty
    urgent: Urgent | None = None
    questions: Questions
    evidence: Annotated[tuple[NonEmpty, ...], Field(min_length=1)]
    referrals: tuple[Referral, ...] = ()
    seen_in: tuple[CaseRef, ...] = ()
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]


class TranslationEntry(Frozen):
    """Review status of one language, and who reviewed it."""

    status: TranslationStatus
    reviewer: NonEmpty | None = None
    note: NonEmpty | None = None


class Translations(Frozen):
    """Review status per language for one file."""

    en: TranslationEntry
    ur: TranslationEntry
    ar: TranslationEntry
    fa: TranslationEntry
    es: TranslationEntry
    fr: TranslationEntry

    def status(self, lang: str) -> TranslationStatus:
        """Status of ``lang`` in this file."""
        entry: TranslationEntry = getattr(self, Lang(lang).value)
        return entry.status


class IndicatorFile(Frozen):
    """One ``indicators/<group>.yaml`` file."""

    schema_version: Literal[1]
    group: Group
    title: Text
    translations: Translations
    indicators: Annotated[tuple[Indicator, ...], Field(min_length=1)]
