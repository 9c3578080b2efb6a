"""Whether a national rule reaches the facts: who it reaches, what it requires, where it applies,
and whether conduct the law allows under conditions meets them.

Pure. Each test answers yes, no or unknown with a sentence; "unknown" always says what to
establish, so the report never turns a gap in the facts into "lawful" or "not covered".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tipor.law.conduct import ConductItem
from tipor.law.facts import Act
from tipor.law.index import CaseIndex
from tipor.law.jurisdictions import Jurisdiction, LawfulConduct, Offence, OffenceVersion, Statute
from tipor.law.temporal import Period, in_force

Tri = Literal["yes", "no", "unknown"]
Lawfulness = Literal["lawful", "not_lawful", "conditional"]

# Fact-pattern roles -> the participants a profile's `liable` / `exempt` name.
PERSON_LIABLE: dict[str, str] = {
    "donor": "seller", "broker": "broker", "recruiter": "broker", "organiser": "broker",
    "recipient": "recipient", "surgeon": "medical_staff", "anaesthetist": "medical_staff",
    "nephrologist": "medical_staff", "nurse": "medical_staff", "doctor": "medical_staff",
    "coordinator": "medical_staff",  # a transplant coordinator: facts.MEDICAL_ROLES has it too
}
ORGANISATION_LIABLE: dict[str, str] = {"facility": "facility", "broker": "broker"}
_REMOVAL = frozenset({"removal", "implantation", "use"})


@dataclass(frozen=True)
class Test:
    """The answer to one applicability test, with the sentence to show."""

    value: Tri
    note: str = ""


def liable_roles(case: CaseIndex, actor: str) -> set[str]:
    """The participant kinds (seller, broker, …) an actor's roles make them."""
    table = ORGANISATION_LIABLE if case.is_organisation(actor) else PERSON_LIABLE
    return {table[r] for r in case.roles(actor) if r in table}


def reaches(offence: Offence, roles: set[str]) -> Test:
    """Whether the offence reaches a participant: exemptions win over `liable`."""
    exempt = sorted(roles & set(offence.exempt)) or (["everyone"] if "any" in offence.exempt
                                                     else [])
    if exempt:
        return Test("no", f"{offence.id} does not apply: the law exempts the {', '.join(exempt)}")
    if "any" in offence.liable or roles & set(offence.liable):
        return Test("yes")
    if not offence.liable:
        return Test("unknown", f"the profile does not say whom {offence.id} reaches: confirm "
                               "that it reaches this participant")
    who = ", ".join(offence.liable)
    return Test("no", f"{offence.id} reaches only the {who}")


def may_cover(offence: Offence, conduct: str) -> bool:
    """Whether the offence, in any of its versions, covers the conduct."""
    return conduct in offence.covers or any(conduct in (v.covers or []) for v in offence.versions)


def version_covers(offence: Offence, version: OffenceVersion, conduct: str) -> bool:
    """Whether this version covers the conduct (a version may override the offence's covers)."""
    return conduct in (version.covers if version.covers is not None else offence.covers)


def requirements(offence: Offence, statute: Statute | None) -> list[str]:
    """The requirements of an offence and of its statute, without repeats."""
    return list(dict.fromkeys([*offence.requires, *(statute.requires if statute else [])]))


def _victim_acts(case: CaseIndex, victims: Iterable[str]) -> list[Act]:
    wanted = set(victims)
    return [a for a in case.facts.acts if wanted & set(a.victims)]


def cross_border(case: CaseIndex, item: ConductItem) -> Test:
    """Whether the conduct spans more than one state, or the victim crossed a border."""
    victim_countries = {c for a in _victim_acts(case, item.victims) for c in case.act_countries(a)}
    if len(set(item.countries)) > 1 or len(victim_countries) > 1:
        return Test("yes")
    seen = set(item.countries) | victim_countries
    if seen:
        return Test("no", f"all the acts on file took place in {', '.join(sorted(seen))}: the "
                          "offence requires movement across a border")
    return Test("unknown", "requires movement across a border: record where the acts took place")


def requirement(case: CaseIndex, req: str, item: ConductItem) -> Test:
    """One requirement of an offence or statute, evaluated on the facts."""
    if req == "cross_border_movement":
        return cross_border(case, item)
    if req in ("victim_minor", "victim_adult"):
        return _age(case, req, item)
    if req == "means_established":
        found = [m for m in case.facts.means if set(m.victims) & set(item.victims)]
        if any(m.firmness == "established" for m in found):
            return Test("yes")
        return Test("unknown" if found else "no", "requires a means of trafficking: establish "
                                                  "the threat, deception or abuse used")
    if req == "commercial_purpose":
        paid = [p for p in case.facts.payments if p.donor in item.victims
                or item.conduct in ("selling_organ", "buying_organ", "brokering")]
        return Test("yes") if paid else Test("unknown", "requires a commercial purpose: "
                                                        "establish the payment or gain")
    if req == "living_donor":
        return Test("yes") if item.victims else Test("unknown", "requires a living donor")
    return Test("unknown", f"requirement {req} cannot be checked on the facts")


def _age(case: CaseIndex, req: str, item: ConductItem) -> Test:
    people = [p for p in (case.person(v) for v in item.victims) if p]
    if not people or any(p.age is None and p.age_band is None for p in people):
        return Test("unknown", "depends on the victim's age: record it")
    minor = any(case.child_status(p) != "not_established" for p in people)
    if (req == "victim_minor") == minor:
        return Test("yes")
    return Test("no", "applies only where the victim is "
                      + ("a child" if req == "victim_minor" else "an adult"))


def place_subdivisions(case: CaseIndex, item: ConductItem, code: str) -> set[str | None]:
    """Subdivisions (None where not recorded) of the places in ``code`` the conduct rests on."""
    ids = set(item.rests_on)
    place_ids: list[str | None] = []
    for a in case.facts.acts:
        if a.id in ids:
            place_ids += [a.place, *a.through]
    place_ids += [p.place for p in case.facts.payments if p.id in ids]
    place_ids += [g.place for g in case.facts.agreements if g.id in ids]
    places = [p for p in case.facts.places if p.id in place_ids and p.country == code]
    return {p.subdivision for p in places}


def in_extent(case: CaseIndex, item: ConductItem, code: str, extent: list[str]) -> Test:
    """Whether conduct falls within a law limited to some subdivisions of ``code``."""
    if not extent:
        return Test("yes")
    found = place_subdivisions(case, item, code)
    if found & set(extent):
        return Test("yes")
    if not found or None in found:
        return Test("unknown", f"depends on the province/state (applies in {', '.join(extent)}): "
                               "record the subdivision of the place")
    return Test("no", f"applies only in {', '.join(extent)}")


def lawful(case: CaseIndex, rule: LawfulConduct, item: ConductItem, actor: str, code: str
           ) -> tuple[Lawfulness, str]:
    """Whether every condition of lawful conduct holds on the facts."""
    tests = [(c, condition(case, c, item, actor, code)) for c in rule.conditions]
    failed = [t.note for _, t in tests if t.value == "no"]
    if failed:
        return "not_lawful", f"not lawful in {code}: {'; '.join(failed)}"
    open_ = [t.note for _, t in tests if t.value == "unknown"]
    if open_:
        return "conditional", f"lawful in {code} only if {rule.condition}: {'; '.join(open_)}"
    return "lawful", f"lawful in {code}: {rule.condition}"


def condition(case: CaseIndex, name: str, item: ConductItem, actor: str, code: str) -> Test:
    """One condition of lawful conduct on the facts."""
    donors = sorted(set(item.victims) | ({actor} if "donor" in case.roles(actor) else set()))
    if name == "authorised_programme":
        return _authorised(case, donors)
    if name == "donor_national":
        return _national(case, donors, code, "donor")
    if name == "recipient_national":
        return _national(case, recipients(case, donors, actor), code, "recipient")
    if name == "same_nationality":
        return _same(case, donors, recipients(case, donors, actor))
    what = {"close_relative": "that donor and recipient are close relatives",
            "committee_approval": "the approval of the authorisation committee"}
    return Test("unknown", f"establish {what.get(name, name)}")


def recipients(case: CaseIndex, donors: list[str], actor: str) -> list[str]:
    """Recipients of the donors' organs: named on acts, the actor if a recipient, payers."""
    found = {r for a in _victim_acts(case, donors) for r in a.recipients}
    found |= {p.payer for p in case.facts.payments if p.donor in donors and p.payer
              and p.purpose == "organ" and "recipient" in case.roles(p.payer)}
    if "recipient" in case.roles(actor):
        found.add(actor)
    return sorted(found)


def _authorised(case: CaseIndex, donors: list[str]) -> Test:
    acts = [a for a in _victim_acts(case, donors) if a.kind in _REMOVAL] or _victim_acts(
        case, donors)
    if any(a.authorisation in ("unauthorised", "obtained_by_deception") for a in acts):
        return Test("no", "the removal was not authorised under the programme (outside it, "
                          "e.g. a black-market sale)")
    if acts and all(a.authorisation == "authorised" for a in acts):
        return Test("yes")
    return Test("unknown", "establish that the removal was authorised under the programme")


def _national(case: CaseIndex, people: list[str], code: str, who: str) -> Test:
    if not people:
        return Test("unknown", f"establish who the {who} was and their nationality")
    nats = [case.nationalities(p) for p in people]
    if any(not n for n in nats):
        return Test("unknown", f"establish the {who}'s nationality")
    if all(code in n for n in nats):
        return Test("yes")
    return Test("no", f"the {who} is not a national of {code}")


def _same(case: CaseIndex, donors: list[str], recips: list[str]) -> Test:
    if not donors or not recips:
        return Test("unknown", "establish the donor's and the recipient's nationalities")
    nats = [set(case.nationalities(p)) for p in donors + recips]
    if any(not n for n in nats):
        return Test("unknown", "establish the donor's and the recipient's nationalities")
    if set.intersection(*nats):
        return Test("yes")
    return Test("no", "donor and recipient are not of the same nationality (a sale to a "
                      "foreigner)")


def lawfulness(case: CaseIndex, profile: Jurisdiction, item: ConductItem, actor: str,
               when: Period) -> tuple[str, str]:
    """The strongest answer of the state's lawful-conduct rules for this conduct at the time:
    (lawful | conditional | not_lawful | "", the reason); "" when no rule speaks to it."""
    rules = [r for r in profile.lawful_conduct
             if r.conduct == item.conduct and in_force(r, when).value != "no"]
    answers = [lawful(case, r, item, actor, profile.code) for r in rules]
    for wanted in ("lawful", "conditional", "not_lawful"):
        found = [text for status, text in answers if status == wanted]
        if found:
            return wanted, found[0]
    return "", ""
