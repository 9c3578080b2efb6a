"""Models of the catalogue's other files: ``catalogue.yaml``, ``cases.yaml``, ``profiles.yaml``.

``catalogue.yaml`` carries the version and the six-language titles the web form shows for every
code (observers, stages, elements, ...); a code without a title is an error, so a new enum value
cannot reach the UI unlabelled. ``profiles.yaml`` describes screening situations: a profile picks
indicators whose group is in ``groups`` and whose observers overlap ``observers``, then adds
``include`` and removes ``exclude`` (see ``tipor.catalogue.model.select_indicators``).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from tipor.catalogue.schema import (
    Act,
    Answer,
    CaseRef,
    Element,
    Frozen,
    Group,
    IndicatorId,
    Lang,
    Level,
    Means,
    NonEmpty,
    Observer,
    Service,
    Stage,
    Strength,
    Text,
    Urgent,
    Verification,
)


class Direction(StrEnum):
    """Text direction of a language."""

    ltr = "ltr"
    rtl = "rtl"


class Language(Frozen):
    """A catalogue language with its own name and text direction."""

    code: Lang
    name: NonEmpty
    native: NonEmpty
    direction: Direction


def _missing_codes(titles: Iterable[StrEnum], enum: type[StrEnum]) -> list[str]:
    present = {str(k) for k in titles}
    return [m.value for m in enum if m.value not in present]


TITLED: dict[str, type[StrEnum]] = {
    "observers": Observer, "stages": Stage, "elements": Element, "means": Means, "acts": Act,
    "strengths": Strength, "urgent": Urgent, "services": Service, "answers": Answer,
    "levels": Level, "groups": Group,
}


class CatalogueMeta(Frozen):
    """``catalogue.yaml``: version, languages and the titles of every code."""

    schema_version: Literal[1]
    version: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}\.[0-9]{1,2}\.[0-9]+$")]
    languages: Annotated[tuple[Language, ...], Field(min_length=1)]
    observers: dict[Observer, Text]
    stages: dict[Stage, Text]
    elements: dict[Element, Text]
    means: dict[Means, Text]
    acts: dict[Act, Text]
    strengths: dict[Strength, Text]
    urgent: dict[Urgent, Text]
    services: dict[Service, Text]
    answers: dict[Answer, Text]
    levels: dict[Level, Text]
    groups: dict[Group, Text]

    @model_validator(mode="after")
    def _every_code_titled(self) -> CatalogueMeta:
        gaps = []
        for field, enum in TITLED.items():
            missing = _missing_codes(getattr(self, field), enum)
            if missing:
                gaps.append(f"{field} lacks titles for: {', '.join(missing)}")
        codes = [lang.code for lang in self.languages]
        if sorted(codes) != sorted(Lang) or len(codes) != len(set(codes)):
            gaps.append(f"languages must list each of {', '.join(Lang)} exactly once")
        if gaps:
            raise ValueError("; ".join(gaps))
        return self


class Case(Frozen):
    """A public case an indicator was seen in."""

    id: CaseRef
    name: NonEmpty
    countries: Annotated[tuple[NonEmpty, ...], Field(min_length=1)]
    years: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(–[0-9]{4})?$")] | None = None
    summary: NonEmpty
    urls: tuple[NonEmpty, ...] = ()
    reference: NonEmpty
    verification: Verification


class CasesFile(Frozen):
    """``cases.yaml``."""

    schema_version: Literal[1]
    cases: Annotated[tuple[Case, ...], Field(min_length=1)]


ProfileId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class Profile(Frozen):
    """A screening situation: who observes, which subject groups, explicit additions/removals."""

    id: ProfileId
    title: Text
    description: Text
    observers: Annotated[tuple[Observer, ...], Field(min_length=1)]
    groups: Annotated[tuple[Group, ...], Field(min_length=1)]
    include: tuple[IndicatorId, ...] = ()
    exclude: tuple[IndicatorId, ...] = ()

    @model_validator(mode="after")
    def _include_exclude_disjoint(self) -> Profile:
        both = sorted(set(self.include) & set(self.exclude))
        if both:
            raise ValueError(f"ids both included and excluded: {', '.join(both)}")
        return self


class ProfilesFile(Frozen):
    """``profiles.yaml``."""

    schema_version: Literal[1]
    profiles: Annotated[tuple[Profile, ...], Field(min_length=1)]
