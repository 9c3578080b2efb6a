"""Typed screening input and result (pydantic, immutable); their JSON Schemas are shipped."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from tipor.catalogue.schema import (
    Act,
    Answer,
    Element,
    Group,
    Level,
    Means,
    Service,
    Stage,
    Strength,
    Urgent,
)

ENGINE_VERSION = "screening-1"
TextField = Annotated[str, Field(max_length=4000)]


class Frozen(BaseModel):
    """Base: unknown keys rejected, instances immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Observation(Frozen):
    """One answer: yes / no / unknown, with who said it or what document shows it."""

    answer: Answer
    note: TextField | None = None
    source: TextField | None = None


def _expand(value: Any) -> Any:
    """Accept the shorthand ``VIC-01: yes`` and YAML's reading of bare yes/no as booleans."""
    if isinstance(value, bool):
        return {"answer": "yes" if value else "no"}
    if isinstance(value, str):
        return {"answer": value}
    if isinstance(value, dict) and isinstance(value.get("answer"), bool):
        return {**value, "answer": "yes" if value["answer"] else "no"}
    return value


ObservationIn = Annotated[
    Observation, BeforeValidator(_expand, json_schema_input_type=Observation | Answer)
]


class ScreeningRequest(Frozen):
    """What a practitioner observed, in one profile, against one catalogue version."""

    schema_version: Literal[1] = 1
    profile: Annotated[str, Field(min_length=1)]
    observer: str | None = None
    language: str = "en"
    catalogue_version: Annotated[str, Field(min_length=1)]
    observations: dict[str, ObservationIn] = Field(default_factory=dict)


class Contribution(Frozen):
    """How one indicator counted, and why."""

    indicator: str
    label: str
    group: Group
    stage: Stage
    strength: Strength
    answer: Answer
    points: int
    in_profile: bool
    reason: str
    note: str | None = None
    source: str | None = None


class UrgentFlag(Frozen):
    """A safeguarding flag raised by answered-yes indicators."""

    flag: Urgent
    title: str
    indicators: tuple[str, ...]


class Confidence(Frozen):
    """Share of the profile's weight that was answered (yes or no)."""

    share: float
    answered_weight: int
    total_weight: int
    answered: int
    total: int


class ElementFinding(Frozen):
    """Whether a legal element is supported, by which yes answers, and what could still show it."""

    element: Element
    means: Means | None = None
    title: str
    supported: bool
    supported_by: tuple[str, ...]
    acts: tuple[Act, ...] = ()
    open_questions: tuple[str, ...]


class QuestionStep(Frozen):
    """A question still to ask, in the requested language and observer wording."""

    indicator: str
    strength: Strength
    stage: Stage
    question: str


class EvidenceStep(Frozen):
    """Evidence to secure for one indicator."""

    indicator: str
    because: Literal["answered_yes", "strong_unknown"]
    items: tuple[str, ...]


class ReferralStep(Frozen):
    """A referral to make; ``within_hours`` 0 means now, None means no deadline set."""

    service: Service
    title: str
    within_hours: int | None
    immediate: bool
    reasons: tuple[str, ...]


class NextSteps(Frozen):
    """What to do next."""

    questions: tuple[QuestionStep, ...]
    evidence: tuple[EvidenceStep, ...]
    referrals: tuple[ReferralStep, ...]


class ScreeningResult(Frozen):
    """The explained outcome of one screening; equal inputs give equal results."""

    engine_version: str
    catalogue_version: str
    profile: str
    observer: str | None
    language: str
    level: Level
    level_title: str
    level_reason: str
    points: int
    strong_yes: int
    urgent: tuple[UrgentFlag, ...]
    contributions: tuple[Contribution, ...]
    confidence: Confidence
    unanswered: tuple[str, ...]
    outside_profile: tuple[str, ...]
    elements: tuple[ElementFinding, ...]
    next_steps: NextSteps
    notes: tuple[str, ...]
