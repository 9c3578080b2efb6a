"""Jurisdiction profiles: the model of a profile file, and the loader.

Each profile (``data/jurisdictions/XX.yaml``) states, rule by rule, what a state's law says about
trafficking for organ removal and organ trade. Every rule carries its sources and a verification
status (verified / unverified / disputed) so that the engine never shows uncertain law as settled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tipor.exceptions import CatalogueError

Verification = Literal["verified", "unverified", "disputed"]
Coverage = Literal["yes", "no", "disputed", "unknown"]
LiableRole = Literal["seller", "broker", "recipient", "medical_staff", "facility", "any"]
Conduct = Literal[
    "trafficking", "removal_without_authority", "selling_organ", "buying_organ", "brokering",
    "advertising", "performing_commercial_transplant", "facility_commercial_transplant",
    "falsifying_documents", "undue_advantage", "organised_crime", "unlawful_surgery",
    "abuse_of_office",
]
CONDUCTS: tuple[str, ...] = Conduct.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """Where a rule comes from."""

    citation: str = Field(min_length=1)
    url: str | None = None


class Rule(_Model):
    """Anything stated about the law: it must say where it comes from and how sure it is."""

    sources: list[Source] = Field(min_length=1)
    verification: Verification
    note: str = ""


class Statute(Rule):
    """A statute; ``name`` is "unknown" where nothing is known."""

    name: str = Field(min_length=1)
    in_force_from: int | None = Field(None, ge=1800, le=2100)


class TraffickingStatute(Statute):
    """The general anti-trafficking statute and whether it reaches organ removal."""

    covers_organ_removal: Coverage


class Penalty(_Model):
    """A penalty as reported; ``text`` is authoritative, the numbers help sorting."""

    text: str = Field(min_length=1)
    min_years: float | None = Field(None, ge=0)
    max_years: float | None = Field(None, ge=0)
    life: bool = False
    death: bool = False


class Offence(Rule):
    """An offence that may apply, and which conduct it covers."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    statute: str = Field(min_length=1)
    section: str = "unknown"
    covers: list[Conduct] = Field(min_length=1)
    penalty: Penalty
    in_force_from: int | None = Field(None, ge=1800, le=2100)
    liable: list[LiableRole] = Field(default_factory=list)


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


class Reach(Rule):
    """Whether the state's law reaches conduct abroad on one basis."""

    value: Literal["yes", "no", "unknown"]


class Extraterritorial(_Model):
    """Extraterritorial reach by the offender's and by the victim's nationality."""

    offender_nationality: Reach
    victim_nationality: Reach


class Cets216(Rule):
    """Status under the Council of Europe Convention against Trafficking in Human Organs."""

    status: Literal["party", "signatory", "not_signed", "not_eligible", "unknown"]


class NonPunishment(Rule):
    """Whether victims are protected from punishment for offences they were made to commit."""

    value: Literal["yes", "no", "partial", "unknown"]


class LawfulConduct(Rule):
    """Conduct the state's law expressly allows (e.g. Iran's regulated paid donation)."""

    conduct: Conduct
    condition: str = Field(min_length=1)


class SpecialRule(Rule):
    """A rule worth showing that fits no other field (e.g. a ban on sale to foreigners)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    text: str = Field(min_length=1)


class Jurisdiction(_Model):
    """One jurisdiction profile."""

    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str = Field(min_length=1)
    scope: str = Field("", description="which part of the state's law, where it differs")
    trafficking_statute: TraffickingStatute
    transplant_statute: Statute
    offences: list[Offence] = Field(default_factory=list)
    liability: LiabilityTable
    extraterritorial: Extraterritorial
    cets216: Cets216
    non_punishment: NonPunishment
    lawful_conduct: list[LawfulConduct] = Field(default_factory=list)
    special_rules: list[SpecialRule] = Field(default_factory=list)


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


def missing_sources(raw: object, path: str = "") -> list[str]:
    """Paths of rules (mappings with a ``verification``) that cite no source."""
    found: list[str] = []
    if isinstance(raw, dict):
        if "verification" in raw and not _has_citation(raw.get("sources")):
            found.append(path or "(root)")
        for key, value in raw.items():
            found += missing_sources(value, f"{path}.{key}" if path else str(key))
    elif isinstance(raw, list):
        for i, value in enumerate(raw):
            found += missing_sources(value, f"{path}[{i}]")
    return found


def _has_citation(sources: object) -> bool:
    if not isinstance(sources, list) or not sources:
        return False
    return all(isinstance(s, dict) and str(s.get("citation", "")).strip() for s in sources)


def parse_profile(name: str, raw: object) -> Jurisdiction:
    """Validate one profile document; raise CatalogueError listing every problem."""
    problems = [(f"{name}: {p}", "rule has no source") for p in missing_sources(raw)]
    try:
        profile = Jurisdiction.model_validate(raw)
    except ValidationError as exc:
        problems += [(f"{name}: {_loc(e['loc'])}", e["msg"]) for e in exc.errors()]
        raise CatalogueError(f"jurisdiction profile {name} is invalid", problems) from None
    if problems:
        raise CatalogueError(f"jurisdiction profile {name} is invalid", problems)
    if name.removesuffix(".yaml") != profile.code:
        raise CatalogueError(f"jurisdiction profile {name} is invalid",
                             [(f"{name}: code", f"code {profile.code} does not match file name")])
    return profile


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
            profile = parse_profile(entry.name, yaml.safe_load(text))
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
    data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
    return str(data.get("version", "unversioned"))
