"""What each actor did, in the vocabulary national offences are written in.

The tracks' findings and the payments are turned into conduct items (``trafficking``,
``brokering``, ``selling_organ`` …, see ``jurisdictions.Conduct``) with where and when they
happened, so that national offences and double criminality can be matched against them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tipor.law.case import CaseIndex, Status, best, firm, weakest, year_of
from tipor.law.report import OrganTradeTrack, TraffickingTrack

# organ-trade offence -> conduct for (any actor, medical person, facility organisation)
_TRADE_CONDUCT: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "illicit_removal": (("removal_without_authority",),
                        ("performing_commercial_transplant", "unlawful_surgery"),
                        ("facility_commercial_transplant",)),
    "implantation_outside_system": ((), ("performing_commercial_transplant",),
                                    ("facility_commercial_transplant",)),
    "use_of_illicit_organs": ((), ("performing_commercial_transplant",),
                              ("facility_commercial_transplant",)),
    "solicitation_for_gain": (("brokering",), (), ()),
    "undue_advantage": (("undue_advantage",), (), ()),
    "falsified_documents": (("falsifying_documents",), (), ()),
}


@dataclass(frozen=True)
class ConductItem:
    """One kind of conduct by one actor, merged over the facts that show it."""

    conduct: str
    status: Status
    rests_on: tuple[str, ...]
    countries: tuple[str, ...]
    years: tuple[int, ...]
    victims: tuple[str, ...]
    stage: Literal["completed", "attempted", "planned", "unknown"] = "completed"
    start: str | None = None  # earliest ISO (partial) date of the facts it rests on
    end: str | None = None  # latest ISO (partial) date of those facts


# actor, conduct, status, fact ids relied on, victims, ids of the facts that place the conduct
Raw = tuple[str, str, Status, Iterable[str], Iterable[str], Iterable[str]]
ConductMap = dict[str, dict[str, ConductItem]]


def derive_conduct(case: CaseIndex, tip: TraffickingTrack, trade: OrganTradeTrack) -> ConductMap:
    """Each actor's conduct, from the trafficking and organ-trade findings and the payments."""
    raw: list[Raw] = []
    for victim in tip.victims:
        for o in victim.offenders:
            if o.status != "not_established":
                # the offence took place wherever its act and purpose did, for every participant
                where = [*o.rests_on, *victim.act.rests_on, *victim.purpose.rests_on]
                raw.append((o.offender, "trafficking", o.status, o.rests_on, [victim.victim],
                            where))
    raw += _trade_raw(case, trade)
    raw += _payment_raw(case, trade)
    merged = _merge(case, raw)
    _add_derived(case, merged)
    return merged


def _trade_raw(case: CaseIndex, trade: OrganTradeTrack) -> list[Raw]:
    out: list[Raw] = []
    for f in trade.findings:
        if f.finding.status == "not_established":
            continue
        anyone, medical, facility = _TRADE_CONDUCT[f.offence]
        completed = f.finding.stage == "completed"
        for actor in f.actors:
            kinds = list(anyone)
            if case.is_medical(actor):
                kinds += [k for k in medical if k != "unlawful_surgery" or completed]
            if "facility" in case.roles(actor) and case.is_organisation(actor):
                kinds += list(facility)
            out += [(actor, k, f.finding.status, f.finding.rests_on, f.victims,
                     f.subject.split(",")) for k in kinds]
    return out


def _payment_raw(case: CaseIndex, trade: OrganTradeTrack) -> list[Raw]:
    illicit = {v: f.finding.status for f in trade.findings if f.offence == "illicit_removal"
               and f.finding.status != "not_established" for v in f.victims}
    out: list[Raw] = []
    for p in case.facts.payments:
        status, victims = firm(p.firmness), [d for d in (p.donor,) if d]
        if p.purpose == "organ" and p.payee and p.payee == p.donor:
            out.append((p.payee, "selling_organ", status, [p.id], victims, [p.id]))
        if p.purpose == "organ" and p.payer:
            out.append((p.payer, "buying_organ", status, [p.id], victims, [p.id]))
        if p.payee and p.payee != p.donor and (p.purpose == "agent_fee" or (
                p.purpose == "organ" and "broker" in case.roles(p.payee))):
            out.append((p.payee, "brokering", status, [p.id], victims, [p.id]))
        if p.payee and case.is_organisation(p.payee) and p.donor in illicit and p.purpose in (
                "surgery", "organ"):
            out.append((p.payee, "facility_commercial_transplant",
                        weakest([status, illicit[p.donor]]), [p.id], victims, [p.id]))
    return out


def _merge(case: CaseIndex, raw: list[Raw]) -> ConductMap:
    grouped: dict[tuple[str, str], list[tuple[Status, list[str], list[str], list[str]]]] = {}
    for actor, conduct, status, ids, victims, where in raw:
        grouped.setdefault((actor, conduct), []).append(
            (status, list(ids), list(victims), list(where)))
    out: ConductMap = {}
    for (actor, conduct), entries in sorted(grouped.items()):
        status = best(e[0] for e in entries)
        ids = sorted({i for e in entries if e[0] == status for i in e[1]})
        victims = sorted({v for e in entries for v in e[2]})
        where = [w for e in entries if e[0] == status for w in e[3]]
        countries, years, start, end = _where_when(case, actor, where)
        out.setdefault(actor, {})[conduct] = ConductItem(
            conduct, status, tuple(ids), countries, years, tuple(victims), start=start, end=end)
    return out


def _where_when(case: CaseIndex, actor: str, ids: list[str]
                ) -> tuple[tuple[str, ...], tuple[int, ...], str | None, str | None]:
    countries: set[str] = set()
    years: set[int] = set()
    dates: list[str] = []
    for act in case.facts.acts:
        if act.id in ids:
            countries.update(case.act_countries(act))
            years.update(y for y in (year_of(act.date), year_of(act.date_to)) if y)
            dates += [d for d in (act.date, act.date_to) if d]
    for g in case.facts.agreements:
        if g.id in ids:
            countries.update(c for c in (case.country(g.place),) if c)
    for p in case.facts.payments:
        if p.id in ids:
            countries.update(c for c in (case.country(p.place),) if c)
            years.update(y for y in (year_of(p.date),) if y)
            dates += [p.date] if p.date else []
    start = min(dates) if dates else None  # "2008" sorts before "2008-10": earliest start
    end = max(dates, key=_upper) if dates else None
    return tuple(sorted(countries)), tuple(sorted(years)), start, end


def _upper(date: str) -> str:
    """Sort key for the end of a partial date: "2008" ends after "2008-10-20"."""
    return date + "-99-99"[len(date) - 4:]


def _add_derived(case: CaseIndex, merged: ConductMap) -> None:
    """Organised crime and abuse of office attach to actors who already did something."""
    for g in sorted(case.facts.groups, key=lambda g: g.id):
        active = [m for m in sorted(set(g.members)) if m in merged]
        if len(set(g.members)) < 3 or not active:
            continue
        for m in active:
            own = best(i.status for i in merged[m].values())
            merged[m]["organised_crime"] = ConductItem(
                "organised_crime", weakest([own, firm(g.firmness)]), (g.id,),
                _all(merged[m], "countries"), _years(merged[m]), ())
    for actor in sorted(merged):
        if "official" in case.roles(actor) and "abuse_of_office" not in merged[actor]:
            own = best(i.status for i in merged[actor].values())
            merged[actor]["abuse_of_office"] = ConductItem(
                "abuse_of_office", own, (actor,), _all(merged[actor], "countries"),
                _years(merged[actor]), ())


def _all(items: dict[str, ConductItem], attr: str) -> tuple[str, ...]:
    return tuple(sorted({c for i in items.values() for c in getattr(i, attr)}))


def _years(items: dict[str, ConductItem]) -> tuple[int, ...]:
    return tuple(sorted({y for i in items.values() for y in i.years}))
