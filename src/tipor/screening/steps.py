"""Legal-element findings and next steps (questions, evidence, referrals) for one screening.

Referral rules, on top of the referrals listed by each indicator answered yes (for a service
named more than once the tightest deadline wins; "no deadline" is the loosest):

* urgent ``medical_emergency`` → medical_examination now (0 h);
* urgent ``child``             → child_protection now (0 h);
* urgent ``immediate_danger``  → law_enforcement now (0 h) and shelter within 24 h;
* level ``medium`` or ``high`` → law_enforcement and legal_aid; at ``high`` law enforcement
  within 24 h.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from tipor.catalogue.model import STAGE_ORDER, STRENGTH_ORDER, Catalogue
from tipor.catalogue.schema import (
    Answer,
    Element,
    Indicator,
    Level,
    Means,
    Service,
    Strength,
    Urgent,
)
from tipor.screening.models import (
    ElementFinding,
    EvidenceStep,
    NextSteps,
    QuestionStep,
    ReferralStep,
    ScreeningRequest,
    UrgentFlag,
)

Rule = tuple[Service, int | None, str]
URGENT_RULES: dict[Urgent, tuple[Rule, ...]] = {
    Urgent.medical_emergency: ((Service.medical_examination, 0, "rule: medical emergency"),),
    Urgent.child: ((Service.child_protection, 0, "rule: child"),),
    Urgent.immediate_danger: ((Service.law_enforcement, 0, "rule: immediate danger"),
                              (Service.shelter, 24, "rule: immediate danger")),
}
LEVEL_RULES: dict[Level, tuple[Rule, ...]] = {
    Level.medium: ((Service.law_enforcement, None, "rule: level medium"),
                   (Service.legal_aid, None, "rule: level medium")),
    Level.high: ((Service.law_enforcement, 24, "rule: level high"),
                 (Service.legal_aid, None, "rule: level high")),
}


def _supports(ind: Indicator, element: Element, means: Means | None) -> bool:
    return any(e.element is element and (means is None or e.means is means)
               for e in ind.evidences)


def _finding(
    catalogue: Catalogue, considered: Sequence[Indicator], answers: Mapping[str, Answer],
    element: Element, means: Means | None, lang: str,
) -> ElementFinding:
    relevant = [i for i in considered if _supports(i, element, means)]
    by = [i for i in relevant if answers[i.id] is Answer.yes]
    acts = sorted({e.act for i in by for e in i.evidences if e.act is not None})
    title = catalogue.title("means" if means else "elements", means or element, lang)
    return ElementFinding(
        element=element, means=means, title=title, supported=bool(by),
        supported_by=tuple(i.id for i in by), acts=tuple(acts),
        open_questions=tuple(i.id for i in relevant if answers[i.id] is Answer.unknown),
    )


def element_findings(
    catalogue: Catalogue, considered: Sequence[Indicator], answers: Mapping[str, Answer],
    lang: str,
) -> tuple[ElementFinding, ...]:
    """Act, means (any, then each means), purpose, organ-trade: supported by which yes answers."""
    keys: list[tuple[Element, Means | None]] = [(Element.act, None), (Element.means, None)]
    keys += [(Element.means, m) for m in Means]
    keys += [(Element.purpose, None), (Element.organ_trade, None)]
    return tuple(_finding(catalogue, considered, answers, e, m, lang) for e, m in keys)


def _questions(
    catalogue: Catalogue, unknown: Iterable[Indicator], request: ScreeningRequest
) -> tuple[QuestionStep, ...]:
    ordered = sorted(unknown, key=lambda i: (STRENGTH_ORDER[i.strength],
                                             STAGE_ORDER[i.stage], i.id))
    return tuple(
        QuestionStep(indicator=i.id, strength=i.strength, stage=i.stage,
                     question=catalogue.question(i.id, request.observer, request.language))
        for i in ordered
    )


def _evidence(yes: Sequence[Indicator], unknown: Sequence[Indicator]) -> tuple[EvidenceStep, ...]:
    steps = [EvidenceStep(indicator=i.id, because="answered_yes", items=i.evidence) for i in yes]
    steps += [EvidenceStep(indicator=i.id, because="strong_unknown", items=i.evidence)
              for i in unknown if i.strength is Strength.strong]
    return tuple(steps)


def _deadline(current: int | None, new: int | None, first: bool) -> int | None:
    if first:
        return new
    if current is None or new is None:
        return new if current is None else current
    return min(current, new)


def merge_referrals(rules: Iterable[Rule]) -> dict[Service, tuple[int | None, set[str]]]:
    """Union of referral rules per service; the tightest deadline wins."""
    merged: dict[Service, tuple[int | None, set[str]]] = {}
    for service, hours, reason in rules:
        old_hours, reasons = merged.get(service, (None, set()))
        merged[service] = (_deadline(old_hours, hours, service not in merged), reasons | {reason})
    return merged


def _referrals(
    catalogue: Catalogue, yes: Sequence[Indicator], level: Level,
    urgent: Sequence[UrgentFlag], lang: str,
) -> tuple[ReferralStep, ...]:
    rules: list[Rule] = [(r.service, r.within_hours, i.id) for i in yes for r in i.referrals]
    rules += [rule for flag in urgent for rule in URGENT_RULES[flag.flag]]
    rules += list(LEVEL_RULES.get(level, ()))
    order = {s: n for n, s in enumerate(Service)}
    merged = merge_referrals(rules)
    ranked = sorted(merged, key=lambda s: (merged[s][0] is None, merged[s][0] or 0, order[s]))
    return tuple(
        ReferralStep(service=s, title=catalogue.title("services", s, lang),
                     within_hours=merged[s][0], immediate=merged[s][0] == 0,
                     reasons=tuple(sorted(merged[s][1])))
        for s in ranked
    )


def next_steps(
    catalogue: Catalogue, considered: Sequence[Indicator], answers: Mapping[str, Answer],
    level: Level, urgent: Sequence[UrgentFlag], request: ScreeningRequest,
) -> NextSteps:
    """Questions still to ask, evidence to secure and referrals to make."""
    yes = [i for i in considered if answers[i.id] is Answer.yes]
    unknown = [i for i in considered if answers[i.id] is Answer.unknown]
    return NextSteps(
        questions=_questions(catalogue, unknown, request),
        evidence=_evidence(yes, unknown),
        referrals=_referrals(catalogue, yes, level, urgent, request.language),
    )


def notes(
    profile: str, outside: Sequence[Indicator], urgent: Sequence[UrgentFlag],
    elements: Sequence[ElementFinding],
) -> tuple[str, ...]:
    """Plain-language remarks that explain how the result should be read."""
    found = {(f.element, f.means) for f in elements if f.supported}
    out = []
    if outside:
        out.append(f"{len(outside)} answered indicator(s) are not part of profile {profile!r} "
                   f"but exist in the catalogue and were counted: "
                   f"{', '.join(i.id for i in outside)}")
    if any(f.flag is Urgent.child for f in urgent):
        out.append("A child may be involved: for a child, act and purpose are enough; "
                   "no means needs to be shown (Palermo Protocol Art. 3(c)).")
    if (Element.means, None) in found:
        out.append("A means is indicated: if it is shown, the person's consent to the removal "
                   "does not matter (Palermo Protocol Art. 3(b)).")
    elif (Element.organ_trade, None) in found:
        out.append("Payment alone does not make an organ sale trafficking; without a means, "
                   "consider organ-trade offences under the transplant law.")
    out.append("This screening supports a practitioner's judgement; it does not decide "
               "whether a crime took place.")
    return tuple(out)
