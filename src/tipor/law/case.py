"""An index over a fact pattern, and the firmness rule every track shares.

The rule: an element is *established* only by established facts; alleged or disputed facts can
make it *insufficient facts* (worth investigating) but never established.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from tipor.law.facts import MEDICAL_ROLES, Act, FactPattern, Organisation, Person

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
        """A readable name for any id."""
        party = self.person(ident) or self.organisation(ident)
        return party.label if party else ident

    def labels(self, idents: Iterable[str]) -> str:
        """Readable names joined for a sentence."""
        names = [self.label(i) for i in sorted(set(idents))]
        return ", ".join(names) if names else "no one recorded"

    def country(self, place_id: str | None) -> str | None:
        """The country of a place id."""
        place = next((p for p in self.facts.places if p.id == place_id), None)
        return place.country if place else None

    def donors(self) -> list[Person]:
        """Persons with the donor role, by id."""
        return sorted((p for p in self.facts.persons if "donor" in p.roles), key=lambda p: p.id)

    def roles(self, ident: str) -> list[str]:
        """Roles of a person or organisation."""
        party = self.person(ident) or self.organisation(ident)
        return sorted(party.roles) if party else []

    def is_medical(self, ident: str) -> bool:
        """Whether a person holds a medical role."""
        return bool(MEDICAL_ROLES.intersection(self.roles(ident)))

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
        """Whether the donor was a child (under 18), and how firmly."""
        is_child = (donor.age is not None and donor.age < 18) or donor.age_band == "under_18"
        if not is_child:
            return "not_established"
        return firm(donor.firmness)


def sorted_unique(items: Sequence[str] | Iterable[str]) -> list[str]:
    """Sorted list without duplicates."""
    return sorted(set(items))
