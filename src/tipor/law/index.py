"""An index over a fact pattern, and the firmness rule every track shares.

The rule: an element is *established* only by established facts; alleged or disputed facts can
make it *insufficient facts* (worth investigating) but never established. An element is *not
established* only when established facts show it absent (``present: no``, or facts that
exclude it); with nothing on file either way it is *insufficient facts*, never "not
established": unknown is not false.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from tipor.law.facts import (
    CLINICAL_ROLES,
    MEDICAL_ROLES,
    PROFESSIONAL_QUALIFICATIONS,
    Act,
    FactPattern,
    Means,
    Organisation,
    Payment,
    Person,
)

Status = Literal["established", "not_established", "insufficient_facts", "not_required"]
_RANK: dict[str, int] = {"not_established": 0, "insufficient_facts": 1, "established": 2}
_BY_RANK: tuple[Status, Status, Status] = ("not_established", "insufficient_facts", "established")


def best(statuses: Iterable[str]) -> Status:
    """The strongest of several statuses (established > insufficient > not established)."""
    top = max((_RANK.get(s, 0) for s in statuses), default=0)
    return _BY_RANK[top]


def weakest(statuses: Iterable[str]) -> Status:
    """The weakest of several statuses (used when every part must hold)."""
    low = min((_RANK.get(s, 0) for s in statuses), default=0)
    return _BY_RANK[low]


def firm(firmness: str) -> Status:
    """Status a single fact can support on its own."""
    return "established" if firmness == "established" else "insufficient_facts"


def support(pairs: Iterable[tuple[str, str]]) -> tuple[Status, list[str]]:
    """From (fact id, status) pairs: the overall status and the ids it rests on."""
    items = sorted(set(pairs))
    status = best(s for _, s in items)
    if status == "not_established":
        return status, []
    return status, sorted({i for i, s in items if s == status})


def assess(pro: Iterable[tuple[str, str]], contra: Iterable[tuple[str, str]] = ()
           ) -> tuple[Status, list[str]]:
    """Weigh facts for and against an element: (status, ids relied on).

    Any established fact for it establishes it and alleged ones make it insufficient facts;
    only established facts against it, with nothing for it, make it not established. Nothing
    on file either way is insufficient facts.
    """
    pro_status, pro_ids = support(pro)
    if pro_status != "not_established":
        return pro_status, pro_ids
    against = sorted({i for i, s in contra if s == "established"})
    return ("not_established", against) if against else ("insufficient_facts", [])


def presence(fact: Act | Means) -> Status | None:
    """What an act or means on file supports: None when it is recorded as absent."""
    if fact.present == "no":
        return None
    return firm(fact.firmness) if fact.present == "yes" else "insufficient_facts"


def absent(facts: Iterable[Act | Means]) -> list[tuple[str, str]]:
    """(id, status) of facts recorded as absent (``present: no``), for :func:`assess`."""
    return [(f.id, firm(f.firmness)) for f in facts if f.present == "no"]


def year_of(date: str | None) -> int | None:
    """The year of an ISO date or partial date."""
    return int(date[:4]) if date else None


@dataclass(frozen=True)
class CaseIndex:
    """Look-ups over a fact pattern, built once per qualification."""

    facts: FactPattern

    def person(self, ident: str) -> Person | None:
        """The person with this id, if any."""
        return next((p for p in self.facts.persons if p.id == ident), None)

    def organisation(self, ident: str) -> Organisation | None:
        """The organisation with this id, if any."""
        return next((o for o in self.facts.organisations if o.id == ident), None)

    def label(self, ident: str) -> str:
        """A readable name for any id (a group of persons says how many)."""
        person = self.person(ident)
        if person and person.count > 1:
            return f"{person.label} ({person.count} persons)"
        party = person or self.organisation(ident)
        return party.label if party else ident

    def count(self, ident: str) -> int:
        """How many persons an id stands for (1 for an organisation or unknown id)."""
        person = self.person(ident)
        return person.count if person else 1

    def labels(self, idents: Iterable[str]) -> str:
        """Readable names joined for a sentence."""
        names = [self.label(i) for i in sorted(set(idents))]
        return ", ".join(names) if names else "no one recorded"

    def country(self, place_id: str | None) -> str | None:
        """The country of a place id."""
        place = next((p for p in self.facts.places if p.id == place_id), None)
        return place.country if place else None

    def regions(self, place_id: str | None) -> list[str]:
        """The region of a place whose state is not identified (empty when the country is
        known or the place is not on file)."""
        place = next((p for p in self.facts.places if p.id == place_id), None)
        if place is None or place.country:
            return []
        return [place.region or "unknown"]

    def act_regions(self, act: Act) -> list[str]:
        """Regions of unidentified states where an act took place or passed through."""
        return sorted({r for p in (act.place, *act.through) for r in self.regions(p)})

    def donors(self) -> list[Person]:
        """Persons with the donor role, by id."""
        return sorted((p for p in self.facts.persons if "donor" in p.roles), key=lambda p: p.id)

    def roles(self, ident: str) -> list[str]:
        """Roles of a person or organisation."""
        party = self.person(ident) or self.organisation(ident)
        return sorted(party.roles) if party else []

    def is_medical(self, ident: str) -> bool:
        """Whether a person holds a medical role (whatever their qualification)."""
        return bool(MEDICAL_ROLES.intersection(self.roles(ident)))

    def is_clinical(self, ident: str) -> bool:
        """Whether a person operates, gives anaesthesia or nurses (hands-on medical roles)."""
        return bool(CLINICAL_ROLES.intersection(self.roles(ident)))

    def professional(self, ident: str) -> Status:
        """Whether a person in a medical role is a health professional, by qualification."""
        person = self.person(ident)
        if person is None or not self.is_medical(ident):
            return "not_established"
        if person.qualification == "unknown":
            return "insufficient_facts"
        if person.qualification in PROFESSIONAL_QUALIFICATIONS:
            return firm(person.firmness)
        return "not_established"

    def unqualified(self, ident: str) -> Status:
        """Whether a person in a medical role lacks a professional qualification."""
        person = self.person(ident)
        if person is None or not self.is_medical(ident):
            return "not_established"
        if person.qualification in ("none", "other"):
            return firm(person.firmness)
        return "insufficient_facts" if person.qualification == "unknown" else "not_established"

    def is_organisation(self, ident: str) -> bool:
        """Whether the id names an organisation."""
        return self.organisation(ident) is not None

    def nationalities(self, ident: str) -> list[str]:
        """Nationalities of a person (an organisation's country stands in for it)."""
        person = self.person(ident)
        if person:
            return sorted(set(person.nationalities))
        org = self.organisation(ident)
        return [org.country] if org and org.country else []

    def whereabouts(self, ident: str) -> list[str]:
        """States where a party lives, is registered or is found."""
        person = self.person(ident)
        if person:
            return sorted(set(person.nationalities) | set(person.residences)
                          | set(person.located_in))
        return self.nationalities(ident)

    def act_countries(self, act: Act) -> list[str]:
        """Countries where an act took place or passed through."""
        places = [act.place, *act.through]
        return sorted({c for c in (self.country(p) for p in places) if c})

    def acts_of(self, ident: str) -> list[Act]:
        """Acts in which a party is an actor."""
        return [a for a in self.facts.acts if ident in a.actors]

    def child_status(self, donor: Person) -> Status:
        """Whether the donor was a child (under 18), and how firmly; age unknown: insufficient."""
        if donor.age is None and donor.age_band is None:
            return "insufficient_facts"
        return self.minor(donor)

    def minor(self, donor: Person) -> Status:
        """Whether facts on file show the donor was under 18 (no age on file: not shown)."""
        is_child = (donor.age is not None and donor.age < 18) or donor.age_band == "under_18"
        return firm(donor.firmness) if is_child else "not_established"

    def gain_payments(self, actors: Iterable[str]) -> list[Payment]:
        """Payments showing the actors gained: a fee or organ money paid to them (a recruiter
        paid per donor), or a broker's margin (they paid a donor out of money they received)."""
        who = set(actors)
        direct = [p for p in self.facts.payments
                  if p.payee in who and p.purpose in ("agent_fee", "organ")]
        margins = [p for p in self.facts.payments
                   if p.payer in who and p.payee == p.donor and p.purpose == "organ"
                   and self._margin(p)]
        return sorted({p.id: p for p in direct + margins}.values(), key=lambda p: p.id)

    def _margin(self, to_donor: Payment) -> bool:
        """Whether the payer of the donor received more for the same donor than they passed on."""
        received = [p.amount for p in self.facts.payments if p.payee == to_donor.payer
                    and p.donor == to_donor.donor and p.amount is not None
                    and p.currency == to_donor.currency]
        return to_donor.amount is not None and any(r > to_donor.amount for r in received)


def sorted_unique(items: Sequence[str] | Iterable[str]) -> list[str]:
    """Sorted list without duplicates."""
    return sorted(set(items))
