"""Aggravating circumstances (CETS 216 art. 13; article number unverified, domain.md §2.2).

Assessed over everyone found to take part in an organ-trade offence or in trafficking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tipor.law.case import CaseIndex, Status, best, firm, support, weakest
from tipor.law.report import Aggravation

if TYPE_CHECKING:
    from tipor.law.report import OrganTradeFinding

ARTICLE = "CETS 216 art. 13"
_TITLES = {
    "health_professional": "Committed by a health professional abusing their position",
    "public_official": "Committed by a public official abusing their position",
    "organised_group": "Committed in the framework of an organised group",
    "vulnerable_victim": "Against a child or another particularly vulnerable victim",
    "death_or_serious_harm": "Caused the death of, or serious damage to the health of, the victim",
    "previous_convictions": "Offender previously convicted of such offences",
}


def participants(findings: list[OrganTradeFinding], tip_offenders: dict[str, Status]
                 ) -> dict[str, Status]:
    """Everyone taking part in an offence, with how firmly their part is established."""
    out = dict(tip_offenders)
    for f in findings:
        if f.finding.status == "not_established":
            continue
        for actor in f.actors:
            out[actor] = best([out.get(actor, "not_established"), f.finding.status])
    return {k: v for k, v in out.items() if v != "not_established"}


def aggravations(case: CaseIndex, findings: list[OrganTradeFinding],
                 tip_offenders: dict[str, Status]) -> list[Aggravation]:
    """Each art. 13 circumstance with the persons and facts it rests on."""
    people = participants(findings, tip_offenders)
    checks: list[tuple[str, Callable[[CaseIndex, dict[str, Status]],
                                     list[tuple[str, str, Status]]]]] = [
        ("health_professional", _by_role(lambda c, i: c.is_medical(i))),
        ("public_official", _by_role(lambda c, i: "official" in c.roles(i))),
        ("organised_group", _groups),
        ("vulnerable_victim", _vulnerable),
        ("death_or_serious_harm", _harm),
        ("previous_convictions", _convicted),
    ]
    return [_aggravation(kind, fn(case, people)) for kind, fn in checks]


def _aggravation(kind: str, hits: list[tuple[str, str, Status]]) -> Aggravation:
    status, ids = support((fact, st) for _, fact, st in hits)
    persons = sorted({p for p, fact, _ in hits if fact in ids})
    word = {"established": "established", "insufficient_facts": "alleged",
            "not_established": "not shown"}[status]
    return Aggravation(kind=kind, title=_TITLES[kind], article=ARTICLE,
                       article_verification="unverified", status=status, persons=persons,
                       rests_on=ids, summary=f"{_TITLES[kind]}: {word}.")


def _by_role(test: Callable[[CaseIndex, str], bool]
             ) -> Callable[[CaseIndex, dict[str, Status]], list[tuple[str, str, Status]]]:
    def check(case: CaseIndex, people: dict[str, Status]) -> list[tuple[str, str, Status]]:
        hits = []
        for ident, part in sorted(people.items()):
            person = case.person(ident)
            if person and test(case, ident):
                hits.append((ident, ident, weakest([part, firm(person.firmness)])))
        return hits
    return check


def _groups(case: CaseIndex, people: dict[str, Status]) -> list[tuple[str, str, Status]]:
    # An organised group needs three or more persons (UN Convention against Transnational
    # Organized Crime, general knowledge) of whom at least one took part in the offence.
    hits = []
    for g in case.facts.groups:
        active = [m for m in g.members if m in people]
        if len(set(g.members)) >= 3 and active:
            hits += [(m, g.id, weakest([firm(g.firmness), people[m]])) for m in sorted(active)]
    return hits


def _vulnerable(case: CaseIndex, people: dict[str, Status]) -> list[tuple[str, str, Status]]:
    hits = [(d.id, d.id, case.child_status(d)) for d in case.donors()
            if case.child_status(d) != "not_established"]
    hits += [(v, m.id, firm(m.firmness)) for m in case.facts.means
             if m.kind == "abuse_of_vulnerability" for v in m.victims]
    return hits


def _harm(case: CaseIndex, people: dict[str, Status]) -> list[tuple[str, str, Status]]:
    return [(h.person, h.id, firm(h.firmness)) for h in case.facts.harms]


def _convicted(case: CaseIndex, people: dict[str, Status]) -> list[tuple[str, str, Status]]:
    hits = []
    for ident, part in sorted(people.items()):
        person = case.person(ident)
        if person and person.previous_convictions:
            hits.append((ident, ident, weakest([part, firm(person.firmness)])))
    return hits
