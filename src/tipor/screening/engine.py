"""Screening engine: observations + profile + catalogue → explained level and next steps (pure).

Scoring rule (also in docs/formats/screening.md)
-----------------------------------------------
* Each indicator answered **yes** scores points by strength: strong 3, medium 2, weak 1.
  **no** and **unknown** score 0. A "no" never subtracts: the absence of one sign is not evidence
  that nothing happened. An "unknown" is never treated as "no": it lowers *confidence*, is listed
  as unanswered and comes back as a question to ask.
* Level, from the yes answers only (``points`` = sum, ``strong`` = number of strong yes):

  - ``high``   if points ≥ 9, or strong ≥ 2, or act, means and purpose are all supported
    and points ≥ 6;
  - ``medium`` if points ≥ 4, or strong ≥ 1;
  - ``low``    if points ≥ 1;
  - ``none``   otherwise (no indication).

  Every condition only grows with more yes answers, so adding a yes never lowers the level, and
  turning an unknown into a no (which leaves the yes answers unchanged) never raises it.
* Confidence = weight (the same points) of the profile's indicators answered yes or no, divided
  by the weight of all the profile's indicators.
* Urgent flags (child, medical emergency, immediate danger) come from yes answers on indicators
  that carry ``urgent``; they do not change the level but always produce immediate referrals.
* Indicators outside the chosen profile are accepted when the catalogue has them: they count
  like any other, and the result lists them in ``outside_profile`` and says so in ``notes``.
"""

from __future__ import annotations

from collections.abc import Mapping

from tipor.catalogue.model import Catalogue, screening_order
from tipor.catalogue.schema import Answer, Element, Indicator, Level, Strength, Urgent
from tipor.exceptions import UnknownValue, ValidationFailed
from tipor.screening.models import (
    ENGINE_VERSION,
    Confidence,
    Contribution,
    Observation,
    ScreeningRequest,
    ScreeningResult,
    UrgentFlag,
)
from tipor.screening.steps import element_findings, next_steps, notes

POINTS: dict[Strength, int] = {Strength.strong: 3, Strength.medium: 2, Strength.weak: 1}
HIGH_POINTS, HIGH_STRONG, PALERMO_POINTS = 9, 2, 6
MEDIUM_POINTS, MEDIUM_STRONG = 4, 1
UNKNOWN = Observation(answer=Answer.unknown)


def level_for(points: int, strong: int, palermo_complete: bool) -> tuple[Level, str]:
    """The level and the rule that gave it (see the module docstring)."""
    if points >= HIGH_POINTS:
        return Level.high, f"{points} points (high from {HIGH_POINTS})"
    if strong >= HIGH_STRONG:
        return Level.high, f"{strong} strong indicators answered yes (high from {HIGH_STRONG})"
    if palermo_complete and points >= PALERMO_POINTS:
        return Level.high, (f"act, means and purpose all indicated, with {points} points "
                            f"(high from {PALERMO_POINTS})")
    if points >= MEDIUM_POINTS:
        return Level.medium, f"{points} points (medium from {MEDIUM_POINTS})"
    if strong >= MEDIUM_STRONG:
        return Level.medium, "a strong indicator answered yes"
    if points >= 1:
        return Level.low, f"{points} point(s) from weaker indicators"
    return Level.none, "no indicator answered yes"


def check_request(catalogue: Catalogue, request: ScreeningRequest) -> tuple[Indicator, ...]:
    """Validate the request against the catalogue; return the profile's indicators."""
    if request.catalogue_version != catalogue.version:
        msg = (f"the answers were given against catalogue version {request.catalogue_version!r} "
               f"but the loaded catalogue is version {catalogue.version!r}; screen again with "
               "the current questions")
        raise ValidationFailed(msg, [("catalogue_version", msg)])
    selected = catalogue.indicators_for(request.profile)
    catalogue.check_language(request.language)
    if request.observer is not None:
        catalogue.check_observer(request.observer)
    unknown = [i for i in request.observations if not catalogue.has_indicator(i)]
    if unknown:
        valid = [i.id for i in catalogue.indicators]
        err = UnknownValue("indicator", unknown[0], valid, f"observations.{unknown[0]}")
        err.problems += [(f"observations.{u}", f"unknown indicator {u!r}") for u in unknown[1:]]
        raise err
    return selected


def _contribution(
    catalogue: Catalogue, ind: Indicator, obs: Observation, in_profile: bool, lang: str
) -> Contribution:
    points = POINTS[ind.strength] if obs.answer is Answer.yes else 0
    reason = {
        Answer.yes: f"yes, {ind.strength.value} indicator: {points} point(s). "
                    f"{ind.strength_reason}",
        Answer.no: "no: adds nothing and takes nothing away",
        Answer.unknown: "not known yet: not counted, lowers confidence, still to ask",
    }[obs.answer]
    return Contribution(
        indicator=ind.id, label=ind.label.get(lang), group=catalogue.group_of(ind.id),
        stage=ind.stage, strength=ind.strength, answer=obs.answer, points=points,
        in_profile=in_profile, reason=reason, note=obs.note, source=obs.source,
    )


def _urgent_flags(catalogue: Catalogue, yes: list[Indicator], lang: str) -> tuple[UrgentFlag, ...]:
    flags = []
    for flag in Urgent:
        ids = tuple(i.id for i in yes if i.urgent is flag)
        if ids:
            flags.append(UrgentFlag(flag=flag, title=catalogue.title("urgent", flag, lang),
                                    indicators=ids))
    return tuple(flags)


def _confidence(profile: tuple[Indicator, ...], answers: Mapping[str, Answer]) -> Confidence:
    answered = [i for i in profile if answers.get(i.id, Answer.unknown) is not Answer.unknown]
    total = sum(POINTS[i.strength] for i in profile)
    done = sum(POINTS[i.strength] for i in answered)
    share = round(done / total, 3) if total else 0.0
    return Confidence(share=share, answered_weight=done, total_weight=total,
                      answered=len(answered), total=len(profile))


def screen(catalogue: Catalogue, request: ScreeningRequest) -> ScreeningResult:
    """Screen one situation; raises ``UnknownValue``/``ValidationFailed`` on bad input."""
    profile = check_request(catalogue, request)
    lang = request.language
    in_profile = {i.id for i in profile}
    outside = tuple(sorted((catalogue.indicator(i) for i in request.observations
                            if i not in in_profile), key=screening_order))
    considered = profile + outside
    obs = {i.id: request.observations.get(i.id, UNKNOWN) for i in considered}
    answers = {k: v.answer for k, v in obs.items()}
    yes = [i for i in considered if answers[i.id] is Answer.yes]
    elements = element_findings(catalogue, considered, answers, lang)
    supported = {f.element for f in elements if f.supported and f.means is None}
    palermo = {Element.act, Element.means, Element.purpose} <= supported
    points = sum(POINTS[i.strength] for i in yes)
    strong = sum(1 for i in yes if i.strength is Strength.strong)
    level, why = level_for(points, strong, palermo)
    urgent = _urgent_flags(catalogue, yes, lang)
    return ScreeningResult(
        engine_version=ENGINE_VERSION, catalogue_version=catalogue.version,
        profile=request.profile, observer=request.observer, language=lang,
        level=level, level_title=catalogue.title("levels", level, lang), level_reason=why,
        points=points, strong_yes=strong, urgent=urgent,
        contributions=tuple(_contribution(catalogue, i, obs[i.id], i.id in in_profile, lang)
                            for i in considered),
        confidence=_confidence(profile, answers),
        unanswered=tuple(i.id for i in profile if answers[i.id] is Answer.unknown),
        outside_profile=tuple(i.id for i in outside),
        elements=elements,
        next_steps=next_steps(catalogue, considered, answers, level, urgent, request),
        notes=notes(request.profile, outside, urgent, elements),
    )
