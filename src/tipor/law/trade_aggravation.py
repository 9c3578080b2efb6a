"""Aggravating circumstances (CETS 216 art. 13; article number unverified, domain.md §2.2).

Assessed over everyone found to take part in an organ-trade offence or in trafficking. Each
circumstance is established by established facts for it, not established only when established
facts exclude it (e.g. every participant's qualification is known), and otherwise insufficient
facts with what to investigate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tipor.law.index import CaseIndex, Status, assess, best, firm, weakest
from tipor.law.palermo import vulnerability
from tipor.law.report import Aggravation

if TYPE_CHECKING:
    from tipor.law.report import OrganTradeFinding

ARTICLE = "CETS 216 art. 13"
_TITLES = {
    "health_professional": "Committed by a health professional abusing their position",
    "unqualified_practice": "Unlawful practice by an unqualified person",
    "public_official": "Committed by a public official abusing their position",
    "organised_group": "Committed in the framework of an organised group",
    "vulnerable_victim": "Against a child or another particularly vulnerable victim",
    "death_or_serious_harm": "Caused the death of, or serious damage to the health of, the victim",
    "previous_convictions": "Offender previously convicted of such offences",
}
# not an art. 13 circumstance: unlawful practice of medicine is a matter of national law
_NATIONAL = "national law on the practice of medicine (not CETS 216 art. 13)"


@dataclass
class Check:
    """What one circumstance rests on: (person, fact, status) for it, facts against it."""

    hits: list[tuple[str, str, Status]] = field(default_factory=list)
    against: list[tuple[str, str]] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


People = dict[str, Status]


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
    """Each art. 13 circumstance (and unqualified practice) with its persons and facts."""
    people = participants(findings, tip_offenders)
    checks: list[tuple[str, Callable[[CaseIndex, People], Check]]] = [
        ("health_professional", _professional),
        ("unqualified_practice", _unqualified),
        ("public_official", _official),
        ("organised_group", _groups),
        ("vulnerable_victim", _vulnerable),
        ("death_or_serious_harm", _harm),
        ("previous_convictions", _convicted),
    ]
    return [_aggravation(kind, fn(case, people)) for kind, fn in checks]


def _aggravation(kind: str, check: Check) -> Aggravation:
    status, ids = assess(((fact, st) for _, fact, st in check.hits), check.against)
    persons = sorted({p for p, fact, _ in check.hits if fact in ids})
    word = {"established": "established", "insufficient_facts": "insufficient facts",
            "not_established": "not established on the facts"}[status]
    return Aggravation(
        kind=kind, title=_TITLES[kind], article=_NATIONAL if kind == "unqualified_practice"
        else ARTICLE, article_verification="unverified", status=status, persons=persons,
        rests_on=ids, summary=f"{_TITLES[kind]}: {word}.", notes=check.notes,
        evidence_needed=check.needs if status == "insufficient_facts" else [])


def _persons(case: CaseIndex, people: People) -> list[tuple[str, Status]]:
    return [(i, part) for i, part in sorted(people.items()) if case.person(i) is not None]


def _professional(case: CaseIndex, people: People) -> Check:
    out = Check()
    for ident, part in _persons(case, people):
        prof = case.professional(ident)
        if prof != "not_established":
            out.hits.append((ident, ident, weakest([part, prof])))
        if prof == "insufficient_facts":
            out.needs.append(f"Establish {case.label(ident)}'s professional registration "
                             f"(medical or nursing council, licence records): a medical role "
                             f"alone does not make a health professional.")
        elif prof == "not_established":
            out.against.append((ident, weakest([part, _known(case, ident)])))
    if not people:
        out.needs.append("Identify the participants and their professional registration.")
    return out


def _known(case: CaseIndex, ident: str) -> Status:
    person = case.person(ident)
    return firm(person.firmness) if person else "insufficient_facts"


def _unqualified(case: CaseIndex, people: People) -> Check:
    out = Check()
    for ident, part in _persons(case, people):
        if not case.is_medical(ident):
            continue
        bad = case.unqualified(ident)
        if bad != "not_established":
            out.hits.append((ident, ident, weakest([part, bad])))
        if bad != "not_established" and case.professional(ident) == "not_established":
            out.notes.append(f"{case.label(ident)} acted in a medical role without a "
                             f"professional qualification: a separate offence under national "
                             f"law, not the health-professional aggravation.")
        elif bad == "not_established":
            out.against.append((ident, _known(case, ident)))
    return out


def _official(case: CaseIndex, people: People) -> Check:
    out = Check()
    for ident, part in _persons(case, people):
        if "official" in case.roles(ident):
            out.hits.append((ident, ident, weakest([part, _known(case, ident)])))
        else:
            out.against.append((ident, weakest([part, _known(case, ident)])))
    return out


def _groups(case: CaseIndex, people: People) -> Check:
    # An organised group needs three or more persons (UN Convention against Transnational
    # Organized Crime, general knowledge) of whom at least one took part in the offence.
    out = Check(needs=["To establish an organised group, show three or more persons acting in "
                       "concert over time: communications, shared payments, division of roles."])
    for g in case.facts.groups:
        active = [m for m in g.members if m in people]
        if len(set(g.members)) >= 3 and active:
            out.hits += [(m, g.id, weakest([firm(g.firmness), people[m]])) for m in sorted(active)]
    return out


def _vulnerable(case: CaseIndex, people: People) -> Check:
    """The same finding as the trafficking track's: a child, or vulnerability known and used."""
    out = Check(needs=["Establish each donor's age and circumstances (poverty, debt, status) "
                       "and whether the offenders knew of them and used them."])
    for donor in case.donors():
        status, ids = vulnerability(case, donor)
        if status == "not_established":
            out.against += [(i, "established") for i in ids]
        else:
            out.hits += [(donor.id, i, status) for i in ids]
    return out


def _harm(case: CaseIndex, people: People) -> Check:
    out = Check(needs=["Have every donor medically examined and obtain their records: death "
                       "or serious damage to health aggravates the offence."])
    out.hits = [(h.person, h.id, firm(h.firmness)) for h in case.facts.harms]
    return out


def _convicted(case: CaseIndex, people: People) -> Check:
    out = Check()
    unknown = []
    for ident, part in _persons(case, people):
        person = case.person(ident)
        assert person is not None
        if person.prior_convictions:
            out.hits.append((ident, ident, weakest([part, firm(person.firmness)])))
        elif person.prior_convictions == 0:
            out.against.append((ident, firm(person.firmness)))
        else:
            unknown.append(ident)
            out.hits.append((ident, ident, "insufficient_facts"))
        if person.prior_charges:
            out.notes.append(f"{case.label(ident)}: {person.prior_charges} prior charge(s) on "
                             f"file; charges are not convictions and do not aggravate.")
    if unknown or not people:
        out.needs.append(f"Obtain the criminal records of {case.labels(unknown)}.")
    return out
