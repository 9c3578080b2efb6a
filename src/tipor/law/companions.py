"""Companion conduct: the offences prosecutors charge alongside trafficking and organ trade
(kidnapping, wrongful confinement, money laundering, unqualified practice, receiving an illicit
transplant), derived from the facts that show them.

Each item is a :class:`Raw` entry that :mod:`tipor.law.conduct` merges per actor. The conduct
names are shared with the jurisdiction data (``jurisdictions.Conduct``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tipor.law.facts import Act, Means, Payment
from tipor.law.index import CaseIndex, Status, best, firm, presence, weakest

_PROCEEDS = ("organ", "agent_fee", "surgery")
_HOLDERS = ("broker", "organiser", "facility", "financier")
_DECEIT = ("fraud", "deception")


@dataclass(frozen=True)
class Raw:
    """One piece of conduct by one actor, before merging: the facts relied on (``ids``) and
    the facts that place and date it (``where``); ``stage`` when the facts do not say it."""

    actor: str
    conduct: str
    status: Status
    ids: tuple[str, ...]
    victims: tuple[str, ...]
    where: tuple[str, ...]
    stage: str | None = None
    note: str = ""


def raw(actor: str, conduct: str, status: Status, ids: Iterable[str],
        victims: Iterable[str] = (), where: Iterable[str] | None = None,
        stage: str | None = None, note: str = "") -> Raw:
    """A Raw entry; ``where`` defaults to the facts relied on."""
    ids = tuple(ids)
    return Raw(actor, conduct, status, ids, tuple(victims),
               ids if where is None else tuple(where), stage, note)


def companion_raw(case: CaseIndex) -> list[Raw]:
    """Every companion conduct the facts support."""
    return (_kidnapping(case) + _confinement(case) + _laundering(case)
            + _unqualified(case) + _receiving(case))


def _used(case: CaseIndex, kinds: Iterable[str]) -> list[tuple[Means, Status]]:
    wanted = set(kinds)
    return [(m, s) for m in case.facts.means if m.kind in wanted
            for s in (presence(m),) if s is not None]


def _acts(case: CaseIndex, kind: str, actor: str, victims: Iterable[str]) -> list[Act]:
    who = set(victims)
    return [a for a in case.facts.acts if a.kind == kind and actor in a.actors
            and who.intersection(a.victims) and presence(a) is not None]


def _kidnapping(case: CaseIndex) -> list[Raw]:
    """Abduction, or force used to transport the donor."""
    out = []
    for m, status in _used(case, ("abduction",)):
        for actor in m.by:
            moves = [a.id for a in _acts(case, "transport", actor, m.victims)]
            out.append(raw(actor, "kidnapping", status, [m.id], m.victims, [m.id, *moves]))
    for m, status in _used(case, ("force",)):
        for actor in m.by:
            for a in _acts(case, "transport", actor, m.victims):
                both = weakest([status, presence(a) or "not_established"])
                out.append(raw(actor, "kidnapping", both, [m.id, a.id],
                               set(m.victims) & set(a.victims), stage=a.stage))
    return out


def _confinement(case: CaseIndex) -> list[Raw]:
    """A fact of confinement, or harbouring the donor by force, threat or coercion."""
    out = []
    for m, status in _used(case, ("confinement",)):
        out += [raw(actor, "wrongful_confinement", status, [m.id], m.victims) for actor in m.by]
    for m, status in _used(case, ("force", "threat", "coercion")):
        for actor in m.by:
            for a in _acts(case, "harbouring", actor, m.victims):
                both = weakest([status, presence(a) or "not_established"])
                out.append(raw(actor, "wrongful_confinement", both, [m.id, a.id],
                               set(m.victims) & set(a.victims), stage=a.stage))
    return out


def _laundering(case: CaseIndex) -> list[Raw]:
    """Proceeds kept by a broker, organiser or facility that passed a smaller sum to the donor,
    or moved through accounts or front businesses."""
    out = []
    pays = case.facts.payments
    for p in pays:
        if p.purpose not in _PROCEEDS or not p.payee or p.payee == p.donor:
            continue
        holder = bool(set(_HOLDERS) & set(case.roles(p.payee)))
        for q in (q for q in pays if holder and _passed_on(p, q)):
            out.append(raw(p.payee, "money_laundering", weakest([firm(p.firmness),
                                                                 firm(q.firmness)]),
                           [p.id, q.id], [p.donor] if p.donor else []))
        movers = [*p.via, p.payee] if p.via else ([p.payee] if _front(case, p.payee) else [])
        for actor in sorted(set(movers)):
            out.append(raw(actor, "money_laundering", firm(p.firmness), [p.id],
                           [p.donor] if p.donor else []))
    return out


def _passed_on(received: Payment, to_donor: Payment) -> bool:
    return (to_donor.payer == received.payee and to_donor.payee == to_donor.donor
            and to_donor.donor == received.donor and to_donor.purpose == "organ"
            and received.amount is not None and to_donor.amount is not None
            and to_donor.currency == received.currency and to_donor.amount < received.amount)


def _front(case: CaseIndex, ident: str) -> bool:
    org = case.organisation(ident)
    return org is not None and (org.kind == "front_business" or "front_business" in org.roles)


def _unqualified(case: CaseIndex) -> list[Raw]:
    """Someone operating, giving anaesthesia or assisting without a professional
    qualification."""
    out = []
    for a in case.facts.acts:
        act_status = presence(a)
        if a.kind not in ("removal", "implantation") or act_status is None:
            continue
        for actor in a.actors:
            person = case.person(actor)
            if person and case.is_medical(actor) and person.qualification in ("none", "other"):
                out.append(raw(actor, "unqualified_practice",
                               weakest([act_status, firm(person.firmness)]), [a.id, actor],
                               a.victims, [a.id], stage=a.stage))
    return out


def _receiving(case: CaseIndex) -> list[Raw]:
    """A recipient of an organ from an unauthorised or deceptive removal (from the acts,
    whether or not a payment is on file). Only an organ received counts: a planned or
    attempted transplant is no receipt, and an unknown stage is worth investigating."""
    out = []
    for a in case.facts.acts:
        act_status = presence(a)
        if a.kind not in ("removal", "implantation") or act_status is None or a.stage in (
                "planned", "attempted"):
            continue
        if a.stage == "unknown":
            act_status = weakest([act_status, "insufficient_facts"])
        source, ids = _illicit_source(case, a)
        recipients = {*a.recipients, *(x for x in a.actors if "recipient" in case.roles(x))}
        for r in sorted(recipients):
            out.append(raw(r, "receiving_illicit_transplant", weakest([act_status, source]),
                           [a.id, *ids], a.victims, [a.id], stage=a.stage))
    return [r for r in out if r.status != "not_established"]


def _illicit_source(case: CaseIndex, act: Act) -> tuple[Status, list[str]]:
    """How firmly the organ came from an unauthorised or deceptive removal."""
    donors = set(act.victims)
    pairs = [(r.id, weakest([presence(r) or "not_established", firm(r.firmness)]))
             for r in case.facts.acts if r.kind in ("removal", "implantation")
             and donors & set(r.victims) and presence(r) is not None
             and r.authorisation in ("unauthorised", "obtained_by_deception")]
    pairs += [(m.id, s) for m, s in _used(case, _DECEIT) if donors & set(m.victims)]
    status = best(s for _, s in pairs)
    return status, sorted({i for i, s in pairs if s == status})
