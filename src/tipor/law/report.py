"""The qualification report: typed, JSON-ready (``to_dict``) and printable (``render_text``).

Documented in ``docs/formats/qualification-report.md``; printed by ``tipor.law.render``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tipor.law.index import Status
from tipor.law.jurisdictions import Source, Tier

# Labels of the international instruments' articles (organ-trade track), not of national rules.
Verification = Literal["verified", "unverified", "disputed"]
InForce = Literal["yes", "no", "unknown", "straddles"]

NOTICE = (
    "This report supports legal judgement and does not replace it. It applies the elements of "
    "the offences to the facts as entered; a finding is only as good as those facts. Only rules "
    "marked verified (statute text) were checked against the primary legal text; official "
    "summaries, press or NGO reports and unverified or disputed rules must be confirmed by a "
    "lawyer before anyone relies on them."
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Finding(_Model):
    """One element or offence: the finding, the facts relied on, and what is still needed."""

    element: str
    status: Status
    summary: str
    rests_on: list[str] = []
    notes: list[str] = []
    evidence_needed: list[str] = []
    stage: str | None = None


class OffenderFinding(_Model):
    """One offender's part in trafficking a donor."""

    offender: str
    label: str
    status: Status
    rests_on: list[str]
    summary: str


class VictimFinding(_Model):
    """The trafficking track for one donor (Palermo Protocol art. 3)."""

    victim: str
    label: str
    child: Status
    status: Status
    act: Finding
    means: Finding
    purpose: Finding
    consent: Finding | None = None
    inchoate: Finding | None = None
    vulnerability: Finding | None = None
    offenders: list[OffenderFinding] = []


class TraffickingTrack(_Model):
    """Trafficking in persons for organ removal, per donor."""

    instrument: str
    victims: list[VictimFinding]
    established_count: int
    summary: str


class OrganTradeFinding(_Model):
    """One organ-trade offence (CETS 216 / Declaration of Istanbul) for one act or donor."""

    offence: str
    title: str
    article: str
    article_verification: Verification
    definition: str
    subject: str
    actors: list[str]
    victims: list[str]
    finding: Finding


class Aggravation(_Model):
    """An aggravating circumstance (CETS 216 art. 13)."""

    kind: str
    title: str
    article: str
    article_verification: Verification
    status: Status
    persons: list[str]
    rests_on: list[str]
    summary: str
    notes: list[str] = []
    evidence_needed: list[str] = []


class OrganTradeTrack(_Model):
    """Organ trafficking with or without trafficking means."""

    instrument: str
    findings: list[OrganTradeFinding]
    aggravations: list[Aggravation]
    summary: str


class RuleView(_Model):
    """A rule from a jurisdiction profile, as shown in the report, with its tier."""

    text: str
    value: str
    tier: Tier
    tier_label: str
    pinpoint: str = ""
    disputed: bool = False
    window: str = ""
    sources: list[Source]
    note: str = ""
    last_review: str = ""


class ActorUnderOffence(_Model):
    """One actor's conduct that an offence may cover, and how (completed, attempt …)."""

    actor: str
    label: str
    conduct: list[str]
    status: Status
    jurisdiction_basis: list[str]
    in_force: InForce
    rests_on: list[str]
    form: str = ""
    charge: str = ""
    notes: list[str] = []


class CandidateOffence(_Model):
    """A national offence that may apply: the version in force at the time, who it may reach."""

    offence: str
    name: str
    statute: str
    section: str
    penalty: str
    tier: Tier
    tier_label: str
    pinpoint: str = ""
    disputed: bool = False
    window: str = ""
    sources: list[Source]
    note: str
    temporal_notes: list[str] = []
    procedural_bars: list[RuleView] = []
    territorial_extent: list[str] = []
    actors: list[ActorUnderOffence]


class JurisdictionFinding(_Model):
    """The national track for one jurisdiction."""

    code: str
    name: str
    profiled: bool
    scope: str = ""
    connection: list[str] = []
    statutes: list[RuleView] = []
    candidate_offences: list[CandidateOffence] = []
    general_part: list[RuleView] = []
    procedural_bars: list[RuleView] = []
    liability: dict[str, RuleView] = {}
    cets216: RuleView | None = None
    non_punishment: RuleView | None = None
    special_rules: list[RuleView] = []
    notes: list[str] = []


class Claim(_Model):
    """One basis on which a state could claim jurisdiction over an actor."""

    jurisdiction: str
    basis: Literal["territory", "offender_nationality", "victim_nationality"]
    status: Literal["yes", "possible"]
    detail: str
    tier: Tier | Literal["general_principle"]
    tier_label: str
    rests_on: list[str]


class ActorClaims(_Model):
    """Which states could claim an actor."""

    actor: str
    label: str
    roles: list[str]
    conduct: list[str]
    claims: list[Claim]
    claimants: list[str]


class ConductCheck(_Model):
    """Whether one conduct is criminal in the requesting and the requested state at the time."""

    conduct: str
    requesting: str
    requested: str
    requesting_in_force: InForce = "unknown"
    requested_in_force: InForce = "unknown"
    detail: str


class DoubleCriminality(_Model):
    """Double criminality of an actor's conduct between two states."""

    actor: str
    label: str
    requesting: str
    requested: str
    result: Literal["satisfied", "fails", "uncertain"]
    checks: list[ConductCheck]
    summary: str


class SellerExposure(_Model):
    """A donor's position in one state: protected as a victim or exposed to prosecution."""

    jurisdiction: str
    exposure: Literal["protected", "exposed", "at_risk", "not_exposed", "conditional",
                      "unknown"]
    offences: list[str]
    non_punishment: str
    non_punishment_tier: Tier | None = None
    principle: str = ""
    note: str


class SellerStatus(_Model):
    """Whether a donor is a victim to protect or exposed somewhere, and where."""

    donor: str
    label: str
    trafficking_status: Status
    sold_or_promised: Status
    jurisdictions: list[SellerExposure]


class CrossBorderTrack(_Model):
    """Jurisdiction, double criminality, gaps and the position of sellers."""

    actors: list[ActorClaims]
    double_criminality: list[DoubleCriminality]
    gaps: list[str]
    sellers: list[SellerStatus]


ProtectionKind = Literal["medical_examination", "safety", "non_punishment_screening",
                         "interpreter", "child_protection"]


class ProtectiveStep(_Model):
    """A step to protect donors, named with the persons concerned and why."""

    kind: ProtectionKind
    title: str
    persons: list[str]
    person_ids: list[str]
    why: str
    rests_on: list[str] = []


class EvidenceItem(_Model):
    """Evidence still needed, phrased for a prosecutor."""

    track: str
    subject: str
    text: str


class QualificationReport(_Model):
    """The whole report."""

    engine_version: str
    data_version: str
    notice: str
    title: str
    reference: str
    jurisdictions: list[str]
    trafficking: TraffickingTrack
    organ_trade: OrganTradeTrack
    national: list[JurisdictionFinding]
    crossborder: CrossBorderTrack
    protection: list[ProtectiveStep] = []
    evidence_needed: list[EvidenceItem]

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        return self.model_dump(mode="json")
