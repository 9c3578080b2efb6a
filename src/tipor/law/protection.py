"""Protecting the donors: the steps the facts call for, before any evidence is sought.

Built from the facts alone (not from the legal findings), so that a donor who is not yet
proven a victim is still examined, kept safe and screened before anyone treats them as a
seller: medical examination of every potential donor (including those not yet operated on),
safety where they were threatened, held or are still within a controller's reach,
non-punishment screening for everyone who sold or was promised money, an interpreter where
their nationality differs from where the acts took place, and child protection for minors.
"""

from __future__ import annotations

from collections.abc import Iterator

from tipor.law.facts import COERCIVE_MEANS, Person
from tipor.law.index import CaseIndex, presence
from tipor.law.report import ProtectionKind, ProtectiveStep, QualificationReport

_TITLES: dict[ProtectionKind, str] = {
    "medical_examination": "Medical examination",
    "safety": "Safety",
    "non_punishment_screening": "Screening as a victim before any charge (non-punishment)",
    "interpreter": "Interpreter and consular contact",
    "child_protection": "Child protection",
}
_STAGE_RANK = {"unknown": 0, "planned": 1, "attempted": 2, "completed": 3}
_PURPOSE_STAGE = {"intended": "planned", "attempted": "attempted", "completed": "completed",
                  "unknown": "unknown"}
_EXAM_WHY = {
    "completed": "organ removed: check the remaining kidney, the wound and aftercare, and "
                 "record the scar and medical findings as evidence",
    "attempted": "removal begun but not completed: treat and examine now, and record any "
                 "injury, anaesthesia or surgical marks as evidence",
    "planned": "not yet operated on: check for work-up or cross-match tests, injections and "
               "drugs given, and make sure no removal is still being arranged",
    "unknown": "how far the removal went is not known: examine for a recent operation, tests "
               "or injuries",
}

Hit = tuple[Person, str, list[str]]  # donor, reason, facts


def protection_steps(case: CaseIndex) -> list[ProtectiveStep]:
    """Every protective step, one per kind and reason, naming the donors concerned."""
    kinds: list[tuple[ProtectionKind, list[Hit]]] = [
        ("medical_examination", list(_examinations(case))), ("safety", list(_safety(case))),
        ("non_punishment_screening", list(_screening(case))),
        ("interpreter", list(_interpreters(case))), ("child_protection", list(_children(case)))]
    return [step for kind, hits in kinds for step in _group(case, kind, hits)]


def _group(case: CaseIndex, kind: ProtectionKind, hits: list[Hit]) -> list[ProtectiveStep]:
    by_reason: dict[str, list[tuple[Person, list[str]]]] = {}
    for donor, why, facts in hits:
        by_reason.setdefault(why, []).append((donor, facts))
    return [ProtectiveStep(kind=kind, title=_TITLES[kind],
                           persons=[case.label(d.id) for d, _ in entries],
                           person_ids=[d.id for d, _ in entries], why=why,
                           rests_on=sorted({f for _, facts in entries for f in facts}))
            for why, entries in sorted(by_reason.items())]


def removal_stage(case: CaseIndex, donor: Person) -> tuple[str, list[str]]:
    """How far removal of the donor's organ went on the facts ("unknown" with none)."""
    staged: list[tuple[str, str]] = [(a.stage, a.id) for a in case.facts.acts
                                     if a.kind == "removal"
              and donor.id in a.victims and presence(a) is not None]
    staged += [(_PURPOSE_STAGE[p.stage], p.id) for p in case.facts.purposes
               if donor.id in p.victims]
    if not staged:
        return "unknown", []
    top = max((s for s, _ in staged), key=_STAGE_RANK.__getitem__)
    return top, sorted(i for s, i in staged if s == top)


def _examinations(case: CaseIndex) -> Iterator[Hit]:
    for donor in case.donors():
        stage, ids = removal_stage(case, donor)
        yield donor, _EXAM_WHY[stage], ids


def _safety(case: CaseIndex) -> Iterator[Hit]:
    for donor in case.donors():
        used = [m for m in case.facts.means if donor.id in m.victims
                and m.kind in COERCIVE_MEANS and m.present != "no"]
        if used:
            kinds = ", ".join(sorted({m.kind for m in used}))
            yield donor, (f"{kinds} by {case.labels(x for m in used for x in m.by)}: assess "
                          f"the risk of reprisal and keep the donor's whereabouts "
                          f"confidential"), [m.id for m in used]
        control = [m for m in case.facts.means if donor.id in m.victims and m.controller
                   and m.controller != donor.id and m.present != "no"]
        if control:
            who = case.labels(m.controller for m in control if m.controller)
            yield donor, (f"{who} had control over the donor and may still be in contact: "
                          f"ask about contact and pressure, and separate them if "
                          f"needed"), [m.id for m in control]


def _screening(case: CaseIndex) -> Iterator[Hit]:
    for donor in case.donors():
        pays = [p for p in case.facts.payments if p.purpose == "organ" and p.payee == donor.id]
        if pays:
            yield donor, ("was paid or promised money for an organ: screen for trafficking "
                          "before any step as a seller; victims are not to be punished for "
                          "what they were made to do"), [p.id for p in pays]


def _interpreters(case: CaseIndex) -> Iterator[Hit]:
    for donor in case.donors():
        own = set(donor.nationalities)
        acts = [a for a in case.facts.acts if donor.id in a.victims]
        where = {c for a in acts for c in case.act_countries(a)} | set(donor.located_in)
        foreign = sorted(where - own)
        if own and foreign:
            yield donor, (f"national of {', '.join(sorted(own))}, acts or whereabouts in "
                          f"{', '.join(foreign)}: provide an interpreter and offer consular "
                          f"contact"), sorted(a.id for a in acts)


def _children(case: CaseIndex) -> Iterator[Hit]:
    for donor in case.donors():
        minor = case.minor(donor)
        if minor == "established":
            yield donor, ("under 18: refer to child protection and appoint a guardian; "
                          "interview only with child-specialist support"), [donor.id]
        elif minor == "insufficient_facts":
            yield donor, ("said to be under 18: treat as a child until an age assessment "
                          "shows otherwise"), [donor.id]


def render_protection(report: QualificationReport) -> list[str]:
    """The protection section of the text report (render.py places it before evidence)."""
    lines = ["", "PROTECTION OF DONORS"]
    lines += [f"  - {s.title}: {', '.join(s.persons)}: {s.why}"
              + (f" (facts {', '.join(s.rests_on)})" if s.rests_on else "")
              for s in report.protection] or ["  (none)"]
    return lines
