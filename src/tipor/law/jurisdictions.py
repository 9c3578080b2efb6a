"""Jurisdiction profiles (format 2): the model of a profile file, and the loader.

Each profile (``data/jurisdictions/XX.yaml``) states, rule by rule, what a state's law says about
trafficking for organ removal and organ trade. Every rule carries its sources and a **tier**:

- ``primary``: the statute, gazette or judgment text was read; the rule has a pinpoint citation
  (act, section, subsection) and a source with a URL or an official citation. Only this tier is
  shown as verified law.
- ``official``: a government, UN or treaty-body summary.
- ``reported``: a press, NGO or practitioner report.
- ``unverified``: nothing checkable; a placeholder citation always lands here.

Law knows its dates: statutes, offence versions, procedural bars and special rules carry
``in_force_from`` / ``in_force_to`` at day precision (inclusive; ``None`` = unknown start or no
end). An amendment is a new **version** of the same offence, so the engine can pick the version
in force at the time of the conduct and compare penalties. Cross-field checks (no overlapping
versions, references that resolve, pinpoints on primary rules) live in ``profile_checks``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tipor.datafiles import load_yaml
from tipor.exceptions import CatalogueError

FORMAT_VERSION = 2
Tier = Literal["primary", "official", "reported", "unverified"]
TIERS: tuple[str, ...] = Tier.__args__  # type: ignore[attr-defined]
SourceKind = Literal[
    "statute", "gazette", "judgment", "official", "treaty_body", "press", "ngo", "academic",
    "practitioner", "placeholder",
]
PRIMARY_KINDS = frozenset({"statute", "gazette", "judgment"})
Coverage = Literal["yes", "no", "disputed", "unknown"]
LiableRole = Literal["seller", "broker", "recipient", "medical_staff", "facility", "any"]
Conduct = Literal[
    "trafficking", "removal_without_authority", "selling_organ", "buying_organ", "brokering",
    "advertising", "performing_commercial_transplant", "facility_commercial_transplant",
    "falsifying_documents", "undue_advantage", "organised_crime", "unlawful_surgery",
    "abuse_of_office", "kidnapping", "wrongful_confinement", "money_laundering",
    "unqualified_practice", "receiving_illicit_transplant",
]
CONDUCTS: tuple[str, ...] = Conduct.__args__  # type: ignore[attr-defined]
Form = Literal["attempt", "abetment", "conspiracy", "preparation"]
FORMS: tuple[str, ...] = Form.__args__  # type: ignore[attr-defined]
_DEFAULT_FORMS: tuple[Form, ...] = ("attempt", "abetment", "conspiracy")
Requirement = Literal[
    "cross_border_movement", "victim_minor", "victim_adult", "commercial_purpose",
    "living_donor", "means_established",
]
LawfulCondition = Literal[
    "authorised_programme", "donor_national", "recipient_national", "same_nationality",
    "close_relative", "committee_approval",
]
StatuteKind = Literal["trafficking", "transplant", "penal_code", "procedure", "other"]
_ID = r"^[a-z0-9][a-z0-9-]*$"
_SUBDIVISION = r"^[A-Z]{2}-[A-Z0-9]{1,3}$"
_PLACEHOLDER = re.compile(r"general knowledge|not checked|domain reference|placeholder", re.I)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """Where a rule comes from: the document, its kind, and the exact provision cited."""

    citation: str = Field(min_length=1)
    url: str | None = None
    kind: SourceKind = "placeholder"
    pinpoint: str = Field("", description="section/article and subsection in this source")

    @property
    def is_placeholder(self) -> bool:
        """Whether this source names nothing a reader could check."""
        return self.kind == "placeholder" or bool(_PLACEHOLDER.search(self.citation))


class Review(_Model):
    """One check of a rule by a person: who, when, against which text, and the outcome."""

    by: str = Field(min_length=1)
    on: dt.date
    against: str = Field(min_length=1, description="the text or source read")
    outcome: Literal["confirmed", "corrected", "downgraded", "could_not_verify"]
    note: str = ""


class Rule(_Model):
    """Anything stated about the law: where it comes from and how sure it is."""

    sources: list[Source] = Field(min_length=1)
    tier: Tier
    pinpoint: str = Field("", description="act, section, subsection (required for primary)")
    disputed: bool = False
    note: str = ""
    reviews: list[Review] = Field(default_factory=list)

    @property
    def effective_tier(self) -> Tier:
        """The tier readers see: placeholder-only rules are unverified, whatever they say."""
        if all(s.is_placeholder for s in self.sources):
            return "unverified"
        return self.tier

    @property
    def verified(self) -> bool:
        """Only primary rules display as verified law."""
        return self.effective_tier == "primary"


class Dated(_Model):
    """A validity window, inclusive at both ends; None means unknown start or no end."""

    in_force_from: dt.date | None = None
    in_force_to: dt.date | None = None
    #: Where the start is not sourced: a date by which a source shows the rule in force (e.g. a
    #: court applying it to conduct of that date). Conduct from then on is "in force"; before
    #: it, still "unknown". Never a guessed start.
    in_force_by: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Dated:
        if self.in_force_from and self.in_force_to and self.in_force_to < self.in_force_from:
            raise ValueError(f"in_force_to {self.in_force_to} is before in_force_from "
                             f"{self.in_force_from}: swap them or correct the date")
        if self.in_force_by and self.in_force_from:
            raise ValueError("in_force_by is only for rules whose start is not sourced: keep "
                             "in_force_from and remove in_force_by")
        if self.in_force_by and self.in_force_to and self.in_force_to < self.in_force_by:
            raise ValueError(f"in_force_to {self.in_force_to} is before in_force_by "
                             f"{self.in_force_by}: correct one of them")
        return self


class Statute(Rule, Dated):
    """A statute (or code, ordinance, regulation); ``name`` is "unknown" where nothing is known."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    kind: StatuteKind
    covers_organ_removal: Coverage | None = Field(
        None, description="for trafficking statutes: whether exploitation includes organ removal")
    territorial_extent: list[str] = Field(default_factory=list,
                                          description="ISO 3166-2 subdivisions; empty = whole state")
    requires: list[Requirement] = Field(default_factory=list)
    repealed_by: str = ""


class Penalty(_Model):
    """A penalty; ``text`` is authoritative, the numbers help comparison."""

    text: str = Field(min_length=1)
    min_years: float | None = Field(None, ge=0)
    max_years: float | None = Field(None, ge=0)
    life: bool = False
    death: bool = False
    fine: str = ""
    known: bool = True


class OffenceVersion(Rule, Dated):
    """One version of an offence: its provision, penalty and validity window."""

    section: str = Field(min_length=1)
    penalty: Penalty
    covers: list[Conduct] | None = Field(None, description="overrides the offence's covers")
    amended_by: str = ""


class Offence(_Model):
    """An offence that may apply, what conduct it covers, who it reaches, and its versions."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    statute: str = Field(min_length=1, description="id of a statute in this profile")
    covers: list[Conduct] = Field(min_length=1)
    liable: list[LiableRole] = Field(default_factory=list)
    exempt: list[LiableRole] = Field(default_factory=list,
                                     description="participants the law expressly exempts")
    requires: list[Requirement] = Field(default_factory=list)
    forms: list[Form] = Field(default_factory=lambda: list(_DEFAULT_FORMS),
                              description="inchoate/participation forms punishable")
    companion: bool = Field(False, description="a general offence commonly charged alongside")
    territorial_extent: list[str] = Field(default_factory=list)
    versions: list[OffenceVersion] = Field(min_length=1)


class GeneralPartRule(Rule, Dated):
    """An attempt, abetment, conspiracy or preparation provision of the general part."""

    form: Form
    section: str = Field(min_length=1)
    penalty_rule: Literal["same", "reduced", "fraction", "separate", "unknown"]
    fraction: float | None = Field(None, gt=0, le=1)
    text: str = Field(min_length=1)


class ProceduralBar(Rule, Dated):
    """A condition on prosecution (cognizance, sanction, complaint, limitation)."""

    id: str = Field(pattern=_ID)
    kind: Literal["cognizance", "sanction", "complaint", "limitation", "other"]
    offences: list[str] = Field(min_length=1, description="ids of offences it bars")
    text: str = Field(min_length=1)


class Liability(Rule):
    """Whether one kind of participant is liable."""

    value: Literal["yes", "no", "disputed", "unknown", "conditional"]


class LiabilityTable(_Model):
    """Liability of each participant."""

    seller: Liability
    broker: Liability
    recipient: Liability
    medical_staff: Liability
    facility: Liability


class Reach(Rule, Dated):
    """Whether the state's law reaches conduct abroad on one basis."""

    value: Literal["yes", "no", "unknown"]


class Extraterritorial(_Model):
    """Extraterritorial reach by the offender's and by the victim's nationality."""

    offender_nationality: Reach
    victim_nationality: Reach


class Cets216(Rule):
    """Status under the Council of Europe Convention against Trafficking in Human Organs."""

    status: Literal["party", "signatory", "not_signed", "not_eligible", "unknown"]
    signed: dt.date | None = None
    ratified: dt.date | None = None
    in_force: dt.date | None = None


class NonPunishment(Rule):
    """Whether victims are protected from punishment for offences they were made to commit."""

    value: Literal["yes", "no", "partial", "unknown"]


class LawfulConduct(Rule, Dated):
    """Conduct the law allows only under conditions (e.g. Iran's regulated paid donation)."""

    conduct: Conduct
    condition: str = Field(min_length=1, description="the condition in words")
    conditions: list[LawfulCondition] = Field(
        min_length=1, description="every one must hold on the facts for the conduct to be lawful")


class SpecialRule(Rule, Dated):
    """A rule worth showing that fits no other field (e.g. a ban on sale to foreigners)."""

    id: str = Field(pattern=_ID)
    text: str = Field(min_length=1)


class Jurisdiction(_Model):
    """One jurisdiction profile."""

    format_version: Literal[2] = 2
    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str = Field(min_length=1)
    scope: str = Field("", description="which part of the state's law, where it differs")
    subdivisions: dict[str, str] = Field(default_factory=dict,
                                         description="ISO 3166-2 code -> name, where law differs")
    statutes: list[Statute] = Field(min_length=1)
    general_part: list[GeneralPartRule] = Field(default_factory=list)
    offences: list[Offence] = Field(default_factory=list)
    procedural_bars: list[ProceduralBar] = Field(default_factory=list)
    liability: LiabilityTable
    extraterritorial: Extraterritorial
    cets216: Cets216
    non_punishment: NonPunishment
    lawful_conduct: list[LawfulConduct] = Field(default_factory=list)
    special_rules: list[SpecialRule] = Field(default_factory=list)

    def statutes_of(self, kind: StatuteKind) -> list[Statute]:
        """The statutes of one kind, oldest first (unknown start first)."""
        found = [s for s in self.statutes if s.kind == kind]
        return sorted(found, key=lambda s: s.in_force_from or dt.date.min)

    def statute(self, ident: str) -> Statute | None:
        """The statute with this id."""
        return next((s for s in self.statutes if s.id == ident), None)

    def offence(self, ident: str) -> Offence | None:
        """The offence with this id."""
        return next((o for o in self.offences if o.id == ident), None)


@dataclass(frozen=True)
class JurisdictionSet:
    """The loaded profiles, by code, with the version of the data they came from."""

    profiles: Mapping[str, Jurisdiction]
    data_version: str
    codes: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", tuple(sorted(self.profiles)))

    def get(self, code: str) -> Jurisdiction | None:
        """The profile for ``code``, or None when there is none."""
        return self.profiles.get(code)


def data_dir() -> Traversable:
    """The shipped folder of jurisdiction profiles."""
    return files("tipor.law") / "data" / "jurisdictions"


def jurisdiction_json_schema() -> dict[str, Any]:
    """The JSON Schema of a profile file, generated from the model."""
    schema = Jurisdiction.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://tipor.invalid/schemas/jurisdiction.schema.json"
    return schema


def parse_profile(name: str, raw: object) -> Jurisdiction:
    """Validate one profile document; raise CatalogueError listing every problem."""
    from tipor.law.profile_checks import check_profile  # the checks read the model

    try:
        profile = Jurisdiction.model_validate(raw)
    except ValidationError as exc:
        problems = [(f"{name}: {_loc(e['loc'])}", _message(e)) for e in exc.errors()]
        raise CatalogueError(f"jurisdiction profile {name} is invalid", problems) from None
    problems = [(f"{name}: {path}", msg) for path, msg in check_profile(profile)]
    if name.removesuffix(".yaml") != profile.code:
        problems.append((f"{name}: code", f"code {profile.code} does not match the file name: "
                                          f"rename the file to {profile.code}.yaml"))
    if problems:
        raise CatalogueError(f"jurisdiction profile {name} is invalid", problems)
    return profile


def _message(error: Any) -> str:
    msg = str(error["msg"])
    if error.get("type") == "literal_error":
        return f"{msg} (got {error.get('input')!r}): use one of the values listed"
    return msg.removeprefix("Value error, ")


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def _profile_files(directory: Traversable) -> Iterator[Traversable]:
    entries = [e for e in directory.iterdir()
               if e.name.endswith(".yaml") and not e.name.startswith("_")]
    yield from sorted(entries, key=lambda e: e.name)


def load_jurisdictions(directory: Traversable | None = None) -> JurisdictionSet:
    """Load and validate every profile; the data version names the declared version and hash."""
    folder = directory or data_dir()
    digest = hashlib.sha256()
    profiles: dict[str, Jurisdiction] = {}
    problems: list[tuple[str, str]] = []
    for entry in _profile_files(folder):
        text = entry.read_bytes()
        digest.update(entry.name.encode() + b"\0" + text)
        try:
            profile = parse_profile(entry.name, load_yaml(text))
        except yaml.YAMLError as exc:
            problems.append((entry.name, f"not valid YAML: {exc}"))
            continue
        except CatalogueError as exc:
            problems += exc.problems
            continue
        profiles[profile.code] = profile
    if problems:
        raise CatalogueError("jurisdiction profiles are invalid", problems)
    return JurisdictionSet(profiles, f"{_declared_version(folder)}+{digest.hexdigest()[:12]}")


def _declared_version(folder: Traversable) -> str:
    meta = folder / "_meta.yaml"
    if not meta.is_file():
        return "unversioned"
    data = load_yaml(meta.read_text(encoding="utf-8")) or {}
    return str(data.get("version", "unversioned"))
